package dev.dagflow.store.memory;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * The transitions of one run, packed: per transition an epoch-millis {@code long}, the node's
 * index in the spec, one {@code int} holding from, to, trigger and attempt, and one reference
 * to the reason — about 20 bytes, with the reason string shared as the caller gave it. The rare
 * transition with an operator, or with an attempt too large for its bits, refers to an
 * {@link Extra} instead of the bare reason. Transitions are only appended, and are turned back
 * into {@link StateTransition}s only when read.
 *
 * <p>Not thread-safe: {@link RunData} guards it with the run's lock. A {@link #view} may be read
 * without the lock, as entries below its size never change once written.
 */
final class TransitionLog {
  private static final NodeState[] STATES = NodeState.values();
  private static final TriggerType[] TRIGGERS = TriggerType.values();
  private static final int TO_SHIFT = 4;
  private static final int TRIGGER_SHIFT = 8;
  private static final int EXTRA_BIT = 1 << 11;
  private static final int ATTEMPT_SHIFT = 12;
  private static final int MAX_PACKED_ATTEMPT = (1 << (32 - ATTEMPT_SHIFT)) - 1;

  static {
    if (STATES.length > 1 << TO_SHIFT || TRIGGERS.length > 1 << (11 - TRIGGER_SHIFT)) {
      throw new ExceptionInInitializerError("node states or triggers outgrew their bits");
    }
  }

  /** The fields that do not fit the packed columns. */
  private record Extra(String reason, String operator, int attempt) {}

  private long[][] times = new long[0][];
  private int[][] nodes = new int[0][];
  private int[][] codes = new int[0][];
  private Object[][] texts = new Object[0][];
  private int size;

  int size() {
    return size;
  }

  /** Appends {@code t}, whose node is at {@code node} in the spec. */
  void add(int node, StateTransition t) {
    int i = size;
    times = Chunks.ensure(times, i);
    nodes = Chunks.ensure(nodes, i);
    codes = Chunks.ensure(codes, i);
    texts = Chunks.ensure(texts, i);
    int c = Chunks.chunk(i);
    int o = Chunks.offset(i);
    times[c][o] = Millis.of(t.time());
    nodes[c][o] = node;
    int code = t.from().ordinal() | t.to().ordinal() << TO_SHIFT
        | t.trigger().ordinal() << TRIGGER_SHIFT;
    String operator = t.operator().orElse(null);
    int attempt = t.attempt();
    if (operator == null && attempt >= 0 && attempt <= MAX_PACKED_ATTEMPT) {
      codes[c][o] = code | attempt << ATTEMPT_SHIFT;
      texts[c][o] = t.reason();
    } else {
      codes[c][o] = code | EXTRA_BIT;
      texts[c][o] = new Extra(t.reason(), operator, attempt);
    }
    size = i + 1;
  }

  /** The transitions written so far, as an unmodifiable list that later appends leave alone. */
  List<StateTransition> view(String runId, DagSpec spec) {
    return size == 0 ? List.of()
        : new View(runId, spec, times.clone(), nodes.clone(), codes.clone(), texts.clone(), size);
  }

  private static final class View extends AbstractList<StateTransition> implements RandomAccess {
    private final String runId;
    private final DagSpec spec;
    private final long[][] times;
    private final int[][] nodes;
    private final int[][] codes;
    private final Object[][] texts;
    private final int size;

    View(String runId, DagSpec spec, long[][] times, int[][] nodes, int[][] codes,
        Object[][] texts, int size) {
      this.runId = runId;
      this.spec = spec;
      this.times = times;
      this.nodes = nodes;
      this.codes = codes;
      this.texts = texts;
      this.size = size;
    }

    @Override
    public StateTransition get(int index) {
      if (index < 0 || index >= size) {
        throw new IndexOutOfBoundsException("index " + index + ", size " + size);
      }
      int c = Chunks.chunk(index);
      int o = Chunks.offset(index);
      int code = codes[c][o];
      Object text = texts[c][o];
      String reason;
      String operator;
      int attempt;
      if ((code & EXTRA_BIT) != 0) {
        Extra extra = (Extra) text;
        reason = extra.reason();
        operator = extra.operator();
        attempt = extra.attempt();
      } else {
        reason = (String) text;
        operator = null;
        attempt = code >>> ATTEMPT_SHIFT;
      }
      return new StateTransition(runId, spec.nodes().get(nodes[c][o]).id(), attempt,
          STATES[code & 0xF], STATES[code >>> TO_SHIFT & 0xF],
          reason, TRIGGERS[code >>> TRIGGER_SHIFT & 0x7], operator,
          Millis.instant(times[c][o]));
    }

    @Override
    public int size() {
      return size;
    }
  }
}
