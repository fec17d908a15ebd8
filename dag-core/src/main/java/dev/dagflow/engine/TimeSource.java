package dev.dagflow.engine;

import java.time.Instant;

/**
 * SPI: the engine's clock and timer. Every time the engine records or compares comes from
 * {@link #now()}; every timeout, backoff and not-before gate is a task given to
 * {@link #schedule}, never a polling loop. The default is the system clock with one timer thread;
 * {@code dev.dagflow.testing.ManualClock} lets tests move time by hand. Thread-safe.
 */
public interface TimeSource {

  /** The current time. */
  Instant now();

  /**
   * Runs {@code task} once, on a thread of the time source's choice, at or after {@code at}.
   * The engine's tasks are short and never block.
   *
   * @return a handle that cancels the task if it has not run yet
   */
  Cancellable schedule(Instant at, Runnable task);

  /** A scheduled task that can be cancelled. */
  @FunctionalInterface
  interface Cancellable {
    /** Cancels the task if it has not run; does nothing otherwise. */
    void cancel();
  }
}
