package dev.dagflow.testing;

import dev.dagflow.DagflowException;
import dev.dagflow.engine.RunView;

/**
 * {@link ManualWorkers#runUntilEnded} could not bring a run to its end: the message gives the
 * reason, the run's state and time, and the explanation of every node that has not ended.
 */
public final class RunNotEndedException extends DagflowException {
  private static final long serialVersionUID = 1L;
  private final transient RunView run;

  RunNotEndedException(RunView run, String message) {
    super(message);
    this.run = run;
  }

  /** The run as it stood when the runner gave up. */
  public RunView run() {
    return run;
  }
}
