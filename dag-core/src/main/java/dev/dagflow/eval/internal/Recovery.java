package dev.dagflow.eval.internal;

import static dev.dagflow.eval.internal.IncrementalRun.ACTIVATED;
import static dev.dagflow.eval.internal.IncrementalRun.CHILD_FAILED;
import static dev.dagflow.eval.internal.IncrementalRun.EDGES_OPEN;
import static dev.dagflow.eval.internal.IncrementalRun.MARK;
import static dev.dagflow.eval.internal.IncrementalRun.REOPENED;
import static dev.dagflow.eval.internal.IncrementalRun.RETRYING;
import static dev.dagflow.eval.internal.States.COMPLETED;
import static dev.dagflow.eval.internal.States.FAILED;
import static dev.dagflow.eval.internal.States.READY;
import static dev.dagflow.eval.internal.States.RUNNING;
import static dev.dagflow.eval.internal.States.SKIPPED;
import static dev.dagflow.eval.internal.States.STOPPED;
import static dev.dagflow.eval.internal.States.TIMED_OUT;
import static dev.dagflow.eval.internal.States.WAITING;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.state.IllegalTransitionException;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.TriggerType;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Manual retry and restore for an {@link IncrementalRun}. Where the run counts events (an
 * upstream ended: one edge fewer to wait for), these re-derive a node's gates from scratch, from
 * the current states of its upstreams (through the plan's {@link InEdges}) and of its children.
 * Works on the run's arrays directly; used on the run's thread, one call at a time.
 */
final class Recovery {
  private static final NodeState[] STATES = States.ALL;
  private static final byte PENDING = (byte) NodeState.PENDING.ordinal();

  private final IncrementalRun run;
  private final Plan plan;
  private final InEdges in;
  private final byte[] state;
  private final byte[] flags;
  /** Nodes whose gates are re-derived (or, for an open container, children recounted). */
  private int[] touched = new int[16];
  private int touchedSize;
  /** Nodes whose edges can never be satisfied, found by the re-derivation: skipped after it. */
  private int[] doomed = new int[4];
  private int doomedSize;

  Recovery(IncrementalRun run) {
    this.run = run;
    this.plan = run.plan;
    this.in = plan.inEdges(run.spec);
    this.state = run.state;
    this.flags = run.flags;
  }

  // ---- manual retry ----------------------------------------------------------------------

  /**
   * Re-opens {@code node}, its ended ancestors and what it had skipped or stopped downstream, in
   * three passes so that every count is taken from settled states: move them to WAITING;
   * re-derive their gates (and those of waiting nodes downstream, whose edges from a re-opened
   * node are undecided again); then open or skip them and propagate.
   */
  void reopen(int node, String reason) {
    byte s = state[node];
    if (s != FAILED && s != TIMED_OUT && s != STOPPED) {
      throw new IllegalTransitionException(plan.id(node), STATES[s], NodeState.WAITING);
    }
    if (!needed(node)) { // stopped before the run started: it never runs
      throw new IllegalStateException("node '" + plan.id(node) + "' cannot be retried: it is "
          + run.graph.targetReason());
    }
    for (int p = plan.parent[node]; p >= 0; p = plan.parent[p]) {
      if (state[p] == COMPLETED) {
        throw new IllegalStateException("node '" + plan.id(node) + "' cannot be retried: its"
            + " container '" + plan.id(p) + "' has COMPLETED");
      }
    }
    run.runStopped = false;
    reopenOne(node, reason);
    for (int p = plan.parent[node]; p >= 0; p = plan.parent[p]) {
      if (!States.isTerminal(state[p])) {
        touch(p); // still open, and so is every container above it: recount its children
        break;
      }
      reopenOne(p, reason);
    }
    // touched doubles as the queue of re-opened nodes still to follow downstream.
    for (int i = 0; i < touchedSize; i++) {
      int r = touched[i];
      if (state[r] != WAITING || !wasReopened(r)) {
        continue;
      }
      for (int k = plan.outStart[r], end = plan.outStart[r + 1]; k < end; k++) {
        run.edgeVisits++;
        follow(plan.outTarget[k], reason);
      }
      for (int k = in.freeStart[r], end = in.freeStart[r + 1]; k < end; k++) {
        run.edgeVisits++;
        follow(in.freeTarget[k], reason);
      }
      if (plan.container[r]) {
        for (int k = plan.childStart[r], end = plan.childStart[r + 1]; k < end; k++) {
          run.edgeVisits++;
          int child = plan.children[k];
          if ((state[child] == SKIPPED || state[child] == STOPPED) && needed(child)) {
            reopenOne(child, reason);
          }
        }
      }
    }
    rederiveTouched();
    settle();
  }

  /** Whether a node collected for re-derivation was re-opened (rather than found waiting). */
  private boolean wasReopened(int v) {
    return (flags[v] & REOPENED) != 0;
  }

  private void reopenOne(int v, String reason) {
    run.move(v, WAITING, TriggerType.USER, reason);
    flags[v] &= MARK; // whatever it had from before it ended, a retry's RETRYING among them
    if (run.readyAt != null) {
      run.readyAt[v] = plan.plannedReadyAt(v, run.startMillis); // a retry's backoff is over
    }
    touch(v);
    flags[v] |= REOPENED;
    int p = plan.parent[v];
    if (p >= 0) {
      touch(p);
    }
  }

  /** A node downstream of a re-opened one. */
  private void follow(int t, String reason) {
    byte s = state[t];
    int p = plan.parent[t];
    // Inside a container that stays ended it could never run: it is left as it is (if the
    // container is re-opened later in this retry, it re-opens its children itself).
    if ((s == SKIPPED || s == STOPPED) && (p < 0 || !States.isTerminal(state[p]))
        && needed(t)) {
      reopenOne(t, reason);
    } else if (s == WAITING) {
      touch(t); // an edge from a re-opened node is undecided again
    }
  }

  /** Whether the run's targets, if it has any, need {@code v}: one they do not never runs. */
  private boolean needed(int v) {
    return !run.graph.notNeeded(v);
  }

  private void touch(int v) {
    if ((flags[v] & MARK) != 0) {
      return;
    }
    flags[v] |= MARK;
    if (touchedSize == touched.length) {
      touched = Arrays.copyOf(touched, touchedSize * 2);
    }
    touched[touchedSize++] = v;
  }

  private void rederiveTouched() {
    for (int i = 0; i < touchedSize; i++) {
      int v = touched[i];
      flags[v] &= ~(MARK | REOPENED);
      if (state[v] == WAITING && (flags[v] & RETRYING) == 0) {
        rederive(v);
      } else if (plan.container[v]) {
        recountChildren(v);
      }
    }
  }

  /** Skips the doomed, evaluates every other touched node that waits, and propagates. */
  private void settle() {
    for (int i = 0; i < doomedSize; i++) {
      int v = doomed[i];
      if (state[v] == WAITING) {
        run.move(v, SKIPPED, TriggerType.DEPENDENCY, plan.joinOne[v] ? "no edge can be satisfied"
            : "an edge cannot be satisfied");
      }
    }
    for (int i = 0; i < touchedSize; i++) {
      run.evaluate(touched[i]);
    }
    run.drain();
  }

  // ---- restore ---------------------------------------------------------------------------

  void restore(List<NodeState> states, IntFunction<JsonNode> results,
      IntFunction<Instant> waitUntil, boolean runStopped) {
    Objects.requireNonNull(states, "states");
    Objects.requireNonNull(results, "results");
    Objects.requireNonNull(waitUntil, "waitUntil");
    byte[] restored = validate(states, runStopped);
    if (restored == null) {
      run.start();
      return;
    }
    // Ask for everything before changing anything, so that a throwing function changes nothing.
    int n = plan.n;
    JsonNode[] kept = new JsonNode[run.results.length];
    long[] retryAt = null;
    for (int v = 0; v < n; v++) {
      if (restored[v] == COMPLETED && plan.needsResult[v]) {
        kept[v] = results.apply(v);
      } else if (restored[v] == WAITING && !plan.container[v]) {
        Instant at = waitUntil.apply(v);
        if (at != null) {
          if (retryAt == null) {
            retryAt = new long[n];
            Arrays.fill(retryAt, Long.MIN_VALUE);
          }
          retryAt[v] = at.toEpochMilli();
        }
      }
    }

    run.started = true;
    run.runStopped = runStopped;
    System.arraycopy(restored, 0, state, 0, n);
    System.arraycopy(kept, 0, run.results, 0, kept.length);
    if (retryAt != null && run.readyAt == null) {
      run.readyAt = new long[n];
      Arrays.fill(run.readyAt, Long.MIN_VALUE);
    }
    for (int v = 0; v < n; v++) {
      byte s = state[v];
      if (States.isTerminal(s)) {
        run.count(s, 1);
      }
      if (plan.container[v] && s != WAITING) {
        recountChildren(v); // a waiting one is recounted with its gates
      }
      if (s == READY || s == States.INITIALIZING || s == RUNNING) {
        flags[v] |= EDGES_OPEN | ACTIVATED; // it opened them before it was dispatched
      } else if (s == WAITING && retryAt != null && retryAt[v] != Long.MIN_VALUE) {
        flags[v] |= EDGES_OPEN | ACTIVATED | RETRYING; // as retryAt left them
        run.readyAt[v] = retryAt[v];
      } else if (s == WAITING) {
        rederive(v);
      }
    }
    for (int v = 0; v < n; v++) {
      byte s = state[v];
      if (plan.container[v] && (s == SKIPPED || s == FAILED) && run.openChildren[v] > 0) {
        run.endChildren(v); // it ended without running them; they had not been skipped yet
      }
    }
    for (int i = 0; i < doomedSize; i++) {
      int v = doomed[i];
      if (state[v] == WAITING) {
        run.move(v, SKIPPED, TriggerType.DEPENDENCY, plan.joinOne[v] ? "no edge can be satisfied"
            : "an edge cannot be satisfied");
      }
    }
    for (int v = 0; v < n; v++) {
      if (state[v] == WAITING) {
        run.evaluate(v);
      } else if (state[v] == RUNNING && plan.container[v] && run.openChildren[v] == 0) {
        run.finishContainer(v);
      }
    }
    run.drain();
  }

  /**
   * Checks restored states against the spec and each other; returns them as bytes, or {@code
   * null} when every node is PENDING (the run never started).
   */
  private byte[] validate(List<NodeState> states, boolean runStopped) {
    int n = plan.n;
    if (states.size() != n) {
      throw new IllegalArgumentException(
          "states has " + states.size() + " entries; the spec has " + n + " nodes");
    }
    byte[] s = new byte[n];
    int pendingCount = 0;
    for (int v = 0; v < n; v++) {
      NodeState st = states.get(v);
      if (st == null) {
        throw new IllegalArgumentException("no state for node '" + plan.id(v) + "'");
      }
      if (st == NodeState.INITIALIZING && !plan.container[v]) {
        throw new IllegalArgumentException("task '" + plan.id(v) + "' cannot be INITIALIZING");
      }
      if (st == NodeState.TIMED_OUT && plan.container[v]) {
        throw new IllegalArgumentException("container '" + plan.id(v) + "' cannot be TIMED_OUT");
      }
      s[v] = (byte) st.ordinal();
      if (st == NodeState.PENDING) {
        pendingCount++;
      }
    }
    for (int v = 0; v < n; v++) {
      if (pendingCount > 0 && pendingCount < n && s[v] != PENDING) {
        throw new IllegalArgumentException("node '" + plan.id(v) + "' is " + STATES[s[v]]
            + " while others are PENDING: PENDING is only for a run that never started");
      }
      if (runStopped && !States.isTerminal(s[v])) {
        throw new IllegalArgumentException(
            "the run was stopped, yet node '" + plan.id(v) + "' is " + STATES[s[v]]);
      }
      int p = plan.parent[v];
      if (p < 0 || States.isTerminal(s[v]) || s[v] == PENDING) {
        continue;
      }
      if (s[v] != WAITING && s[p] != RUNNING) {
        throw new IllegalArgumentException("node '" + plan.id(v) + "' is " + STATES[s[v]]
            + ", yet its container '" + plan.id(p) + "' is " + STATES[s[p]]);
      }
      if (s[p] == COMPLETED || s[p] == STOPPED) {
        throw new IllegalArgumentException("node '" + plan.id(v) + "' is " + STATES[s[v]]
            + " inside container '" + plan.id(p) + "', which is " + STATES[s[p]]);
      }
    }
    return pendingCount == n ? null : s;
  }

  // ---- gates from scratch ----------------------------------------------------------------

  /**
   * Re-derives a WAITING node's gates from its upstreams' current states: its pending count (ALL:
   * edges still to satisfy; ONE: edges undecided), EDGES_OPEN, and, for a container, its children.
   * Activation is checked again when the node is next evaluated. A node whose edges can never be
   * satisfied is added to {@link #doomed}.
   */
  private void rederive(int v) {
    flags[v] = 0; // drops EDGES_OPEN, ACTIVATED and TIMER_SET: a timer it had goes stale
    if (plan.container[v]) {
      recountChildren(v);
    }
    boolean one = plan.joinOne[v];
    boolean satisfied = one && plan.openFromStart[v];
    boolean unsatisfiable = false;
    int undecided = 0;
    for (int j = in.inStart[v], end = in.inStart[v + 1]; j < end; j++) {
      run.edgeVisits++;
      int u = in.inSource[j];
      if (!States.isTerminal(state[u])) {
        undecided++;
      } else if (satisfied(in.inSlot[j], u)) {
        satisfied = true;
      } else {
        unsatisfiable = true;
      }
    }
    run.pending[v] = undecided;
    boolean open = one ? satisfied : !unsatisfiable && undecided == 0;
    if (open) {
      flags[v] |= EDGES_OPEN;
    } else if (one ? undecided == 0 : unsatisfiable) {
      if (doomedSize == doomed.length) {
        doomed = Arrays.copyOf(doomed, doomedSize * 2);
      }
      doomed[doomedSize++] = v;
    }
  }

  private boolean satisfied(int slot, int u) {
    if (!States.typeSatisfied(plan.outType[slot], state[u])) {
      return false;
    }
    Filter condition = plan.outCondition == null ? null : plan.outCondition[slot];
    return condition == null || condition.matches(run.conditionDocument(u));
  }

  /** A container's open-children count and CHILD_FAILED flag, from its children's states. */
  private void recountChildren(int c) {
    int open = 0;
    boolean failed = false;
    for (int k = plan.childStart[c], end = plan.childStart[c + 1]; k < end; k++) {
      run.edgeVisits++;
      byte s = state[plan.children[k]];
      open += States.isTerminal(s) ? 0 : 1;
      failed |= s == FAILED || s == TIMED_OUT;
    }
    run.openChildren[c] = open;
    flags[c] = (byte) (failed ? flags[c] | CHILD_FAILED : flags[c] & ~CHILD_FAILED);
  }
}
