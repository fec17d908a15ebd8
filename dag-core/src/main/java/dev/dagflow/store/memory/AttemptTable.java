package dev.dagflow.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import java.util.Map;
import java.util.Optional;

/**
 * The attempts of one run in chunked columns, one slot per attempt: its number, start and end
 * millis, outcome, result, the rarely set error and engine reference, and the slot of the
 * node's previous attempt. A node's attempts form a chain from its newest slot, which
 * {@link NodeTable} keeps; a node rarely has more than a few.
 *
 * <p>Not thread-safe: {@link RunData} guards it with the run's lock.
 */
final class AttemptTable {
  private static final AttemptOutcome[] OUTCOMES = AttemptOutcome.values();

  /** The fields that are usually absent. */
  private record Extra(String errorCode, String errorMessage, String engineRef,
      Map<String, Double> usage) {}

  private int[][] numbers = new int[0][];
  private long[][] started = new long[0][];
  private long[][] ended = new long[0][];
  private long[][] ready = new long[0][];
  private byte[][] outcomes = new byte[0][];
  private Object[][] results = new Object[0][];
  private Object[][] extras = new Object[0][];
  /** Per slot, 1 + the slot of the same node's previous attempt; 0 for none. */
  private int[][] previous = new int[0][];
  private int size;

  /** The slot of attempt {@code attempt} in the chain starting at {@code head}, or -1. */
  int find(int head, int attempt) {
    for (int slot = head - 1; slot >= 0; slot = previous(slot) - 1) {
      if (number(slot) == attempt) {
        return slot;
      }
    }
    return -1;
  }

  /** A new slot chained to {@code head}; returns its head value (1 + the slot). */
  int add(int head) {
    int i = size;
    numbers = Chunks.ensure(numbers, i);
    started = Chunks.ensure(started, i);
    ended = Chunks.ensure(ended, i);
    ready = Chunks.ensure(ready, i);
    outcomes = Chunks.ensure(outcomes, i);
    results = Chunks.ensure(results, i);
    extras = Chunks.ensure(extras, i);
    previous = Chunks.ensure(previous, i);
    previous[Chunks.chunk(i)][Chunks.offset(i)] = head;
    size = i + 1;
    return i + 1;
  }

  void set(int slot, AttemptRecord a) {
    int c = Chunks.chunk(slot);
    int o = Chunks.offset(slot);
    numbers[c][o] = a.attempt();
    started[c][o] = Millis.of(a.startedAt());
    ended[c][o] = Millis.of(a.endedAt());
    ready[c][o] = Millis.of(a.readyAt());
    outcomes[c][o] = (byte) a.outcome().ordinal();
    results[c][o] = a.result().orElse(null);
    extras[c][o] = a.errorCode().isEmpty() && a.errorMessage().isEmpty() && a.engineRef().isEmpty()
        && a.usage().isEmpty() ? null : new Extra(a.errorCode().orElse(null),
            a.errorMessage().orElse(null), a.engineRef().orElse(null), a.usage());
  }

  int number(int slot) {
    return numbers[Chunks.chunk(slot)][Chunks.offset(slot)];
  }

  int previous(int slot) {
    return previous[Chunks.chunk(slot)][Chunks.offset(slot)];
  }

  AttemptRecord read(int slot, String runId, String nodeId) {
    int c = Chunks.chunk(slot);
    int o = Chunks.offset(slot);
    Extra extra = (Extra) extras[c][o];
    return new AttemptRecord(runId, nodeId, numbers[c][o], Millis.instant(started[c][o]),
        Millis.optional(ended[c][o]), OUTCOMES[outcomes[c][o]],
        Optional.ofNullable((JsonNode) results[c][o]),
        Optional.ofNullable(extra == null ? null : extra.errorCode()),
        Optional.ofNullable(extra == null ? null : extra.errorMessage()),
        Optional.ofNullable(extra == null ? null : extra.engineRef()),
        Millis.optional(ready[c][o]), extra == null ? Map.of() : extra.usage());
  }
}
