package dev.dagflow.eval.internal;

import static dev.dagflow.eval.internal.States.COMPLETED;
import static dev.dagflow.eval.internal.States.FAILED;
import static dev.dagflow.eval.internal.States.INITIALIZING;
import static dev.dagflow.eval.internal.States.READY;
import static dev.dagflow.eval.internal.States.RUNNING;
import static dev.dagflow.eval.internal.States.SKIPPED;
import static dev.dagflow.eval.internal.States.STOPPED;
import static dev.dagflow.eval.internal.States.TIMED_OUT;
import static dev.dagflow.eval.internal.States.WAITING;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.eval.RunEvaluation;
import dev.dagflow.eval.TransitionListener;
import dev.dagflow.filter.Filter;
import dev.dagflow.internal.FilterDocument;
import dev.dagflow.internal.SpecGraph;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.IllegalTransitionException;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.TriggerType;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.function.IntFunction;

/**
 * One run's node states, updated incrementally: when a node ends, only its out-edges and its
 * container link are visited (and, for a container that ends without running its children, its
 * child links), so a whole run costs O(N + E + containment links). Ended nodes go through a
 * queue, never recursion. A manual retry or a restore re-derives gates from states instead, in
 * {@link Recovery}. Not thread-safe.
 */
final class IncrementalRun implements RunEvaluation {
  private static final NodeState[] STATES = States.ALL;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  // Gate flags per node. Package-private, like the arrays below, for Recovery, which re-derives
  // them from scratch on a manual retry or a restore.
  static final byte EDGES_OPEN = 1;
  static final byte ACTIVATED = 2;
  static final byte CHILD_FAILED = 4;
  static final byte TIMER_SET = 8;
  /** A WAITING task waiting out a retry's backoff: its other gates stay open. */
  static final byte RETRYING = 16;
  /** Scratch marks of one Recovery call, cleared before it returns: collected; re-opened. */
  static final byte MARK = 32;
  static final byte REOPENED = 64;

  final DagSpec spec;
  final Plan plan;
  private final ObjectNode params;
  final long startMillis;
  private final TransitionListener listener;
  final byte[] state;
  final byte[] flags;
  final int[] pending;
  /** Children not yet ended, per container; empty when the spec has no container. */
  final int[] openChildren;
  /**
   * The time a node may start, epoch millis, raised by a retry's backoff; {@code null} until a
   * node has a time gate, since most runs have none.
   */
  long[] readyAt;
  /** Results kept for edge conditions; empty when the spec has none. */
  final JsonNode[] results;
  private final PriorityQueue<long[]> timers =
      new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
  private final IntQueue endedQueue = new IntQueue();
  private long now;
  /** Nodes in a terminal state; of those, FAILED or TIMED_OUT, and STOPPED. */
  int ended;
  int failedCount;
  int stoppedCount;
  boolean started;
  boolean runStopped;
  /** Set when the run's deadline passed: its outcome is FAILED; a manual retry clears it. */
  boolean deadlinePassed;
  long edgeVisits;
  private ObjectNode activationDocument;
  /** The spec's resolved graph: which nodes its targets do not need (never run nor re-opened). */
  final SpecGraph graph;

  IncrementalRun(DagSpec spec, Plan plan, ObjectNode params, Instant startTime,
      TransitionListener listener) {
    this.spec = spec;
    this.plan = plan;
    this.params = params.deepCopy();
    this.startMillis = startTime.toEpochMilli();
    this.now = startMillis;
    this.listener = listener;
    this.graph = SpecGraph.of(spec);
    int n = plan.n;
    state = new byte[n];
    flags = new byte[n];
    pending = plan.initialPending.clone();
    openChildren = plan.hasContainers ? new int[n] : new int[0];
    results = plan.outCondition != null ? new JsonNode[n] : new JsonNode[0];
    for (int v = 0; v < n; v++) {
      if (plan.openFromStart[v]) {
        flags[v] = EDGES_OPEN;
      }
    }
    if (plan.hasContainers) {
      for (int v = 0; v < n; v++) {
        openChildren[v] = plan.childStart[v + 1] - plan.childStart[v];
      }
    }
    if (plan.hasTimeGates) {
      readyAt = new long[n];
      for (int v = 0; v < n; v++) {
        readyAt[v] = plan.plannedReadyAt(v, startMillis);
      }
    }
  }

