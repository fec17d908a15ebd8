package dev.dagflow.eval;

import dev.dagflow.state.NodeState;
import java.util.List;
import java.util.Objects;

/**
 * Why a node is not running: its state and, if it is waiting, every gate still closed. Immutable.
 */
public final class NodeExplanation {
  private final String nodeId;
  private final NodeState state;
  private final List<Gate> closedGates;

  public NodeExplanation(String nodeId, NodeState state, List<Gate> closedGates) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.state = Objects.requireNonNull(state, "state");
    this.closedGates = List.copyOf(closedGates);
  }

  public String nodeId() {
    return nodeId;
  }

  public NodeState state() {
    return state;
  }

  /** The gates still closed; empty unless the node is waiting. */
  public List<Gate> closedGates() {
    return closedGates;
  }

  /** A copy with more gates, such as the engine's own (paused run, concurrency limit). */
  public NodeExplanation with(List<Gate> more) {
    List<Gate> all = new java.util.ArrayList<>(closedGates);
    all.addAll(more);
    return new NodeExplanation(nodeId, state, all);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("node '").append(nodeId).append("' is ").append(state);
    for (Gate g : closedGates) {
      s.append("\n  - ").append(g);
    }
    return s.toString();
  }
}
