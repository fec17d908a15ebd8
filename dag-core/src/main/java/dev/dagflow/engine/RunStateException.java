package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import dev.dagflow.state.RunState;

/** An operation does not apply to a run in its current state: pausing an ended run, say. */
public class RunStateException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final RunState state;

  public RunStateException(String runId, RunState state, String message) {
    super("run '" + runId + "' is " + state + ": " + message);
    this.runId = runId;
    this.state = state;
  }

  public String runId() {
    return runId;
  }

  public RunState state() {
    return state;
  }
}