  // ---- events ----------------------------------------------------------------------------

  @Override
  public void start() {
    if (started) {
      throw new IllegalStateException("run already started");
    }
    started = true;
    for (int v = 0; v < plan.n; v++) {
      move(v, WAITING, TriggerType.SYSTEM, "run started");
    }
    BitSet notNeeded = graph.notNeeded(); // what the targets do not need, before any opening
    for (int v = notNeeded.nextSetBit(0); v >= 0; v = notNeeded.nextSetBit(v + 1)) {
      move(v, SKIPPED, TriggerType.DEPENDENCY, graph.targetReason()); // drained below
    }
    for (int v = 0; v < plan.n; v++) {
      evaluate(v);
    }
    drain();
  }

  @Override
  public void dispatched(int node) {
    checkNode(node);
    if (plan.container[node]) {
      move(node, INITIALIZING, TriggerType.SYSTEM, "dispatched");
      if (!plan.hasTaskType[node]) {
        containerRunning(node, "no set-up needed");
      }
    } else {
      move(node, RUNNING, TriggerType.SYSTEM, "dispatched");
    }
    drain();
  }

  @Override
  public void containerReady(int node) {
    checkNode(node);
    if (!plan.container[node]) {
      throw new IllegalArgumentException("node '" + plan.id(node) + "' is not a container");
    }
    containerRunning(node, "container ready");
    drain();
  }

  @Override
  public void completed(int node, JsonNode result) {
    requireTask(node, "completes when all its children have ended");
    Objects.requireNonNull(result, "result");
    move(node, COMPLETED, TriggerType.SYSTEM, "completed");
    if (plan.needsResult[node]) {
      results[node] = result;
    }
    drain();
  }

  @Override
  public void failed(int node, String reason) {
    checkNode(node);
    if (plan.container[node] && state[node] != INITIALIZING) {
      throw new IllegalArgumentException("container '" + plan.id(node)
          + "' fails only in set-up; once running, its state follows its children");
    }
    move(node, FAILED, TriggerType.ERROR, reason);
    drain();
  }

  @Override
  public void timedOut(int node, String reason) {
    requireTask(node, "cannot time out; its state follows its children");
    move(node, TIMED_OUT, TriggerType.TIMEOUT, reason);
    drain();
  }

  @Override
  public void subtreeEnded(int node, boolean failed, String reason) {
    checkNode(node);
    Objects.requireNonNull(reason, "reason");
    if (!plan.container[node] || state[node] != RUNNING) {
      throw new IllegalArgumentException("node '" + plan.id(node)
          + "' is not a running container: it is " + STATES[state[node]]);
    }
    // Every node inside ends before anything propagates, children before their containers; a
    // running container inside fails with the subtree, or else follows its children as they
    // drain.
    int[] order = subtree(node);
    for (int i = order.length - 1; i >= 0; i--) {
      int v = order[i];
      byte s = state[v];
      if (plan.container[v]) {
        if (s == WAITING) {
          move(v, SKIPPED, TriggerType.DEPENDENCY, reason);
        } else if (s == READY) {
          move(v, STOPPED, TriggerType.SYSTEM, reason);
        } else if (s == INITIALIZING || s == RUNNING && failed) {
          move(v, FAILED, TriggerType.ERROR, reason); // else it follows its children
        }
      } else if (s == RUNNING) {
        move(v, FAILED, TriggerType.ERROR, reason);
      } else if (s == READY) {
        move(v, STOPPED, TriggerType.SYSTEM, reason);
      } else if (s == WAITING) {
        move(v, SKIPPED, TriggerType.DEPENDENCY, reason);
      }
    }
    if (failed) {
      move(node, FAILED, TriggerType.ERROR, reason);
    }
    drain();
  }

  /** The nodes inside container {@code c}, in preorder: each before what is inside it. */
  private int[] subtree(int c) {
    int[] out = new int[16];
    int size = 0;
    int[] stack = {c};
    int top = 1;
    while (top > 0) {
      int p = stack[--top];
      for (int k = plan.childStart[p + 1] - 1; k >= plan.childStart[p]; k--) {
        edgeVisits++;
        int child = plan.children[k];
        if (size == out.length) {
          out = Arrays.copyOf(out, size * 2);
        }
        out[size++] = child;
        if (plan.container[child]) {
          if (top == stack.length) {
            stack = Arrays.copyOf(stack, top * 2);
          }
          stack[top++] = child;
        }
      }
    }
    return Arrays.copyOf(out, size);
  }

