package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.ManualWorkers;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/** Each worker key gets its own pool; pools are released when idle. */
class ScopePoolsTest {
  private final Map<String, Set<String>> threadsByRun = new ConcurrentHashMap<>();

  private DagEngine engine() {
    TaskHandler where = ctx -> {
      threadsByRun.computeIfAbsent(ctx.runId(), k -> ConcurrentHashMap.newKeySet())
          .add(Thread.currentThread().getName());
      return null;
    };
    DagEngine engine = DagEngine.builder().handler("t", where).workersPerScope(2)
        .poolIdleTimeout(Duration.ZERO).build();
    engine.start();
    return engine;
  }

  private static DagSpec spec(String id, DagScope scope) {
    return DagSpec.builder(id).scope(scope).node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t")).node(NodeSpec.task("c", "t").dependsOn("a", "b")).build();
  }

  @Test
  void twoProjectsRunOnDifferentPools() throws Exception {
    try (DagEngine engine = engine()) {
      String acme = engine.submit(spec("x", DagScope.project("acme", true)));
      String umbrella = engine.submit(spec("y", DagScope.project("umbrella", true)));
      String global = engine.submit(spec("z", DagScope.global()));
      String user = engine.submit(spec("u", DagScope.user("kim")));
      for (String run : new String[] {acme, umbrella, global, user}) {
        engine.await(run, Duration.ofSeconds(10));
      }
      assertThat(threadsByRun.get(acme)).allMatch(t -> t.startsWith("dagflow-worker-project-acme-"));
      assertThat(threadsByRun.get(umbrella))
          .allMatch(t -> t.startsWith("dagflow-worker-project-umbrella-"));
      assertThat(threadsByRun.get(global)).allMatch(t -> t.startsWith("dagflow-worker-global-"));
      assertThat(threadsByRun.get(user)).allMatch(t -> t.startsWith("dagflow-worker-user-kim-"));
    }
  }

  @Test
  void aProjectThatDoesNotReuseWorkersGetsAPoolPerRun() throws Exception {
    try (DagEngine engine = engine()) {
      DagScope scope = DagScope.project("lab", false);
      String first = engine.submit(spec("x", scope));
      String second = engine.submit(spec("x", scope));
      engine.await(first, Duration.ofSeconds(10));
      engine.await(second, Duration.ofSeconds(10));
      assertThat(engine.get(first).scopeKey()).isEqualTo("worker-project-lab-run-" + first);
      assertThat(threadsByRun.get(first))
          .allMatch(t -> t.startsWith("dagflow-worker-project-lab-run-" + first + "-"));
      assertThat(threadsByRun.get(second))
          .allMatch(t -> t.startsWith("dagflow-worker-project-lab-run-" + second + "-"));
    }
  }

  @Test
  void poolsAreReleasedWhenIdle() {
    ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    ManualWorkers workers = new ManualWorkers(clock); // everything on the test's thread
    try (DagEngine engine = DagEngine.builder().handler("t", ctx -> null).timeSource(clock)
        .workerExecutor(workers).poolIdleTimeout(Duration.ofMinutes(1)).build()) {
      engine.start();
      String a = engine.submit(spec("x", DagScope.project("p1", true)));
      String b = engine.submit(spec("y", DagScope.project("p2", false)));
      assertThat(engine.workerPools()).containsExactlyInAnyOrder("worker-project-p1",
          "worker-project-p2-run-" + b);
      workers.runPending(); // both runs end: nothing is left queued, only the idle timers
      assertThat(engine.get(a).state()).isEqualTo(RunState.COMPLETED);
      assertThat(engine.get(b).state()).isEqualTo(RunState.COMPLETED);

      clock.advance(Duration.ofSeconds(59));
      assertThat(engine.workerPools()).hasSize(2);
      clock.advance(Duration.ofSeconds(1));
      assertThat(engine.workerPools()).isEmpty();
    }
  }
}
