package dev.dagflow.engine;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.Fence;
import dev.dagflow.store.LogBatch;
import dev.dagflow.store.LogStore;
import dev.dagflow.store.StoreException;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real {@link LogStore} around another, for tests of how the engine writes its logs: it
 * counts appends and the lines they carry, notes when each line arrived, can hold appends at a
 * gate until the test opens it, and can fail the next appends, before or after storing them.
 * Thread-safe.
 */
final class WatchedLogStore implements LogStore {
  /** A line as it reached the store, with when (a nano time). */
  record Arrival(LogEntry entry, long nanos) {
  }

  private final LogStore inner;
  private final AtomicInteger appends = new AtomicInteger();
  private final List<Integer> sizes = new CopyOnWriteArrayList<>();
  private final List<Arrival> arrivals = new CopyOnWriteArrayList<>();
  private final AtomicInteger failBefore = new AtomicInteger();
  private final AtomicInteger failAfter = new AtomicInteger();
  private final Object changed = new Object();
  private volatile CountDownLatch gate;
  private final CountDownLatch held = new CountDownLatch(1);

  WatchedLogStore(LogStore inner) {
    this.inner = inner;
  }

  /** Every append from now on waits inside the store until {@link #open}. */
  WatchedLogStore hold() {
    gate = new CountDownLatch(1);
    return this;
  }

  /** Lets the appends held, and the later ones, go on. */
  void open() {
    CountDownLatch g = gate;
    gate = null;
    if (g != null) {
      g.countDown();
    }
  }

  /** Whether an append has reached the gate within {@code seconds}. */
  boolean awaitHeld(long seconds) throws InterruptedException {
    return held.await(seconds, TimeUnit.SECONDS);
  }

  /** The next {@code count} appends fail without storing anything. */
  WatchedLogStore failNext(int count) {
    failBefore.set(count);
    return this;
  }

  /** The next {@code count} appends store their lines and then fail: an unknown outcome. */
  WatchedLogStore failNextAfterStoring(int count) {
    failAfter.set(count);
    return this;
  }

  /** How many appends reached the store, failed ones included. */
  int appends() {
    return appends.get();
  }

  /** How many lines each append carried, in the order they reached the store. */
  List<Integer> sizes() {
    return List.copyOf(sizes);
  }

  /** Every line of the appends that got through, as it arrived, refused ones included. */
  List<Arrival> arrivals() {
    return List.copyOf(arrivals);
  }

  /** Waits until a line matching {@code which} has arrived; its arrival, or null after 10 s. */
  Arrival await(Predicate<LogEntry> which) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    synchronized (changed) {
      while (true) {
        for (Arrival a : arrivals) {
          if (which.test(a.entry())) {
            return a;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return null;
        }
        TimeUnit.NANOSECONDS.timedWait(changed, left);
      }
    }
  }

  @Override
  public List<LogBatch> append(List<LogBatch> batches) {
    appends.incrementAndGet();
    sizes.add(batches.stream().mapToInt(b -> b.lines().size()).sum());
    CountDownLatch g = gate;
    if (g != null) {
      held.countDown();
      try {
        if (!g.await(10, TimeUnit.SECONDS)) {
          throw new AssertionError("the test never opened the gate");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreException("append", "interrupted at the gate");
      }
    }
    if (failBefore.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new StoreException("append", "injected failure before storing");
    }
    List<LogBatch> refused = inner.append(batches);
    long now = System.nanoTime();
    for (LogBatch b : batches) {
      for (LogEntry e : b.lines()) {
        arrivals.add(new Arrival(e, now));
      }
    }
    synchronized (changed) {
      changed.notifyAll();
    }
    if (failAfter.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new StoreException("append", "injected failure after storing");
    }
    return refused;
  }

  @Override
  public long fence(String runId, Fence fence) {
    return inner.fence(runId, fence);
  }

  @Override
  public List<LogEntry> query(LogQuery query) {
    return inner.query(query);
  }

  @Override
  public long deleteRuns(Collection<String> runIds) {
    return inner.deleteRuns(runIds);
  }

  @Override
  public long purgeBefore(Instant time) {
    return inner.purgeBefore(time);
  }
}
