package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.log.LogQuery;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each attempt records when its node became READY, so its queue time, and the usage figures
 * its executor reports; the run view sums queue and busy time.
 */
class QueueTimeAndUsageTest {

  @Test
  void aNodeHeldByTheRunsLimitWaitsForItInItsQueueTime() {
    ExecutionPolicy one = ExecutionPolicy.builder("one").maxParallelNodesPerRun(1).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(one), "t")) {
      h.executor.script("a", Outcome.succeed().after(Duration.ofSeconds(30)));
      h.executor.script("b", Outcome.succeed().after(Duration.ofSeconds(10)));
      String run = h.submit(DagSpec.builder("two")
          .node(NodeSpec.task("a", "t")).node(NodeSpec.task("b", "t")).build());
      h.awaitCalls("a", 1);
      h.clock.advance(Duration.ofSeconds(30)); // a ends; b starts only now
      h.awaitCalls("b", 1);
      h.clock.advance(Duration.ofSeconds(10));
      RunView view = h.await(run);

      AttemptRecord a = view.node("a").orElseThrow().attempts().get(0);
      AttemptRecord b = view.node("b").orElseThrow().attempts().get(0);
      assertThat(a.readyAt()).contains(Harness.T0);
      assertThat(a.queueTime()).contains(Duration.ZERO);
      assertThat(b.readyAt()).contains(Harness.T0);
      assertThat(b.queueTime()).contains(Duration.ofSeconds(30));
      assertThat(b.duration()).contains(Duration.ofSeconds(10));
      assertThat(view.queueTime()).isEqualTo(Duration.ofSeconds(30));
      assertThat(view.busyTime()).isEqualTo(Duration.ofSeconds(40));
      // as stored, not only as the engine holds it
      assertThat(h.stores.runs().attempts(run)).filteredOn(r -> r.nodeId().equals("b"))
          .singleElement().satisfies(r ->
              assertThat(r.queueTime()).contains(Duration.ofSeconds(30)));
    }
  }

  @Test
  void aRetryWaitsFromItsOwnReadyTime() {
    try (Harness h = new Harness("t")) {
      h.executor.script("a", Outcome.fail("E", "flaky"), Outcome.succeed());
      String run = h.submit(DagSpec.builder("r").node(NodeSpec.task("a", "t")
          .retry(RetryPolicy.builder().maxAttempts(2)
              .initialDelay(Duration.ofSeconds(5)).build())).build());
      h.awaitNode(run, "a", NodeState.WAITING); // its retry is set
      h.clock.advance(Duration.ofSeconds(5));
      List<AttemptRecord> attempts = h.await(run).node("a").orElseThrow().attempts();
      assertThat(attempts).hasSize(2);
      assertThat(attempts.get(1).readyAt()).contains(Harness.T0.plusSeconds(5));
      assertThat(attempts.get(1).queueTime()).contains(Duration.ZERO);
    }
  }

  @Test
  void usageFiguresAreStoredWithTheAttempt() throws Exception {
    LinkedBlockingQueue<NodeContext> running = new LinkedBlockingQueue<>();
    CompletableFuture<NodeResult> end = new CompletableFuture<>();
    try (Harness h = new Harness(b -> b.executor("sim", ctx -> {
      running.add(ctx);
      return end;
    }))) {
      String run = h.submit(DagSpec.builder("u").node(NodeSpec.task("agent", "sim")).build());
      NodeContext ctx = running.poll(10, TimeUnit.SECONDS);
      ctx.reportUsage("cpu_percent", 42.5);
      ctx.reportUsage("memory_mb", 512);
      ctx.reportUsage("cpu_percent", 61.0); // replaces
      assertThat(h.engine.get(run).node("agent").orElseThrow().attempts().get(0).usage())
          .containsExactly(Map.entry("cpu_percent", 61.0), Map.entry("memory_mb", 512.0));

      assertThatThrownBy(() -> ctx.reportUsage("cpu percent", 1))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'cpu percent'");
      assertThatThrownBy(() -> ctx.reportUsage("gpu", Double.NaN))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("usage.gpu");
      assertThatThrownBy(() -> ctx.reportUsage(null, 1))
          .isInstanceOf(NullPointerException.class);
      for (int i = 0; i < AttemptRecord.MAX_USAGE_FIGURES; i++) {
        ctx.reportUsage("f" + i, i);
      }
      assertThat(h.engine.get(run).node("agent").orElseThrow().attempts().get(0).usage())
          .hasSize(AttemptRecord.MAX_USAGE_FIGURES).containsEntry("cpu_percent", 61.0);
      assertThat(h.engine.logs(LogQuery.of(run))).extracting(e -> e.message())
          .anyMatch(m -> m.contains("ignored usage figure"));

      end.complete(NodeResult.success());
      RunView view = h.await(run);
      ctx.reportUsage("late", 1); // after the end: ignored
      assertThat(h.stores.runs().attempts(run)).singleElement().satisfies(r -> {
        assertThat(r.usage()).containsEntry("memory_mb", 512.0).doesNotContainKey("late");
        assertThat(r.usage()).hasSize(AttemptRecord.MAX_USAGE_FIGURES);
      });
      assertThat(view.node("agent").orElseThrow().attempts().get(0).usage())
          .containsEntry("cpu_percent", 61.0);
    }
  }
}
