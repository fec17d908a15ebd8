package dev.dagflow.engine;

/**
 * What {@link DagEngine#submit(SubmitRequest)} does when the request's idempotency key (in the
 * run's project, or the global scope for a run without one) already names a run: the key's
 * current run, the last run submitted with it.
 */
public enum IdempotencyStrategy {
  /**
   * No new run: submit returns the current run's id, whatever its state, spec or params. The
   * default: a request sent again (a client retrying after a timeout) starts one run.
   */
  RETURN_EXISTING,
  /** No new run: submit throws {@link IdempotencyConflictException} naming the current run. */
  FAIL,
  /**
   * A new run once the current run has ended (COMPLETED, FAILED or STOPPED), which it replaces as
   * the key's current run; while the current run is unfinished, submit throws {@link
   * IdempotencyConflictException}. At most one unfinished run per key.
   */
  FAIL_ON_RUNNING
}
