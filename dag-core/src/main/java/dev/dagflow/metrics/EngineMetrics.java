package dev.dagflow.metrics;

import dev.dagflow.state.RunState;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.trigger.TriggerFiring;
import java.time.Duration;

/**
 * SPI: what the engine reports of its work, for a metrics system. Set with {@code
 * DagEngine.Builder.metrics}; without one the engine reports nothing and measures nothing.
 * {@link dev.dagflow.metrics.micrometer.MicrometerMetrics} implements it over a Micrometer
 * registry.
 *
 * <p>Called on the engine's threads (workers, the threads that complete store writes, the
 * timer, the caller of {@code emit}) once what is reported has been stored, so an
 * implementation must be thread-safe, quick and must not block. A throw is logged and
 * ignored. Durations of attempts and queue waits are on the engine's time source, store write
 * latencies in real time. Every method does nothing by default, so an implementation takes
 * what it wants.
 */
public interface EngineMetrics {

  /**
   * An attempt started: its node waited {@code queueWait} from READY to its start (for a
   * limit on nodes or runs, or a free worker).
   */
  default void attemptStarted(String taskType, Duration queueWait) {
  }

  /** An attempt ended {@code outcome} after running {@code duration}. */
  default void attemptEnded(String taskType, AttemptOutcome outcome, Duration duration) {
  }

  /**
   * A failed or timed-out attempt will be tried again after its backoff.
   *
   * @param cause {@link TriggerType#ERROR} or {@link TriggerType#TIMEOUT}
   */
  default void retryScheduled(String taskType, TriggerType cause) {
  }

  /** A run of this engine went to state {@code to}. */
  default void runStateChanged(RunState to) {
  }

  /** A worker pool opened: its figures are read from {@code stats} until it closes. */
  default void poolOpened(PoolStats stats) {
  }

  /** The worker pool of {@code workerKey} closed (idle, or the engine closed). */
  default void poolClosed(String workerKey) {
  }

  /** A trigger acted on an event with {@code outcome}. */
  default void triggerFired(TriggerFiring.Outcome outcome) {
  }

  /**
   * A write of one run's changes to the run store ended after {@code latency}, with {@code
   * changes} records (nodes, attempts, transitions, history, command outcomes, status).
   *
   * @param stored false if the store refused it (a lost lease) or failed past its retries
   */
  default void storeWrite(Duration latency, int changes, boolean stored) {
  }
}
