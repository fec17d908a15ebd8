package dev.dagflow.store;

/**
 * What {@link RunStore#create(RunRecord, String, java.time.Duration, KeyReuse)} does when the
 * idempotency key of the run it creates already points at a stored run (the key's current run).
 */
public enum KeyReuse {
  /** The create is refused, whatever the state of the key's current run. */
  NEVER,
  /**
   * The create is refused while the key's current run is unfinished (PENDING, RUNNING or
   * PAUSED); once that run has ended, the new run takes the key over and becomes its current
   * run.
   */
  AFTER_END
}
