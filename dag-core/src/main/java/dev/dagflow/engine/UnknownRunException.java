package dev.dagflow.engine;

import dev.dagflow.DagflowException;

/** No run has the id asked for. */
public class UnknownRunException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String runId;

  public UnknownRunException(String runId) {
    super("no run with id '" + runId + "'");
    this.runId = runId;
  }

  public String runId() {
    return runId;
  }
}
