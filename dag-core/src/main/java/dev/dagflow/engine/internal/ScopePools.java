package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pools by worker key: created when a run of a key arrives, released once no run is
 * attached for the idle timeout. Thread-safe.
 */
final class ScopePools {
  private final Map<String, ScopePool> pools = new HashMap<>();
  private final EngineConfig config;
  private final TimeSource time;
  private final Metrics metrics;
  private boolean closed;

  ScopePools(EngineConfig config, TimeSource time, Metrics metrics) {
    this.config = config;
    this.time = time;
    this.metrics = metrics;
  }

  /** The pool of {@code key}, attaching one more run to it. */
  synchronized ScopePool attach(String key) {
    if (closed) {
      throw new IllegalStateException("engine is closed");
    }
    ScopePool pool = pools.get(key);
    if (pool == null) {
      pool = create(key);
      pools.put(key, pool);
      metrics.poolOpened(pool); // under this lock: after the close of an older pool of the key
    }
    pool.attached++;
    return pool;
  }

  /** Detaches a run; a pool left without runs is released after the idle timeout. */
  void detach(ScopePool pool) {
    synchronized (this) {
      if (--pool.attached > 0) {
        return;
      }
    }
    Duration idle = config.poolIdleTimeout;
    if (idle.isZero()) {
      releaseIfIdle(pool);
    } else {
      time.schedule(time.now().plus(idle), () -> releaseIfIdle(pool));
    }
  }

  private void releaseIfIdle(ScopePool pool) {
    synchronized (this) {
      if (pool.attached > 0 || pools.get(pool.key) != pool) {
        return;
      }
      pools.remove(pool.key);
      metrics.poolClosed(pool.key);
    }
    pool.shutdown();
  }

  synchronized Set<String> keys() {
    return new TreeSet<>(pools.keySet());
  }

  /**
   * Shuts every pool down and waits for their threads until {@code deadline} (a nano time);
   * returns the pools whose threads are still busy then, for the log.
   */
  List<String> close(long deadline) {
    Map<String, ScopePool> all;
    synchronized (this) {
      closed = true;
      all = new TreeMap<>(pools);
      pools.clear();
      all.keySet().forEach(metrics::poolClosed);
    }
    all.values().forEach(ScopePool::shutdown);
    List<String> busy = new ArrayList<>();
    for (ScopePool pool : all.values()) {
      if (!pool.awaitTermination(deadline)) {
        busy.add("pool " + pool.key + " with threads " + pool.liveThreads()
            + " still busy in host code");
      }
    }
    return busy;
  }

  private ScopePool create(String key) {
    int size = config.workers.getOrDefault(key, config.workersPerScope);
    if (config.workerExecutor != null) {
      return new ScopePool(key, size, config.workerExecutor);
    }
    ThreadFactory factory = config.threadFactory != null ? config.threadFactory : named(key);
    Set<Thread> made = ConcurrentHashMap.newKeySet();
    ThreadPoolExecutor threads = new ThreadPoolExecutor(size, size, 30, TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(), task -> { // known by name, to say which close() abandons
          Thread t = factory.newThread(() -> {
            try {
              task.run();
            } finally {
              made.remove(Thread.currentThread());
            }
          });
          if (t != null) {
            made.add(t);
          }
          return t;
        });
    threads.allowCoreThreadTimeOut(true);
    return new ScopePool(key, size, threads, made);
  }

  private static ThreadFactory named(String key) {
    AtomicInteger n = new AtomicInteger();
    return task -> {
      Thread t = new Thread(task, "dagflow-" + key + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
