package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import java.time.Duration;

/**
 * An operation on a run another engine instance owns was stored as a command, but its owner
 * did not apply it within the builder's {@code commandTimeout} (it may have ended the run, or
 * be stuck). Usually the command was withdrawn ({@link #withdrawn()}): it is never applied, and
 * the call may be made again. If the owner had taken it to apply it, the call waited once more
 * and then gave up without knowing the outcome: the owner (or the run's next owner) still
 * applies it, once.
 */
public class CommandTimeoutException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final String commandId;
  private final boolean withdrawn;

  /**
   * @param withdrawn whether the command was withdrawn (never to be applied), or had been
   *     taken by its owner (its outcome unknown)
   */
  public CommandTimeoutException(String runId, String commandId, String operation,
      Duration timeout, boolean withdrawn) {
    super("the owner of run '" + runId + "' did not apply " + operation + " within " + timeout
        + "; command " + commandId + (withdrawn ? " was withdrawn and will not be applied"
            : " was taken by its owner, which has not answered: its outcome is not known"));
    this.runId = runId;
    this.commandId = commandId;
    this.withdrawn = withdrawn;
  }

  /** Whether the command was withdrawn, so that it is never applied. */
  public boolean withdrawn() {
    return withdrawn;
  }

  public String runId() {
    return runId;
  }

  /** The stored command, for {@code RunStore.command}. */
  public String commandId() {
    return commandId;
  }
}