  @Override
  public void retryAt(int node, Instant at, TriggerType trigger, String reason) {
    requireTask(node, "is not retried; its state follows its children");
    long atMillis = at.toEpochMilli();
    Objects.requireNonNull(trigger, "trigger");
    move(node, WAITING, trigger, reason);
    if (readyAt == null) {
      readyAt = new long[plan.n];
      Arrays.fill(readyAt, Long.MIN_VALUE);
    }
    readyAt[node] = atMillis;
    flags[node] = (byte) (flags[node] & ~TIMER_SET | RETRYING);
    evaluate(node);
    drain();
  }

  @Override
  public void stop(int node, String reason) {
    stop(node, TriggerType.USER, reason);
  }

  @Override
  public void stop(int node, TriggerType trigger, String reason) {
    checkNode(node);
    if (trigger != TriggerType.USER && trigger != TriggerType.SYSTEM) {
      throw new IllegalArgumentException("a stop is USER or SYSTEM, not " + trigger);
    }
    if (States.isTerminal(state[node])) {
      return;
    }
    // The whole subtree stops before anything propagates, so that no node inside is first
    // skipped because a sibling it depends on was stopped.
    move(node, STOPPED, trigger, reason);
    if (plan.container[node]) {
      String inside = "container '" + plan.id(node) + "' stopped";
      int[] stack = new int[16];
      int top = 0;
      stack[top++] = node;
      while (top > 0) {
        int c = stack[--top];
        for (int k = plan.childStart[c], end = plan.childStart[c + 1]; k < end; k++) {
          edgeVisits++;
          int child = plan.children[k];
          if (!States.isTerminal(state[child])) {
            move(child, STOPPED, trigger, inside);
          }
          if (plan.container[child]) {
            if (top == stack.length) {
              stack = Arrays.copyOf(stack, top * 2);
            }
            stack[top++] = child;
          }
        }
      }
    }
    drain();
  }

  @Override
  public void stopRun(String reason) {
    if (started && ended == plan.n) {
      return; // the run has ended; its outcome stands
    }
    if (!started) {
      started = true; // PENDING -> STOPPED: the run never starts
    }
    runStopped = true;
    for (int v = 0; v < plan.n; v++) {
      if (!States.isTerminal(state[v])) {
        move(v, STOPPED, TriggerType.USER, reason);
      }
    }
    drain();
  }

  @Override
  public void reopen(int node, String reason) {
    checkNode(node);
    Objects.requireNonNull(reason, "reason");
    new Recovery(this).reopen(node, reason);
    deadlinePassed = false; // the retried run has a deadline of its own
  }

  @Override
  public void restore(List<NodeState> states, IntFunction<JsonNode> results,
      IntFunction<Instant> waitUntil, boolean runStopped) {
    if (started) {
      throw new IllegalStateException("run already started or restored");
    }
    new Recovery(this).restore(states, results, waitUntil, runStopped);
  }

  @Override
  public void advanceTo(Instant time) {
    checkStarted();
    now = Math.max(now, time.toEpochMilli());
    while (!timers.isEmpty() && timers.peek()[0] <= now) {
      int v = (int) timers.poll()[1];
      flags[v] &= ~TIMER_SET;
      evaluate(v);
    }
    drain();
  }

  // ---- queries ---------------------------------------------------------------------------

  @Override
  public NodeState state(int node) {
    if (node < 0 || node >= plan.n) {
      throw new IllegalArgumentException("no node at position " + node);
    }
    return STATES[state[node]];
  }

