package dev.dagflow.benchmarks;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * The least a DAG dispatcher can do, as a floor for {@link EngineThroughputBenchmark}: the graph
 * in compressed sparse rows built once, and per run an atomic in-degree counter per node; a
 * finished node decrements its children's counters and submits each child that reaches zero to
 * a fixed pool. No states, records, retries or results: only the ordering.
 *
 * <p>{@link #run()} may be called by one thread at a time. The pool's threads are daemons named
 * {@code floor-<n>}, shut down by {@link #close()}.
 */
final class FloorDispatcher implements AutoCloseable {
  private final int size;
  private final int[] inDegree;
  /** Node {@code v}'s children are {@code children[childStart[v] … childStart[v + 1] - 1]}. */
  private final int[] childStart;
  private final int[] children;
  private final int[] roots;
  private final ExecutorService pool;

  FloorDispatcher(BenchDag dag, int threads) {
    size = dag.size();
    int[] pairs = dag.edgePairs();
    inDegree = new int[size];
    childStart = new int[size + 1];
    for (int k = 0; k < pairs.length; k += 2) {
      childStart[pairs[k] + 1]++;
      inDegree[pairs[k + 1]]++;
    }
    for (int v = 0; v < size; v++) {
      childStart[v + 1] += childStart[v];
    }
    children = new int[pairs.length / 2];
    int[] next = childStart.clone();
    for (int k = 0; k < pairs.length; k += 2) {
      children[next[pairs[k]]++] = pairs[k + 1];
    }
    int rootCount = 0;
    for (int v = 0; v < size; v++) {
      rootCount += inDegree[v] == 0 ? 1 : 0;
    }
    roots = new int[rootCount];
    for (int v = 0, r = 0; v < size; v++) {
      if (inDegree[v] == 0) {
        roots[r++] = v;
      }
    }
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = task -> {
      Thread t = new Thread(task, "floor-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    pool = Executors.newFixedThreadPool(threads, named);
  }

  /**
   * Runs every node once, each after all its parents, and returns per node 1 if it ran: the
   * no-op task of a node is marking itself.
   */
  byte[] run() throws InterruptedException {
    Run run = new Run();
    for (int v : roots) {
      pool.execute(() -> run.execute(v));
    }
    run.finished.await();
    return run.ran;
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }

  /** One run's counters. */
  private final class Run {
    final AtomicIntegerArray pending = new AtomicIntegerArray(inDegree);
    final AtomicInteger remaining = new AtomicInteger(size);
    final CountDownLatch finished = new CountDownLatch(1);
    // Written by the workers; read after finished opens, which every write happens-before
    // through the decrements of remaining.
    final byte[] ran = new byte[size];

    void execute(int v) {
      ran[v] = 1;
      for (int k = childStart[v], end = childStart[v + 1]; k < end; k++) {
        int child = children[k];
        if (pending.decrementAndGet(child) == 0) {
          pool.execute(() -> execute(child));
        }
      }
      if (remaining.decrementAndGet() == 0) {
        finished.countDown();
      }
    }
  }
}
