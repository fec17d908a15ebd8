package dev.dagflow.engine;

import java.time.Instant;

/**
 * SPI: the engine's clock and timer. Every time the engine records or compares comes from
 * {@link #now()}; every timeout, backoff and not-before gate is a task given to
 * {@link #schedule}, never a polling loop. The default is the system clock with one timer thread;
 * {@code dev.dagflow.testing.ManualClock} lets tests move time by hand. Thread-safe.
 *
 * <p>The engine calls {@link #now()}, {@link #schedule} and {@link Cancellable#cancel()} under a
 * run's lock: they must return promptly and never wait for the engine. A call that blocks stops
 * that run, and {@code DagEngine.close()} gives up on it after its shutdown timeout.
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