  @Override
  public void deadlinePassed(String reason) {
    Objects.requireNonNull(reason, "reason");
    if (ended == plan.n) {
      return;
    }
    deadlinePassed = true;
    for (int v = 0; v < plan.n; v++) {
      byte s = state[v];
      if (plan.container[v]) {
        if (s == INITIALIZING) {
          move(v, FAILED, TriggerType.ERROR, reason);
        } else if (s == WAITING || s == READY) {
          move(v, STOPPED, TriggerType.SYSTEM, reason);
        }
      } else if (s == RUNNING) {
        move(v, TIMED_OUT, TriggerType.TIMEOUT, reason);
      } else if (s == WAITING || s == READY) {
        move(v, STOPPED, TriggerType.SYSTEM, reason);
      }
    }
    drain();
  }

  @Override
  public Optional<RunState> outcome() {
    return ended == plan.n
        ? Optional.of(RunState.ended(runStopped, failedCount > 0 || deadlinePassed,
            stoppedCount > 0))
        : Optional.empty();
  }

  @Override
  public Optional<Instant> nextWakeUp() {
    while (!timers.isEmpty()) {
      long[] next = timers.peek();
      int v = (int) next[1];
      if (state[v] == WAITING && (flags[v] & TIMER_SET) != 0 && readyAt(v) == next[0]) {
        return Optional.of(Instant.ofEpochMilli(next[0]));
      }
      timers.poll(); // stale: the node was stopped, rescheduled or its gates re-derived
    }
    return Optional.empty();
  }

  @Override
  public long edgeVisits() {
    return edgeVisits;
  }

  @Override
  public NodeExplanation explain(int node) {
    return explain(node, Instant.ofEpochMilli(now));
  }

  @Override
  public NodeExplanation explain(int node, Instant now) {
    state(node); // checks the position
    return new Explainer(spec, plan, this).explain(node, Objects.requireNonNull(now, "now"));
  }

  long readyAt(int v) {
    return readyAt == null ? Long.MIN_VALUE : readyAt[v];
  }

  long now() {
    return now;
  }

  boolean activated(int v) {
    return (flags[v] & ACTIVATED) != 0;
  }

  boolean edgesOpen(int v) {
    return (flags[v] & EDGES_OPEN) != 0;
  }

  // ---- the machinery ---------------------------------------------------------------------

  private void checkStarted() {
    if (!started) {
      throw new IllegalStateException("run not started");
    }
  }

  /** Checks the run has started and {@code node} is a position of the spec. */
  private void checkNode(int node) {
    checkStarted();
    if (node < 0 || node >= plan.n) {
      throw new IllegalArgumentException(
          "no node at position " + node + "; the spec has " + plan.n + " nodes");
    }
  }

  private void requireTask(int node, String why) {
    checkNode(node);
    if (plan.container[node]) {
      throw new IllegalArgumentException("container '" + plan.id(node) + "' " + why);
    }
  }

  /** Applies one transition, or throws without changing anything if the table forbids it. */
  void move(int v, byte to, TriggerType trigger, String reason) {
    byte from = state[v];
    if (!States.isLegal(plan.container[v], from, to)) {
      throw new IllegalTransitionException(plan.id(v), STATES[from], STATES[to]);
    }
    state[v] = to;
    listener.onTransition(v, STATES[from], STATES[to], trigger, reason);
    if (from >= COMPLETED) { // a manual retry re-opens an ended node
      count(from, -1);
    }
    if (to >= COMPLETED) {
      count(to, 1);
      endedQueue.add(v);
    }
  }

  /** Adds {@code delta} to the counters of ended nodes for one node in terminal state {@code s}. */
  void count(byte s, int delta) {
    ended += delta;
    if (s == FAILED || s == TIMED_OUT) {
      failedCount += delta;
    } else if (s == STOPPED) {
      stoppedCount += delta;
    }
  }

  /** Propagates every ended node: its out-edges, its container, and its own children. */
  void drain() {
    while (!endedQueue.isEmpty()) {
      int u = endedQueue.poll();
      if (!runStopped) {
        propagateEdges(u);
      }
      if (plan.container[u]) {
        endChildren(u);
      }
      int p = plan.parent[u];
      if (p >= 0 && !States.isTerminal(state[p])) { // an ended container no longer counts children
        edgeVisits++;
        openChildren[p]--;
        byte s = state[u];
        if (s == FAILED || s == TIMED_OUT) {
          flags[p] |= CHILD_FAILED;
        }
        if (openChildren[p] == 0 && state[p] == RUNNING) {
          finishContainer(p);
        }
      }
    }
  }

