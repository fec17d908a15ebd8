package dev.dagflow.store.memory;

import java.util.Arrays;

/**
 * Growth of chunked columns: a column is an array of chunks of {@link #SIZE} entries, so a
 * column of millions of entries grows without copying what it holds and wastes at most one
 * chunk. The first chunk starts small and doubles, so a small run costs little.
 */
final class Chunks {
  static final int SHIFT = 12;
  static final int SIZE = 1 << SHIFT;
  static final int MASK = SIZE - 1;
  private static final int FIRST_LENGTH = 8;

  private Chunks() {}

  static int chunk(int index) {
    return index >>> SHIFT;
  }

  static int offset(int index) {
    return index & MASK;
  }

  static long[][] ensure(long[][] chunks, int index) {
    int c = chunk(index);
    chunks = outer(chunks, c);
    long[] chunk = chunks[c];
    int length = chunk == null ? 0 : chunk.length;
    int wanted = lengthFor(index, length);
    if (wanted != length) {
      chunks[c] = chunk == null ? new long[wanted] : Arrays.copyOf(chunk, wanted);
    }
    return chunks;
  }

  static int[][] ensure(int[][] chunks, int index) {
    int c = chunk(index);
    chunks = outer(chunks, c);
    int[] chunk = chunks[c];
    int length = chunk == null ? 0 : chunk.length;
    int wanted = lengthFor(index, length);
    if (wanted != length) {
      chunks[c] = chunk == null ? new int[wanted] : Arrays.copyOf(chunk, wanted);
    }
    return chunks;
  }

  static byte[][] ensure(byte[][] chunks, int index) {
    int c = chunk(index);
    chunks = outer(chunks, c);
    byte[] chunk = chunks[c];
    int length = chunk == null ? 0 : chunk.length;
    int wanted = lengthFor(index, length);
    if (wanted != length) {
      chunks[c] = chunk == null ? new byte[wanted] : Arrays.copyOf(chunk, wanted);
    }
    return chunks;
  }

  static Object[][] ensure(Object[][] chunks, int index) {
    int c = chunk(index);
    chunks = outer(chunks, c);
    Object[] chunk = chunks[c];
    int length = chunk == null ? 0 : chunk.length;
    int wanted = lengthFor(index, length);
    if (wanted != length) {
      chunks[c] = chunk == null ? new Object[wanted] : Arrays.copyOf(chunk, wanted);
    }
    return chunks;
  }

  /** The length a chunk of {@code length} must grow to to hold {@code index}. */
  private static int lengthFor(int index, int length) {
    int needed = offset(index) + 1;
    if (length >= needed) {
      return length;
    }
    if (chunk(index) > 0) {
      return SIZE;
    }
    return Math.min(SIZE, Math.max(FIRST_LENGTH, Math.max(needed, length * 2)));
  }

  private static <T> T[] outer(T[] chunks, int c) {
    return c < chunks.length ? chunks : Arrays.copyOf(chunks, Math.max(c + 1, chunks.length * 2));
  }
}
