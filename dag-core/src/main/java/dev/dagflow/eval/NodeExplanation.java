package dev.dagflow.eval;

import dev.dagflow.state.NodeState;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Why a node is not running: its state and, if it is waiting, every gate still closed; for a
 * node that ended where the engine can tell why, the reason. Immutable.
 */
public final class NodeExplanation {
  private final String nodeId;
  private final NodeState state;
  private final List<Gate> closedGates;
  private final String reason;

  public NodeExplanation(String nodeId, NodeState state, List<Gate> closedGates) {
    this(nodeId, state, closedGates, null);
  }

  private NodeExplanation(String nodeId, NodeState state, List<Gate> closedGates,
      String reason) {
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.state = Objects.requireNonNull(state, "state");
    this.closedGates = List.copyOf(closedGates);
    this.reason = reason;
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

  /**
   * Why the node ended as it did, where the engine tells: {@code not needed for target …} for
   * a node a run limited to targets skipped ({@link dev.dagflow.spec.DagSpec#targets()}).
   */
  public Optional<String> reason() {
    return Optional.ofNullable(reason);
  }

  /** A copy with {@code reason}. */
  public NodeExplanation withReason(String reason) {
    return new NodeExplanation(nodeId, state, closedGates,
        Objects.requireNonNull(reason, "reason"));
  }

  /** A copy with more gates, such as the engine's own (paused run, concurrency limit). */
  public NodeExplanation with(List<Gate> more) {
    List<Gate> all = new java.util.ArrayList<>(closedGates);
    all.addAll(more);
    return new NodeExplanation(nodeId, state, all, reason);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("node '").append(nodeId).append("' is ").append(state);
    if (reason != null) {
      s.append(": ").append(reason);
    }
    for (Gate g : closedGates) {
      s.append("\n  - ").append(g);
    }
    return s.toString();
  }
}
