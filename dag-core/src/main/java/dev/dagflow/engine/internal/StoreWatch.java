package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Waits for what only the store can tell: the end of a run another instance owns, the outcome
 * of a command sent to it. Reads the store on a timer (never a sleeping loop), in real time; a
 * failed read is tried again at the next. {@link #close} fails every wait still open.
 * Thread-safe.
 */
final class StoreWatch {
  private static final Logger LOG = LoggerFactory.getLogger(StoreWatch.class);

  private final TimeSource timer;
  private final Set<CompletableFuture<?>> open = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  StoreWatch(TimeSource timer) {
    this.timer = timer;
  }

  /**
   * The first value {@code read} gives, read now and then every {@code interval}, until {@code
   * deadline} (a nano time).
   *
   * @throws TimeoutException if it gave none by then
   * @throws IllegalStateException if the engine closes meanwhile
   */
  <T> T await(Duration interval, Supplier<Optional<T>> read, long deadline)
      throws InterruptedException, TimeoutException {
    CompletableFuture<T> found = watch(interval, read);
    try {
      return found.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IllegalStateException ise ? ise
          : new IllegalStateException("a wait on the store failed", e.getCause());
    } finally {
      found.cancel(false); // the reads stop
    }
  }

  /**
   * The first value {@code read} gives, read now and then every {@code interval}: completed
   * with it, or failed with an {@link IllegalStateException} when the engine closes. Cancelling
   * it stops the reads.
   */
  <T> CompletableFuture<T> watch(Duration interval, Supplier<Optional<T>> read) {
    CompletableFuture<T> found = new CompletableFuture<>();
    open.add(found);
    found.whenComplete((value, error) -> open.remove(found));
    if (closed) {
      found.completeExceptionally(closed());
    }
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
        try {
          timer.schedule(timer.now().plus(interval), this);
        } catch (RejectedExecutionException e) {
          found.completeExceptionally(closed()); // the timer has stopped: the engine closed
        }
      }
    };
    check.run();
    return found;
  }

  /** Fails every wait still open, and every later one. */
  void close() {
    closed = true;
    open.forEach(f -> f.completeExceptionally(closed()));
  }

  private static IllegalStateException closed() {
    return new IllegalStateException("engine is closed");
  }
}
