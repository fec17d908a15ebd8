package dev.dagflow.trigger;

/**
 * What a trigger does when it matches an event while the run it started last is still active
 * (not yet completed, failed or stopped). Applied by the engine per trigger; a trigger whose
 * previous run has finished always starts a new run.
 */
public enum OverlapPolicy {
  /** Start a new run alongside the active one. The default. */
  ALLOW,
  /** Start nothing: the event is dropped for this trigger and counted as processed. */
  SKIP,
  /**
   * Keep the event and start its run when the active run finishes. At most one event waits per
   * trigger: a newer matching event replaces the one waiting.
   */
  QUEUE_ONE,
  /** Stop the active run, then start a new run for this event. */
  CANCEL_PREVIOUS
}
