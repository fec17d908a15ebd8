package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

class CompletableFutureGraphTest {
  private static final int SIZE = 3_000;

  @ParameterizedTest
  @EnumSource(DagShape.class)
  void everyNodeRunsOnceAfterAllItsParentsOnThePoolThreads(DagShape shape) {
    BenchDag dag = shape.of(SIZE);
    int[] pairs = dag.edgePairs();
    AtomicIntegerArray runs = new AtomicIntegerArray(SIZE);
    AtomicIntegerArray order = new AtomicIntegerArray(SIZE);
    AtomicInteger clock = new AtomicInteger();
    AtomicInteger parentsNotDone = new AtomicInteger();
    int[][] rows = dag.parentRows();
    ConcurrentHashMap<String, Boolean> threads = new ConcurrentHashMap<>();
    try (CompletableFutureGraph graph = new CompletableFutureGraph(dag, 2)) {
      for (int round = 0; round < 2; round++) { // a graph of futures is made anew every run
        for (int v = 0; v < SIZE; v++) {
          runs.set(v, 0);
        }
        graph.run(v -> {
          for (int i = rows[0][v]; i < rows[0][v + 1]; i++) {
            if (runs.get(rows[1][i]) != 1) {
              parentsNotDone.incrementAndGet();
            }
          }
          order.set(v, clock.incrementAndGet());
          runs.incrementAndGet(v);
          threads.put(Thread.currentThread().getName(), true);
        });

        for (int v = 0; v < SIZE; v++) {
          assertThat(runs.get(v)).as("runs of n%d in round %d", v, round).isEqualTo(1);
        }
        for (int k = 0; k < pairs.length; k += 2) {
          assertThat(order.get(pairs[k])).as("n%d before n%d", pairs[k], pairs[k + 1])
              .isLessThan(order.get(pairs[k + 1]));
        }
      }
    }
    assertThat(parentsNotDone).hasValue(0);
    assertThat(threads.keySet()).allMatch(name -> name.startsWith("cf-graph-")).hasSizeLessThan(3);
  }

  @Test
  void aFailingTaskFailsTheRunAndItsDescendantsDoNotRun() {
    BenchDag dag = DagShape.CHAIN.of(100);
    AtomicInteger ran = new AtomicInteger();
    try (CompletableFutureGraph graph = new CompletableFutureGraph(dag, 2)) {
      assertThatThrownBy(() -> graph.run(v -> {
        if (v == 50) {
          throw new IllegalStateException("node 50");
        }
        ran.incrementAndGet();
      })).isInstanceOf(CompletionException.class).hasRootCauseMessage("node 50");
    }
    assertThat(ran).hasValue(50);
  }
}
