package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import dev.dagflow.state.RunState;

/** An operation does not apply to a run in its current state: pausing an ended run, say. */
public class RunStateException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final String reason;
  private final RunState state;

  public RunStateException(String runId, RunState state, String message) {
    super("run '" + runId + "' is " + state + ": " + message);
    this.runId = runId;
    this.reason = message;
    this.state = state;
  }

  public String runId() {
    return runId;
  }

  /** Why the operation was refused, without the run and state the message starts with. */
  public String reason() {
    return reason;
  }

  public RunState state() {
    return state;
  }
}
