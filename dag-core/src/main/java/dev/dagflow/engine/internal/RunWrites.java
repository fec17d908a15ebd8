package dev.dagflow.engine.internal;

import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a step's changes reach the run store: a {@link StoreException} is retried with the same
 * batch, with capped exponential backoff; a {@link LeaseLostException} never is. Thread-safe.
 */
final class RunWrites {
  private static final Logger LOG = LoggerFactory.getLogger(RunWrites.class);

  private final RunStore runs;
  private final int retries;
  private final long backoffNanos;
  private final long maxBackoffNanos;

  RunWrites(RunStore runs, int retries, Duration backoff, Duration maxBackoff) {
    this.runs = runs;
    this.retries = retries;
    this.backoffNanos = backoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
  }

  /**
   * Applies {@code changes}, retrying a store failure; returns null once they are stored, or
   * the failure that leaves them unstored: a lost lease, or the last failure once the retries
   * are spent (an interrupt ends the retries too). Waits between tries on the calling thread.
   */
  RuntimeException apply(RunChanges changes) {
    long wait = backoffNanos;
    for (int attempt = 0; ; attempt++) {
      try {
        runs.apply(changes);
        return null;
      } catch (LeaseLostException e) {
        return e;
      } catch (StoreException e) {
        if (attempt == retries || Thread.currentThread().isInterrupted()) {
          return e;
        }
        LOG.warn("run {}: writing {} changes failed (try {} of {}); trying again in {} ms: {}",
            changes.runId(), size(changes), attempt + 1, retries + 1, wait / 1_000_000,
            e.getMessage());
        pause(wait);
        wait = Math.min(maxBackoffNanos, wait * 2);
      } catch (RuntimeException e) {
        return e; // a bug, in the store or in the changes: retrying would not mend it
      }
    }
  }

  private static int size(RunChanges c) {
    return c.nodes().size() + c.attempts().size() + c.transitions().size() + c.history().size()
        + c.commandOutcomes().size() + (c.status().isPresent() ? 1 : 0);
  }

  /** Waits {@code nanos}, or less when interrupted (the interrupt stays set). */
  private static void pause(long nanos) {
    long end = System.nanoTime() + nanos;
    for (long left = nanos; left > 0 && !Thread.currentThread().isInterrupted();
        left = end - System.nanoTime()) {
      LockSupport.parkNanos(left);
    }
  }
}
