package dev.dagflow.json.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.Objects;

/**
 * A dotted path into a JSON document, such as {@code payload.asset.type} or {@code
 * items.0.name}, split into segments once so that resolving it allocates nothing. Each segment
 * names a field of an object or, if it is written in decimal digits, an index into an array.
 *
 * <p>Immutable and thread-safe.
 */
public final class JsonPath {
  private final String text;
  private final String[] names;
  /** The array index each segment denotes, or -1 where it is not a decimal index. */
  private final int[] indexes;

  private JsonPath(String text, String[] names, int[] indexes) {
    this.text = text;
    this.names = names;
    this.indexes = indexes;
  }

  /**
   * Splits a dotted path.
   *
   * @throws IllegalArgumentException if a segment is empty ({@code a..b}, a leading or trailing
   *     dot, or the empty path)
   */
  public static JsonPath parse(String text) {
    Objects.requireNonNull(text, "text");
    // limit -1 keeps trailing empty segments, so "a." is caught like ".a"
    String[] names = text.split("\\.", -1);
    int[] indexes = new int[names.length];
    for (int i = 0; i < names.length; i++) {
      if (names[i].isEmpty()) {
        throw new IllegalArgumentException("empty path segment in '" + text + "'");
      }
      indexes[i] = index(names[i]);
    }
    return new JsonPath(text, names, indexes);
  }

  private static int index(String segment) {
    if (segment.length() > 10) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < segment.length(); i++) {
      char c = segment.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value > Integer.MAX_VALUE ? -1 : (int) value;
  }

  /** The segments, in order; a copy. */
  public String[] segments() {
    return names.clone();
  }

  /**
   * The value at this path in {@code document}, or {@link MissingNode} when the path does not
   * resolve: a segment names a field the object lacks, an index past the end of the array, or
   * steps into a scalar, or a non-index segment meets an array. JSON {@code null} is a value.
   */
  public JsonNode resolve(JsonNode document) {
    JsonNode current = document;
    for (int i = 0; i < names.length && current != null; i++) {
      if (current.isObject()) {
        current = current.get(names[i]);
      } else if (current.isArray() && indexes[i] >= 0) {
        current = current.get(indexes[i]);
      } else {
        current = null;
      }
    }
    return current == null ? MissingNode.getInstance() : current;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonPath p && text.equals(p.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  /** The path as written. */
  @Override
  public String toString() {
    return text;
  }
}
