package dev.dagflow.trigger;

import java.util.Optional;

/**
 * What one trigger did with one event.
 *
 * @param runId the run it started, for {@link Outcome#STARTED}
 * @param reason why it did not start one, for every other outcome
 */
public record TriggerFiring(String triggerId, String eventId, Outcome outcome,
    Optional<String> runId, Optional<String> reason) {

  /** What a matching trigger did. */
  public enum Outcome {
    /** A run was started. */
    STARTED,
    /** Starting a run failed (missing template, bad parameter mapping, …); counted as failed. */
    FAILED,
    /** The trigger had already processed an event with this id: nothing was done. */
    DUPLICATE,
    /** Its previous run is still active and its overlap policy is SKIP. */
    SKIPPED,
    /** Its previous run is still active and its overlap policy is QUEUE_ONE: runs after it. */
    QUEUED,
    /** The event came at the chain depth limit: no run was started. */
    CHAIN_LIMIT
  }
}
