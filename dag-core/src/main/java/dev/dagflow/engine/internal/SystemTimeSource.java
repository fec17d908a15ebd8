package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The system clock and one daemon timer thread, owned by the engine: {@code dagflow-timer} for
 * the runs' timers, {@code dagflow-leases} for lease renewals, {@code dagflow-claims} for
 * claims, commands and store reads.
 */
final class SystemTimeSource implements TimeSource {
  private final ScheduledThreadPoolExecutor timer;
  private volatile Thread thread;

  SystemTimeSource(String threadName) {
    timer = new ScheduledThreadPoolExecutor(1, task -> {
      Thread t = new Thread(task, threadName);
      t.setDaemon(true);
      thread = t;
      return t;
    });
    timer.setRemoveOnCancelPolicy(true);
    timer.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
  }

  @Override
  public Instant now() {
    return Instant.now();
  }

  @Override
  public Cancellable schedule(Instant at, Runnable task) {
    long delay = Math.max(0, Duration.between(Instant.now(), at).toNanos());
    ScheduledFuture<?> f = timer.schedule(() -> Guard.run("timer task", task), delay,
        TimeUnit.NANOSECONDS);
    return () -> f.cancel(false);
  }

  /** Shuts the timer down; whether its thread ended by {@code deadline} (a nano time). */
  boolean close(long deadline) {
    timer.shutdownNow();
    if (Thread.currentThread() == thread) {
      return true; // closed by host code a timer task called: it cannot wait for itself
    }
    if (!Waits.awaitTermination(timer, deadline)) {
      return false;
    }
    // the pool has terminated once its worker left its loop; the thread itself ends just after
    Thread t = thread;
    if (t == null) {
      return true;
    }
    try {
      t.join(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's: it asked to stop waiting
    }
    return !t.isAlive();
  }
}
