package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for what only the store can tell: the end of a run another instance owns, the outcome
 * of a command sent to it. Reads the store on a timer (never a sleeping loop) every {@code
 * interval}, in real time; a failed read is tried again at the next.
 */
final class StoreWatch {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWatch.class);

  private StoreWatch() {
  }

  /**
   * The first value {@code read} gives, read now and then every {@code interval} on {@code
   * timer}, until {@code deadline} (a nano time).
   *
   * @throws TimeoutException if it gave none by then
   */
  static <T> T await(TimeSource timer, Duration interval, Supplier<Optional<T>> read,
      long deadline) throws InterruptedException, TimeoutException {
    CompletableFuture<T> found = new CompletableFuture<>();
    Runnable check = new Runnable() {
      @Override
      public void run() {
        if (found.isDone()) {
          return;
        }
        try {
          Optional<T> value = read.get();
          if (value.isPresent()) {
            found.complete(value.get());
            return;
          }
        } catch (RuntimeException e) {
          LOG.debug("a store read for a watch failed; reading again in {}", interval, e);
        }
        timer.schedule(Instant.now().plus(interval), this);
      }
    };
    check.run();
    try {
      return found.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw new IllegalStateException("a store watch failed", e.getCause());
    } finally {
      found.cancel(false); // the reads stop
    }
  }
}
