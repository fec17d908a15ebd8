package dev.dagflow.engine.internal;

import dev.dagflow.metrics.EngineMetrics;
import dev.dagflow.metrics.PoolStats;
import dev.dagflow.state.RunState;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.trigger.TriggerFiring;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host's {@link EngineMetrics}, guarded: a throw is logged, never passed on. {@link #on} is
 * false without one, and then the engine measures nothing. Thread-safe.
 */
final class Metrics {
  private static final Logger LOG = LoggerFactory.getLogger(Metrics.class);

  /** Whether the host set metrics: read before measuring anything. */
  final boolean on;
  private final EngineMetrics metrics;

  Metrics(EngineMetrics metrics) {
    this.metrics = metrics;
    this.on = metrics != null;
  }

  void attemptStarted(String taskType, Instant readyAt, Instant startedAt) {
    Duration wait = Duration.between(readyAt, startedAt);
    guard(() -> metrics.attemptStarted(taskType, wait.isNegative() ? Duration.ZERO : wait));
  }

  /** An attempt ended as {@code rec} says. */
  void attemptEnded(String taskType, AttemptRecord rec) {
    AttemptOutcome outcome = rec.outcome();
    Duration ran = rec.endedAt().map(end -> Duration.between(rec.startedAt(), end))
        .orElse(Duration.ZERO);
    guard(() -> metrics.attemptEnded(taskType, outcome, ran));
  }

  void retryScheduled(String taskType, TriggerType cause) {
    guard(() -> metrics.retryScheduled(taskType, cause));
  }

  void runStateChanged(RunState to) {
    guard(() -> metrics.runStateChanged(to));
  }

  void poolOpened(PoolStats stats) {
    guard(() -> metrics.poolOpened(stats));
  }

  void poolClosed(String key) {
    guard(() -> metrics.poolClosed(key));
  }

  void triggerFired(TriggerFiring.Outcome outcome) {
    guard(() -> metrics.triggerFired(outcome));
  }

  void storeWrite(long nanos, int changes, boolean stored) {
    guard(() -> metrics.storeWrite(Duration.ofNanos(nanos), changes, stored));
  }

  private void guard(Runnable report) {
    if (!on) {
      return;
    }
    try {
      report.run();
    } catch (RuntimeException e) {
      LOG.warn("the engine's metrics ({}) threw; the figure is lost", metrics, e);
    }
  }
}
