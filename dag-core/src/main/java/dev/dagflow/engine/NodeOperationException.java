package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import dev.dagflow.state.NodeState;

/**
 * An operation on a node was refused: a live config update its executor cannot take, a retry
 * of a node that has not failed or stopped.
 */
public class NodeOperationException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final String reason;
  private final String nodeId;
  private final NodeState state;

  public NodeOperationException(String runId, String nodeId, NodeState state, String message) {
    super("node '" + nodeId + "' of run '" + runId + "' is " + state + ": " + message);
    this.runId = runId;
    this.reason = message;
    this.nodeId = nodeId;
    this.state = state;
  }

  public String runId() {
    return runId;
  }

  /** Why the operation was refused, without the run and state the message starts with. */
  public String reason() {
    return reason;
  }

  public String nodeId() {
    return nodeId;
  }

  public NodeState state() {
    return state;
  }
}
