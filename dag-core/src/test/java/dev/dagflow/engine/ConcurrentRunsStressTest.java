package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many runs at once on real threads, with flaky handlers, retries, limits, and stops, pauses,
 * resumes and retries arriving from outside at random: every run must end, and every ended run
 * must be consistent with its nodes. Seeded; the seed is in every failure message.
 */
class ConcurrentRunsStressTest {
  private static final long SEED = 20261123L;

  private static DagSpec randomSpec(Random random, int index) {
    DagSpec.Builder b = DagSpec.builder("stress-" + index)
        .scope(DagScope.project("p" + random.nextInt(3), random.nextBoolean()))
        .priority(random.nextInt(5));
    int n = 5 + random.nextInt(25);
    for (int v = 0; v < n; v++) {
      NodeSpec.Builder node = NodeSpec.task("n" + v, "flaky");
      if (v > 0) {
        int edges = 1 + random.nextInt(Math.min(3, v));
        for (int e = 0; e < edges; e++) {
          int u = random.nextInt(v);
          EdgeType type = EdgeType.values()[random.nextInt(3)];
          if (node.build().edges().stream().noneMatch(x -> x.upstream().equals("n" + u))) {
            node.dependsOn("n" + u, type);
          }
        }
      }
      if (random.nextInt(4) == 0) {
        node.retry(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(2))
            .build());
      }
      b.node(node);
    }
    return b.build();
  }

  @Test
  void everyRunEndsAndEndsConsistentlyUnderConcurrentOperations() throws Exception {
    Random random = new Random(SEED);
    // some nodes hold their worker until the operations are done, so they meet running runs
    CountDownLatch released = new CountDownLatch(1);
    TaskHandler flaky = ctx -> {
      int roll = ThreadLocalRandom.current().nextInt(10);
      if (roll == 0) {
        throw new NodeFailureException("E_FLAKY", "flaky");
      }
      if (roll < 3 && !released.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("never released");
      }
      return null;
    };
    ExecutionPolicy limits = ExecutionPolicy.builder("limits").maxParallelNodesPerRun(3)
        .maxConcurrentRunsPerScope(4).build();
    try (DagEngine engine = DagEngine.builder().handler("flaky", flaky).workersPerScope(3)
        .engineDefaultPolicy(limits).random(new Random(SEED)).build()) {
      engine.start();
      List<String> runs = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        runs.add(engine.submit(randomSpec(random, i)));
      }
      int applied = 0;
      for (int i = 0; i < 60; i++) {
        String run = runs.get(random.nextInt(runs.size()));
        try {
          switch (random.nextInt(4)) {
            case 0 -> engine.stop(run, "chaos");
            case 1 -> {
              engine.pause(run, "chaos");
              engine.resume(run, "chaos");
            }
            case 2 -> engine.retry(run, "n" + random.nextInt(5), "chaos");
            default -> engine.get(run);
          }
          applied++;
        } catch (RunStateException | NodeOperationException | UnknownNodeException expected) {
          // the run or node was not in a state for it: refused, nothing changed
        }
      }
      assertThat(applied).as("operations that met a running run").isGreaterThan(10);
      released.countDown();
      for (String run : runs) {
        RunView view = engine.await(run, Duration.ofSeconds(30));
        String where = "seed " + SEED + ", run " + view.spec().id();
        assertThat(view.state().isTerminal()).as(where).isTrue();
        assertThat(view.nodes()).as(where).allSatisfy(n ->
            assertThat(n.state().isTerminal()).as(where + " node " + n.id()).isTrue());
        boolean failed = view.nodes().stream().anyMatch(n -> n.state() == NodeState.FAILED
            || n.state() == NodeState.TIMED_OUT);
        boolean stopped = view.nodes().stream().anyMatch(n -> n.state() == NodeState.STOPPED);
        if (view.state() == RunState.COMPLETED) {
          assertThat(failed || stopped).as(where).isFalse();
        } else if (view.state() == RunState.FAILED) {
          assertThat(failed).as(where).isTrue();
        }
        assertThat(view.nodes()).as(where).allSatisfy(n -> assertThat(n.attempts())
            .allSatisfy(a -> assertThat(a.outcome().isEnded()).isTrue()));
      }
      assertThat(engine.list(dev.dagflow.store.RunQuery.all()
          .states(RunState.PENDING, RunState.RUNNING, RunState.PAUSED)).total()).isZero();
    }
  }
}
