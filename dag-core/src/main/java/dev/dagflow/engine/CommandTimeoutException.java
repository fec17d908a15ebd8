package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import java.time.Duration;

/**
 * An operation on a run another engine instance owns was stored as a command, but its owner
 * did not apply it within the builder's {@code commandTimeout} (it may have ended the run, or
 * be stuck). The command was withdrawn: it is never applied, and the call may be made again.
 */
public class CommandTimeoutException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final String commandId;

  public CommandTimeoutException(String runId, String commandId, String operation,
      Duration timeout) {
    super("the owner of run '" + runId + "' did not apply " + operation + " within " + timeout
        + "; command " + commandId + " was withdrawn and will not be applied");
    this.runId = runId;
    this.commandId = commandId;
  }

  public String runId() {
    return runId;
  }

  /** The stored command, for {@code RunStore.command}. */
  public String commandId() {
    return commandId;
  }
}
