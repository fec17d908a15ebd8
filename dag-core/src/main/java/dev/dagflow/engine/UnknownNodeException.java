package dev.dagflow.engine;

import dev.dagflow.DagflowException;

/** The run's spec has no node with the id asked for. */
public class UnknownNodeException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final String nodeId;

  public UnknownNodeException(String runId, String nodeId) {
    super("run '" + runId + "' has no node '" + nodeId + "'");
    this.runId = runId;
    this.nodeId = nodeId;
  }

  public String runId() {
    return runId;
  }

  public String nodeId() {
    return nodeId;
  }
}
