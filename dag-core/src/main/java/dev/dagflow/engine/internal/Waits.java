package dev.dagflow.engine.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

/** Bounded waits for {@code close()}: each waits until a shared deadline, never beyond it. */
final class Waits {
  private Waits() {
  }

  /** Whether {@code threads} terminated by {@code deadline} (a nano time). */
  static boolean awaitTermination(ExecutorService threads, long deadline) {
    try {
      return threads.awaitTermination(Math.max(0, deadline - System.nanoTime()),
          TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's: it asked to stop waiting
      return threads.isTerminated();
    }
  }
}
