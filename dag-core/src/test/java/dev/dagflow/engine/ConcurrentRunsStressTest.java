package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Many runs at once on real threads, with flaky handlers, retries, limits, and stops, pauses,
 * resumes and retries arriving from outside at random: every run must end, and every ended run
 * must be consistent with its nodes. Seeded: the specs, the operations and what each attempt of
 * each node does all come from the seed, which is in every failure message and replays with
 * {@code -Ddagflow.stress.seed=<seed>} (the threads' interleaving is the machine's).
 */
class ConcurrentRunsStressTest {
  private static final long SEED = Long.getLong("dagflow.stress.seed", 20261123L);
  /** Attempts of a node drawn from the seed; later ones (after manual retries) succeed. */
  private static final int DRAWN_ATTEMPTS = 8;

  private static DagSpec randomSpec(Random random, int index) {
    DagSpec.Builder b = DagSpec.builder("stress-" + index)
        .scope(DagScope.project("p" + random.nextInt(3), random.nextBoolean()))
        .priority(random.nextInt(5));
    int n = 5 + random.nextInt(25);
    for (int v = 0; v < n; v++) {
      NodeSpec.Builder node = NodeSpec.task("n" + v, "flaky");
      RandomSpecs.dependOnEarlier(random, node, v);
      RandomSpecs.maybeRetried(random, node);
      b.node(node);
    }
    return b.build();
  }


  private static long retriesOf(DagEngine engine, String run, String node) {
    return engine.history(run).stream().filter(h -> h.action().equals("node.retry")
        && h.nodeId().equals(Optional.of(node))).count();
  }

  @Test
  void everyRunEndsAndEndsConsistentlyUnderConcurrentOperations() throws Exception {
    Random random = new Random(SEED);
    List<int[][]> rollsBySpec = new CopyOnWriteArrayList<>();
    // some nodes hold their worker until the operations are done, so they meet running runs
    CountDownLatch released = new CountDownLatch(1);
    TaskHandler flaky = ctx -> {
      int[] node = rollsBySpec.get(ctx.params().path("index").asInt())[
          Integer.parseInt(ctx.nodeId().substring(1))]; // node n<v> is node v
      int roll = ctx.attempt() <= DRAWN_ATTEMPTS ? node[ctx.attempt() - 1] : 9;
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
        DagSpec spec = randomSpec(random, i);
        // before the submit: its nodes start at once
        rollsBySpec.add(RandomSpecs.rolls(random, spec, DRAWN_ATTEMPTS));
        runs.add(engine.submit(spec, JsonNodeFactory.instance.objectNode().put("index", i)));
      }
      int stops = 0;
      int pauses = 0;
      int retries = 0;
      for (int i = 0; i < 60; i++) {
        String run = runs.get(random.nextInt(runs.size()));
        String where = "seed " + SEED + ", operation " + i + " on run " + run;
        try {
          switch (random.nextInt(4)) {
            case 0 -> {
              engine.stop(run, "chaos");
              assertThat(engine.get(run).state()).as(where).isEqualTo(RunState.STOPPED);
              stops++;
            }
            case 1 -> {
              engine.pause(run, "chaos");
              assertThat(engine.get(run).state()).as(where).isEqualTo(RunState.PAUSED);
              pauses++;
              engine.resume(run, "chaos");
            }
            case 2 -> {
              String node = "n" + random.nextInt(5);
              long before = retriesOf(engine, run, node);
              engine.retry(run, node, "chaos");
              assertThat(retriesOf(engine, run, node)).as(where).isEqualTo(before + 1);
              retries++;
            }
            default -> engine.get(run); // a read among the writes; changes nothing
          }
        } catch (RunStateException | NodeOperationException | UnknownNodeException expected) {
          // the run or node was not in a state for it: refused, nothing changed
        }
      }
      String counts = "seed " + SEED + ": " + stops + " stops, " + pauses + " pauses, "
          + retries + " retries applied";
      assertThat(stops + pauses + retries).as("operations that changed a run; " + counts)
          .isGreaterThan(10);
      assertThat(stops).as(counts).isPositive();
      assertThat(pauses).as(counts).isPositive();
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
