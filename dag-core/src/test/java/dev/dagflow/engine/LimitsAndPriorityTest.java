package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Policy limits hold under load; the ready queue honours run and node priority. */
class LimitsAndPriorityTest {

  /** Counts nodes in flight per run and per scope, and keeps the maxima seen. */
  private static final class Counting implements TaskHandler {
    final Map<String, AtomicInteger> perRun = new ConcurrentHashMap<>();
    final Map<String, Integer> maxPerRun = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> perScope = new ConcurrentHashMap<>();
    final Map<String, Integer> maxPerScope = new ConcurrentHashMap<>();
    volatile java.util.function.Consumer<NodeContext> onEach = ctx -> { };

    @Override
    public com.fasterxml.jackson.databind.JsonNode handle(NodeContext ctx) throws Exception {
      String scope = ctx.params().get("scope").asText();
      int r = perRun.computeIfAbsent(ctx.runId(), k -> new AtomicInteger()).incrementAndGet();
      int s = perScope.computeIfAbsent(scope, k -> new AtomicInteger()).incrementAndGet();
      maxPerRun.merge(ctx.runId(), r, Math::max);
      maxPerScope.merge(scope, s, Math::max);
      try {
        onEach.accept(ctx);
        Thread.yield(); // give other workers a chance to overlap, without sleeping
        return null;
      } finally {
        perRun.get(ctx.runId()).decrementAndGet();
        perScope.get(scope).decrementAndGet();
      }
    }
  }

  private static DagSpec wide(String id, DagScope scope, int width) {
    DagSpec.Builder b = DagSpec.builder(id).scope(scope);
    b.node(NodeSpec.task("root", "count"));
    for (int i = 0; i < width; i++) {
      b.node(NodeSpec.task("n" + i, "count").dependsOn("root"));
    }
    return b.build();
  }

  @Test
  void parallelNodesPerRunAndRunsPerScopeNeverExceedThePolicy() throws Exception {
    Counting counting = new Counting();
    ExecutionPolicy limits = ExecutionPolicy.builder("limits").maxParallelNodesPerRun(2)
        .maxConcurrentRunsPerScope(3).build();
    java.util.concurrent.atomic.AtomicReference<DagEngine> ref =
        new java.util.concurrent.atomic.AtomicReference<>();
    Map<String, Integer> maxRunningRuns = new ConcurrentHashMap<>();
    counting.onEach = ctx -> {
      // runs of the node's project running now, as the engine has stored them
      String project = ctx.params().get("project").asText();
      long running = ref.get().list(dev.dagflow.store.RunQuery.all()
          .states(RunState.RUNNING, RunState.PAUSED).project(project)).total();
      maxRunningRuns.merge(project, (int) running, Math::max);
    };
    try (DagEngine engine = DagEngine.builder().handler("count", counting).workersPerScope(8)
        .engineDefaultPolicy(limits).build()) {
      ref.set(engine);
      engine.start();
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 10; i++) {
        DagScope scope = DagScope.project(i % 2 == 0 ? "even" : "odd", true);
        ids.add(engine.submit(wide("w" + i, scope, 30),
            com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
                .put("scope", scope.workerKey()).put("project", scope.id().orElseThrow())));
      }
      for (String id : ids) {
        assertThat(engine.await(id, Duration.ofSeconds(30)).state())
            .isEqualTo(RunState.COMPLETED);
      }
    }
    assertThat(counting.maxPerRun).hasSize(10).allSatisfy((run, max) ->
        assertThat(max).isBetween(1, 2));
    assertThat(counting.maxPerScope).hasSize(2).allSatisfy((scope, max) ->
        assertThat(max).isBetween(1, 3 * 2));
    assertThat(maxRunningRuns).hasSize(2).allSatisfy((scope, max) ->
        assertThat(max).isBetween(1, 3));
  }

  @Test
  void withOneWorkerTheHigherPriorityRunsNodesGoFirst() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch blocking = new CountDownLatch(1);
    List<String> order = new CopyOnWriteArrayList<>();
    TaskHandler record = ctx -> {
      order.add(ctx.node().id());
      return null;
    };
    TaskHandler block = ctx -> {
      blocking.countDown();
      release.await(10, TimeUnit.SECONDS);
      return null;
    };
    try (DagEngine engine = DagEngine.builder().handler("record", record)
        .handler("block", block).workersPerScope(1).build()) {
      engine.start();
      String gate = engine.submit(DagSpec.builder("gate").node(NodeSpec.task("gate", "block"))
          .build());
      assertThat(blocking.await(10, TimeUnit.SECONDS)).isTrue();
      String low = engine.submit(DagSpec.builder("low").priority(1)
          .node(NodeSpec.task("low-1", "record")).node(NodeSpec.task("low-2", "record"))
          .build());
      String high = engine.submit(DagSpec.builder("high").priority(9)
          .node(NodeSpec.task("high-1", "record"))
          .node(NodeSpec.task("high-2", "record").priority(5))
          .build());
      release.countDown();
      for (String id : List.of(gate, low, high)) {
        engine.await(id, Duration.ofSeconds(10));
      }
    }
    assertThat(order).containsExactly("high-2", "high-1", "low-1", "low-2");
  }

  @Test
  void aRunStoppedWhileWaitingForItsPlaceNeverHoldsOneAndLaterRunsStart() throws Exception {
    ExecutionPolicy one = ExecutionPolicy.builder("one").maxConcurrentRunsPerScope(1).build();
    List<RunStateChange> changes = new CopyOnWriteArrayList<>();
    EngineListener recorder = new EngineListener() {
      @Override
      public void onRunStateChange(RunStateChange change) {
        changes.add(change);
      }
    };
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(one).listener(recorder), "t")) {
      h.executor.script("a", dev.dagflow.testing.Outcome.succeed().after(Duration.ofSeconds(5)));
      DagSpec spec = DagSpec.builder("x").node(NodeSpec.task("a", "t")).build();
      String first = h.submit(spec);
      String waiting = h.submit(spec);
      assertThat(h.engine.get(waiting).state()).isEqualTo(RunState.PENDING);
      assertThat(h.engine.explain(waiting, "a").closedGates()).extracting(g -> g.kind())
          .containsExactly(dev.dagflow.eval.Gate.Kind.CONCURRENCY);

      assertThatThrownBy(() -> h.engine.stopNode(waiting, "a", "ops"))
          .isInstanceOf(NodeOperationException.class)
          .hasMessageContaining("in a run that has started");
      h.engine.stop(waiting, "ops");
      assertThat(h.await(waiting).state()).isEqualTo(RunState.STOPPED);
      h.awaitCalls("a", 1);
      h.clock.advance(Duration.ofSeconds(5));
      assertThat(h.await(first).state()).isEqualTo(RunState.COMPLETED);

      String later = h.submit(spec);
      h.awaitCalls("a", 2);
      h.clock.advance(Duration.ofSeconds(5));
      assertThat(h.await(later).state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.transitions(waiting)).allSatisfy(t -> {
        assertThat(t.from()).isEqualTo(dev.dagflow.state.NodeState.PENDING);
        assertThat(t.to()).isEqualTo(dev.dagflow.state.NodeState.STOPPED);
      });
      // it never started: listeners see PENDING -> STOPPED, no RUNNING in between
      assertThat(changes).filteredOn(c -> c.runId().equals(waiting))
          .extracting(c -> c.from().orElse(null), RunStateChange::to)
          .containsExactly(tuple(null, RunState.PENDING),
              tuple(RunState.PENDING, RunState.STOPPED));
    }
  }
}
