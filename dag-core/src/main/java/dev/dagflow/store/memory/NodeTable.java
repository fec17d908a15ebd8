package dev.dagflow.store.memory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The node records and attempts of one run, in columns indexed by the node's position in the
 * spec: state, progress, attempt, start and end millis, result, the rarely set fields, and the
 * head of the node's attempt chain in an {@link AttemptTable}. About 34 bytes a node; the
 * columns are made on the first write, so a run that never starts costs nothing here.
 *
 * <p>Not thread-safe: {@link RunData} guards it with the run's lock.
 */
final class NodeTable {
  private static final NodeState[] STATES = NodeState.values();

  /** The fields that are usually unset: a manual retry's base, a backoff, an error, a config. */
  private record Extra(int attemptBase, long waitUntil, String errorCode, String errorMessage,
      ObjectNode config) {}

  private final int size;
  /** Per node, 1 + the ordinal of its state; 0 for a node without a record. */
  private byte[] states;
  private byte[] progress;
  private int[] attempts;
  private long[] started;
  private long[] ended;
  private Object[] results;
  private Object[] extras;
  /** Per node, the head of its attempt chain in {@link #attemptTable}; 0 for none. */
  private int[] attemptHeads;
  private final AttemptTable attemptTable = new AttemptTable();

  NodeTable(int size) {
    this.size = size;
  }

  void put(int node, NodeRecord r) {
    allocate();
    states[node] = (byte) (r.state().ordinal() + 1);
    progress[node] = (byte) r.progress();
    attempts[node] = r.attempt();
    started[node] = Millis.of(r.startedAt());
    ended[node] = Millis.of(r.endedAt());
    results[node] = r.result().orElse(null);
    boolean plain = r.attemptBase() == 0 && r.waitUntil().isEmpty() && r.errorCode().isEmpty()
        && r.errorMessage().isEmpty() && r.config().isEmpty();
    extras[node] = plain ? null : new Extra(r.attemptBase(), Millis.of(r.waitUntil()),
        r.errorCode().orElse(null), r.errorMessage().orElse(null), r.config().orElse(null));
  }

  void put(int node, AttemptRecord a) {
    allocate();
    int slot = attemptTable.find(attemptHeads[node], a.attempt());
    if (slot < 0) {
      attemptHeads[node] = attemptTable.add(attemptHeads[node]);
      slot = attemptHeads[node] - 1;
    }
    attemptTable.set(slot, a);
  }

  /** The records of the nodes that have one, in spec order. */
  List<NodeRecord> records(String runId, DagSpec spec) {
    if (states == null) {
      return List.of();
    }
    List<NodeRecord> out = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      if (states[i] != 0) {
        out.add(record(i, runId, spec.nodes().get(i).id()));
      }
    }
    return List.copyOf(out);
  }

  /** Every attempt, each node's together by number, nodes in the spec's order. */
  List<AttemptRecord> attempts(String runId, DagSpec spec) {
    if (states == null) {
      return List.of();
    }
    List<AttemptRecord> out = new ArrayList<>();
    int[] chain = new int[4];
    for (int i = 0; i < size; i++) {
      int n = 0;
      for (int slot = attemptHeads[i] - 1; slot >= 0; slot = attemptTable.previous(slot) - 1) {
        if (n == chain.length) {
          chain = Arrays.copyOf(chain, n * 2);
        }
        chain[n++] = slot;
      }
      sortByNumber(chain, n);
      String nodeId = n == 0 ? null : spec.nodes().get(i).id();
      for (int k = 0; k < n; k++) {
        out.add(attemptTable.read(chain[k], runId, nodeId));
      }
    }
    return List.copyOf(out);
  }

  private NodeRecord record(int i, String runId, String nodeId) {
    Extra extra = (Extra) extras[i];
    return new NodeRecord(runId, nodeId, STATES[states[i] - 1], attempts[i],
        extra == null ? 0 : extra.attemptBase(), progress[i], Millis.optional(started[i]),
        Millis.optional(ended[i]),
        extra == null ? Optional.empty() : Millis.optional(extra.waitUntil()),
        Optional.ofNullable((JsonNode) results[i]),
        Optional.ofNullable(extra == null ? null : extra.errorCode()),
        Optional.ofNullable(extra == null ? null : extra.errorMessage()),
        Optional.ofNullable(extra == null ? null : extra.config()));
  }

  /** Insertion sort: a chain is short and usually newest first. */
  private void sortByNumber(int[] slots, int n) {
    for (int i = 1; i < n; i++) {
      int slot = slots[i];
      int number = attemptTable.number(slot);
      int j = i - 1;
      while (j >= 0 && attemptTable.number(slots[j]) > number) {
        slots[j + 1] = slots[j];
        j--;
      }
      slots[j + 1] = slot;
    }
  }

  private void allocate() {
    if (states == null) {
      states = new byte[size];
      progress = new byte[size];
      attempts = new int[size];
      started = new long[size];
      ended = new long[size];
      results = new Object[size];
      extras = new Object[size];
      attemptHeads = new int[size];
    }
  }
}
