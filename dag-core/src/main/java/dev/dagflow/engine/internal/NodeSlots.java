package dev.dagflow.engine.internal;

import dev.dagflow.eval.Gate;
import dev.dagflow.state.NodeState;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.Consumer;

/**
 * A run's slots for nodes in flight (queued in its pool or running), against its policy's
 * {@code maxParallelNodes}, and the ready nodes it holds back: while it is paused, in no pool,
 * or at its limit. {@link #take} alone decides whether a ready node goes now. Not thread-safe:
 * used under the run's lock.
 */
final class NodeSlots {
  private final int max;
  /** Where a node that takes a slot goes: the run queues it for its pool. */
  private final Consumer<ReadyNode> submit;
  private final PriorityQueue<ReadyNode> held = new PriorityQueue<>();
  private int inFlight;
  private boolean paused;

  /** {@code max} nodes in flight at most, 0 for no limit; a freed slot's node to {@code submit}. */
  NodeSlots(int max, boolean paused, Consumer<ReadyNode> submit) {
    this.max = max;
    this.submit = submit;
    this.paused = paused;
  }

  boolean paused() {
    return paused;
  }

  /** Takes a slot for a node about to be queued in {@code pool}; false if it must be held. */
  boolean take(ScopePool pool) {
    if (paused || pool == null || max > 0 && inFlight >= max) {
      return false;
    }
    inFlight++;
    return true;
  }

  /** Holds back {@code item}, which has no slot, until one is free. */
  void hold(ReadyNode item) {
    held.add(item);
  }

  /** A node no longer in flight gives its slot back, and nothing else goes yet. */
  void giveBack() {
    inFlight--;
  }

  /** A node no longer in flight gives its slot back, and the first held node may take it. */
  void release(ScopePool pool) {
    giveBack();
    dispatchHeld(pool, 1);
  }

  /** An attempt re-attached after a restart runs already: it holds a slot, whatever the limit. */
  void reattached() {
    inFlight++;
  }

  /** Nodes are held from now on, until {@link #resume} or {@link #unpause}. */
  void pause() {
    paused = true;
  }

  /** Held nodes are queued in {@code pool} again, as many as there are slots for. */
  void resume(ScopePool pool) {
    paused = false;
    dispatchHeld(pool, Integer.MAX_VALUE);
  }

  /** Not paused any more, with nothing queued now (the run has ended). */
  void unpause() {
    paused = false;
  }

  /** Forgets the held nodes: the run was given up. */
  void clearHeld() {
    held.clear();
  }

  /** The run's own gates on node {@code v}, in state {@code s}: paused, or at its limit. */
  List<Gate> gates(int v, NodeState s) {
    List<Gate> gates = new ArrayList<>();
    if (paused && (s == NodeState.WAITING || s == NodeState.READY)) {
      gates.add(new Gate(Gate.Kind.PAUSED, "the run is paused"));
    }
    if (s == NodeState.READY && !paused && held.stream().anyMatch(r -> r.node() == v)) {
      gates.add(new Gate(Gate.Kind.CONCURRENCY, "the run has " + inFlight + " of at most "
          + max + " nodes in flight"));
    }
    return gates;
  }

  private void dispatchHeld(ScopePool pool, int most) {
    for (int i = 0; i < most && !held.isEmpty() && take(pool); i++) {
      submit.accept(held.poll());
    }
  }
}
