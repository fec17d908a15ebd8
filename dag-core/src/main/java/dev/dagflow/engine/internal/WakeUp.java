package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import java.time.Instant;

/**
 * A run's one timer for its evaluation's next wake-up (a retry's delay, a time gate): set only
 * when it would ring sooner than the one already set. Not thread-safe: used under the run's
 * lock.
 */
final class WakeUp {
  private final TimeSource time;
  private final Runnable wake;
  private long at = Long.MAX_VALUE;
  private TimeSource.Cancellable timer;

  /** {@code wake} runs on the time source's thread when the timer rings. */
  WakeUp(TimeSource time, Runnable wake) {
    this.time = time;
    this.wake = wake;
  }

  /** Rings at {@code next}, unless it is set to ring sooner already. */
  void atOrBefore(Instant next) {
    long ms = next.toEpochMilli();
    if (ms < at) {
      if (timer != null) {
        timer.cancel();
      }
      at = ms;
      timer = time.schedule(next, wake);
    }
  }

  /** It rang: the next wake-up sets a new timer. */
  void rang() {
    at = Long.MAX_VALUE;
    timer = null;
  }

  /** Cancels the timer, if set; the next wake-up sets a new one. */
  void cancel() {
    if (timer != null) {
      timer.cancel();
      timer = null;
      at = Long.MAX_VALUE;
    }
  }
}
