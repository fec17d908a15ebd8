package dev.dagflow.state;

import dev.dagflow.DagflowException;
import java.util.Optional;

/** A node or run was asked to move between two states the state machine does not connect. */
public class IllegalTransitionException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String nodeId;
  private final Enum<?> from;
  private final Enum<?> to;

  /**
   * Creates the exception.
   *
   * @param nodeId the node, or {@code null} for a run's own state
   */
  public IllegalTransitionException(String nodeId, Enum<?> from, Enum<?> to) {
    super((nodeId == null ? "run" : "node '" + nodeId + "'") + ": illegal transition " + from
        + " -> " + to);
    this.nodeId = nodeId;
    this.from = from;
    this.to = to;
  }

  /** The node; empty when the transition was of a run. */
  public Optional<String> nodeId() {
    return Optional.ofNullable(nodeId);
  }

  /** The state the node or run was in: a {@link NodeState} or {@link RunState}. */
  public Enum<?> from() {
    return from;
  }

  /** The state asked for. */
  public Enum<?> to() {
    return to;
  }
}
