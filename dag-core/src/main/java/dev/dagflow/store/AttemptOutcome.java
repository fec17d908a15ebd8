package dev.dagflow.store;

/** How one attempt of a node ended. */
public enum AttemptOutcome {
  /** Still running. */
  RUNNING,
  /** Succeeded with a result. */
  COMPLETED,
  /** Failed with an error code and message. */
  FAILED,
  /** Exceeded its timeout and was cancelled. */
  TIMED_OUT,
  /** Cancelled because its node or run was stopped. */
  STOPPED,
  /** Lost: the engine that ran it stopped before it ended, and it could not be re-attached. */
  ABANDONED;

  /** Whether the attempt has ended. */
  public boolean isEnded() {
    return this != RUNNING;
  }
}
