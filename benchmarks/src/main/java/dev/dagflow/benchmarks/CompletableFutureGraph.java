package dev.dagflow.benchmarks;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * What a Java developer writes instead of a workflow library, as a peer for {@link
 * EngineThroughputBenchmark}: per run a {@link CompletableFuture} per node, {@code
 * CompletableFuture.allOf(parents).thenRunAsync(task, pool)} in index order (a topological
 * order, so every parent's future exists before its children's), on a fixed pool of threads;
 * the run ends when {@code allOf(sinks)} does. The graph's parent rows and sinks are computed
 * once, at construction; the futures are made anew in every run, as a graph of futures runs only
 * once.
 *
 * <p>{@link #run} may be called by one thread at a time. The pool's threads are daemons named
 * {@code cf-graph-<n>}, shut down by {@link #close()}.
 */
final class CompletableFutureGraph implements AutoCloseable {
  private final int size;
  /** Node {@code v}'s parents are {@code parents[parentStart[v] … parentStart[v + 1] - 1]}. */
  private final int[] parentStart;
  private final int[] parents;
  private final int[] sinks;
  private final ExecutorService pool;

  CompletableFutureGraph(BenchDag dag, int threads) {
    size = dag.size();
    int[][] rows = dag.parentRows();
    parentStart = rows[0];
    parents = rows[1];
    boolean[] hasChild = new boolean[size];
    for (int parent : parents) {
      hasChild[parent] = true;
    }
    int sinkCount = 0;
    for (boolean b : hasChild) {
      sinkCount += b ? 0 : 1;
    }
    sinks = new int[sinkCount];
    for (int v = 0, s = 0; v < size; v++) {
      if (!hasChild[v]) {
        sinks[s++] = v;
      }
    }
    AtomicInteger count = new AtomicInteger();
    ThreadFactory named = task -> {
      Thread t = new Thread(task, "cf-graph-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
    pool = Executors.newFixedThreadPool(threads, named);
  }

  /**
   * Runs {@code task} once per node, each after the tasks of all its parents, and returns when
   * every task has run.
   *
   * @throws java.util.concurrent.CompletionException if a task threw
   */
  void run(IntConsumer task) {
    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] futures = new CompletableFuture[size];
    for (int v = 0; v < size; v++) {
      int from = parentStart[v];
      @SuppressWarnings("unchecked")
      CompletableFuture<Void>[] upstream = new CompletableFuture[parentStart[v + 1] - from];
      for (int i = 0; i < upstream.length; i++) {
        upstream[i] = futures[parents[from + i]];
      }
      int node = v;
      futures[v] = CompletableFuture.allOf(upstream).thenRunAsync(() -> task.accept(node), pool);
    }
    @SuppressWarnings("unchecked")
    CompletableFuture<Void>[] ends = new CompletableFuture[sinks.length];
    for (int s = 0; s < sinks.length; s++) {
      ends[s] = futures[sinks[s]];
    }
    CompletableFuture.allOf(ends).join();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
