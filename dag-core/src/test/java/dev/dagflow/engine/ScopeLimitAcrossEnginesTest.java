package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A policy's {@code maxConcurrentRunsPerScope} holds across the engines sharing a store: it is
 * counted by the store, not by each engine. Two engines get runs of one scope; each run's only
 * node blocks until the test lets one go, so the number of runs executing at once is what the
 * engines admitted together.
 */
class ScopeLimitAcrossEnginesTest {
  private static final int LIMIT = 2;
  private static final int RUNS = 8;

  @Test
  void twoEnginesTogetherNeverRunMoreRunsOfAScopeThanTheLimit() throws Exception {
    Stores shared = Stores.inMemory();
    AtomicInteger executing = new AtomicInteger();
    AtomicInteger maxExecuting = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    Semaphore letGo = new Semaphore(0);
    TaskHandler hold = ctx -> {
      maxExecuting.accumulateAndGet(executing.incrementAndGet(), Math::max);
      try {
        if (!letGo.tryAcquire(30, TimeUnit.SECONDS)) {
          throw new IllegalStateException("never let go");
        }
        return null;
      } finally {
        executing.decrementAndGet();
        finished.incrementAndGet();
      }
    };
    ExecutionPolicy limited = ExecutionPolicy.builder("limited")
        .maxConcurrentRunsPerScope(LIMIT).build();
    List<DagEngine> engines = new ArrayList<>();
    try {
      for (String name : List.of("engine-a", "engine-b")) {
        DagEngine engine = DagEngine.builder().stores(shared).instanceId(name)
            .leaseTime(Duration.ofMillis(600)).workersPerScope(4).engineDefaultPolicy(limited)
            .handler("hold", hold).build();
        engine.start();
        engines.add(engine);
      }
      DagScope scope = DagScope.project("shop", true);
      List<String> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        runs.add(engines.get(i % 2).submit(DagSpec.builder("held-" + i).scope(scope)
            .node(NodeSpec.task("only", "hold")).build()));
      }
      // let the runs go one by one, each once the engines have as many running as they may
      for (int released = 0; released < RUNS; released++) {
        int expected = Math.min(LIMIT, RUNS - released);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (executing.get() < expected && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        assertThat(executing.get()).as("runs executing before release " + released)
            .isEqualTo(expected);
        letGo.release();
        int done = released + 1;
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (finished.get() < done && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
      }
      for (int i = 0; i < RUNS; i++) {
        assertThat(engines.get(i % 2).await(runs.get(i), Duration.ofSeconds(20)).state())
            .isEqualTo(RunState.COMPLETED);
      }
      assertThat(maxExecuting.get()).isEqualTo(LIMIT);
    } finally {
      letGo.release(RUNS);
      engines.forEach(DagEngine::close);
    }
  }
}
