package dev.dagflow.eval;

import dev.dagflow.state.NodeState;
import dev.dagflow.state.TriggerType;

/**
 * Told of every node state change a {@link RunEvaluation} makes, synchronously, on the thread
 * that drove it. A change to {@link NodeState#READY} is the cue to dispatch the node.
 */
@FunctionalInterface
public interface TransitionListener {
  /** Ignores every change. */
  TransitionListener NONE = (node, from, to, trigger, reason) -> { };

  /**
   * A node changed state.
   *
   * @param node the node's position in the spec ({@code spec.nodes().get(node)})
   * @param reason why, for people; constant strings on the hot path
   */
  void onTransition(int node, NodeState from, NodeState to, TriggerType trigger, String reason);
}
