package dev.dagflow.engine.internal;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.function.BooleanSupplier;

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

  /** Whether {@code lock} was taken by {@code deadline} (a nano time); the caller unlocks it. */
  static boolean tryLock(Lock lock, long deadline) {
    try {
      return lock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's: it asked to stop waiting
      return false;
    }
  }

  /**
   * Waits on {@code monitor}, which the caller holds and which is notified when {@code done}
   * may have changed, until {@code done} holds or {@code deadline} (a nano time) passes.
   */
  static boolean until(Object monitor, BooleanSupplier done, long deadline) {
    try {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return false;
        }
        TimeUnit.NANOSECONDS.timedWait(monitor, left);
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's: it asked to stop waiting
      return done.getAsBoolean();
    }
  }
}
