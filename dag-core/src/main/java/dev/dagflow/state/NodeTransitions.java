package dev.dagflow.state;

import static dev.dagflow.state.NodeState.COMPLETED;
import static dev.dagflow.state.NodeState.FAILED;
import static dev.dagflow.state.NodeState.INITIALIZING;
import static dev.dagflow.state.NodeState.PENDING;
import static dev.dagflow.state.NodeState.READY;
import static dev.dagflow.state.NodeState.RUNNING;
import static dev.dagflow.state.NodeState.SKIPPED;
import static dev.dagflow.state.NodeState.STOPPED;
import static dev.dagflow.state.NodeState.TIMED_OUT;
import static dev.dagflow.state.NodeState.WAITING;

import dev.dagflow.spec.NodeKind;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The node state machines, as tables: one for tasks, one for containers (see {@code
 * docs/concepts.md}). Every transition not in the table is illegal. Thread-safe.
 */
public final class NodeTransitions {
  private static final Map<NodeState, Set<NodeState>> TASK = new EnumMap<>(NodeState.class);
  private static final Map<NodeState, Set<NodeState>> CONTAINER = new EnumMap<>(NodeState.class);

  static {
    for (NodeState s : NodeState.values()) {
      TASK.put(s, EnumSet.noneOf(NodeState.class));
      CONTAINER.put(s, EnumSet.noneOf(NodeState.class));
    }
    both(PENDING, WAITING);
    both(WAITING, READY, SKIPPED);
    TASK.get(READY).add(RUNNING);
    CONTAINER.get(READY).add(INITIALIZING);
    CONTAINER.get(INITIALIZING).addAll(EnumSet.of(RUNNING, FAILED));
    TASK.get(RUNNING).addAll(EnumSet.of(COMPLETED, FAILED, TIMED_OUT, WAITING));
    CONTAINER.get(RUNNING).addAll(EnumSet.of(COMPLETED, FAILED));
    for (NodeState s : NodeState.values()) {
      if (!s.isTerminal()) {
        CONTAINER.get(s).add(STOPPED);
        if (s != INITIALIZING) { // tasks never initialise
          TASK.get(s).add(STOPPED);
        }
      }
    }
    // Manual restart or retry re-opens a node; so does a retried upstream for a node it had
    // skipped (documented in docs/concepts.md).
    both(STOPPED, WAITING);
    both(FAILED, WAITING);
    both(SKIPPED, WAITING);
    TASK.get(TIMED_OUT).add(WAITING);
    TASK.replaceAll((k, v) -> Collections.unmodifiableSet(v));
    CONTAINER.replaceAll((k, v) -> Collections.unmodifiableSet(v));
  }

  private NodeTransitions() {}

  private static void both(NodeState from, NodeState... to) {
    for (NodeState t : to) {
      TASK.get(from).add(t);
      CONTAINER.get(from).add(t);
    }
  }

  /** The states a node of the given kind may move to from {@code from}; unmodifiable. */
  public static Set<NodeState> next(NodeKind kind, NodeState from) {
    return (kind == NodeKind.TASK ? TASK : CONTAINER).get(from);
  }

  /** Whether a node of the given kind may move from {@code from} to {@code to}. */
  public static boolean isLegal(NodeKind kind, NodeState from, NodeState to) {
    return next(kind, from).contains(to);
  }

  /**
   * Checks a transition.
   *
   * @throws IllegalTransitionException if it is not in the table
   */
  public static void check(NodeKind kind, String nodeId, NodeState from, NodeState to) {
    if (!isLegal(kind, from, to)) {
      throw new IllegalTransitionException(nodeId, from, to);
    }
  }
}