  private void propagateEdges(int u) {
    byte s = state[u];
    JsonNode document = null;
    for (int k = plan.outStart[u], end = plan.outStart[u + 1]; k < end; k++) {
      edgeVisits++;
      int v = plan.outTarget[k];
      if (state[v] != WAITING || (flags[v] & EDGES_OPEN) != 0 && !plan.joinOne[v]) {
        continue;
      }
      boolean satisfied = States.typeSatisfied(plan.outType[k], s);
      if (satisfied && plan.outCondition != null && plan.outCondition[k] != null) {
        if (document == null) {
          document = conditionDocument(u);
        }
        satisfied = plan.outCondition[k].matches(document);
      }
      if (plan.joinOne[v]) {
        if ((flags[v] & EDGES_OPEN) != 0) {
          continue;
        }
        if (satisfied) {
          flags[v] |= EDGES_OPEN;
          evaluate(v);
        } else if (--pending[v] == 0) {
          move(v, SKIPPED, TriggerType.DEPENDENCY, "no edge can be satisfied");
        }
      } else if (!satisfied) {
        move(v, SKIPPED, TriggerType.DEPENDENCY, "edge from '" + plan.id(u)
            + "' cannot be satisfied: it is " + STATES[s]);
      } else if (--pending[v] == 0) {
        flags[v] |= EDGES_OPEN;
        evaluate(v);
      }
    }
  }

  /** What an edge condition on an out-edge of the ended node {@code u} reads. */
  JsonNode conditionDocument(int u) {
    JsonNode result = results[u]; // only a COMPLETED node has one: it is never re-opened
    return FilterDocument.edgeCondition(result == null ? JSON.nullNode() : result,
        STATES[state[u]].name());
  }

  /** A waiting node whose gates may have opened: moves it to READY, SKIPPED, or leaves it. */
  void evaluate(int v) {
    if (state[v] != WAITING || (flags[v] & EDGES_OPEN) == 0) {
      return;
    }
    int p = plan.parent[v];
    if (p >= 0 && state[p] != RUNNING) {
      return;
    }
    if ((flags[v] & ACTIVATED) == 0) {
      Filter activation = plan.activation(v);
      if (activation != null && !activation.matches(activationDocument())) {
        move(v, SKIPPED, TriggerType.DEPENDENCY, "activation condition is false");
        return;
      }
      flags[v] |= ACTIVATED;
    }
    if (readyAt != null && readyAt[v] > now) {
      if ((flags[v] & TIMER_SET) == 0) {
        flags[v] |= TIMER_SET;
        timers.add(new long[] {readyAt[v], v});
      }
      return;
    }
    move(v, READY, TriggerType.DEPENDENCY, "gates open");
  }

  private ObjectNode activationDocument() {
    if (activationDocument == null) {
      activationDocument = FilterDocument.activation(params);
    }
    return activationDocument;
  }

  private void containerRunning(int c, String reason) {
    move(c, RUNNING, TriggerType.SYSTEM, reason);
    if (openChildren[c] == 0) {
      finishContainer(c);
      return;
    }
    for (int k = plan.childStart[c], end = plan.childStart[c + 1]; k < end; k++) {
      edgeVisits++;
      evaluate(plan.children[k]);
    }
  }

  void finishContainer(int c) {
    boolean failed = (flags[c] & CHILD_FAILED) != 0;
    move(c, failed ? FAILED : COMPLETED, failed ? TriggerType.ERROR : TriggerType.SYSTEM,
        failed ? "a child failed" : "all children ended");
  }

  /**
   * A container that ended without running its children (skipped, or its set-up failed) skips
   * them. A stopped container has stopped its subtree already; one that ran has no open child.
   */
  void endChildren(int c) {
    byte s = state[c];
    if (openChildren[c] == 0 || s == STOPPED) {
      return;
    }
    String reason = "container '" + plan.id(c) + "' ended " + STATES[s] + " without running it";
    for (int k = plan.childStart[c], end = plan.childStart[c + 1]; k < end; k++) {
      edgeVisits++;
      int child = plan.children[k];
      if (!States.isTerminal(state[child])) {
        move(child, SKIPPED, TriggerType.DEPENDENCY, reason);
      }
    }
  }
}
