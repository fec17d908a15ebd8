package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A broken executor fails or times out its node with a clear error; the run never hangs. */
class ExecutorFaultsTest {

  private static DagSpec pair() {
    return DagSpec.builder("pair").node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a")).node(NodeSpec.task("c", "t")).build();
  }

  private static NodeView failedA(Harness h, Outcome outcome) {
    h.executor.script("a", outcome);
    String run = h.submit(pair());
    RunView view = h.await(run);
    assertThat(view.state()).isEqualTo(RunState.FAILED);
    assertThat(view.node("b").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
    assertThat(view.node("c").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
    NodeView a = view.node("a").orElseThrow();
    assertThat(a.state()).isEqualTo(NodeState.FAILED);
    return a;
  }

  @Test
  void unknownTaskTypesAreRejectedAtSubmitNamingEveryNode() {
    try (Harness h = new Harness("t")) {
      DagSpec spec = DagSpec.builder("bad").node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "nmap")).node(NodeSpec.task("c", "zap")).build();
      assertThatThrownBy(() -> h.submit(spec))
          .isInstanceOfSatisfying(UnknownTaskTypeException.class, e ->
              assertThat(e.typesByNode()).containsExactly(
                  java.util.Map.entry("b", "nmap"), java.util.Map.entry("c", "zap")))
          .hasMessageContaining("node 'b' (type 'nmap')")
          .hasMessageContaining("node 'c' (type 'zap')");
      assertThat(h.engine.list(dev.dagflow.store.RunQuery.all()).total()).isZero();
    }
  }

  @Test
  void anExecutorThatThrowsFailsTheNode() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      NodeView a = failedA(h, Outcome.throwing(new IllegalStateException("disk full")));
      assertThat(a.errorCode()).contains("EXECUTOR_THREW");
      assertThat(a.errorMessage().orElseThrow()).contains("task type 't'")
          .contains("IllegalStateException: disk full");
    }
  }

  @Test
  void anExecutorThatReturnsNullFailsTheNode() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      NodeView a = failedA(h, Outcome.nullStage());
      assertThat(a.errorCode()).contains("EXECUTOR_RETURNED_NULL");
      assertThat(a.errorMessage().orElseThrow()).contains("returned null instead of a stage");
    }
  }

  @Test
  void aStageCompletingWithNullFailsTheNode() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      NodeView a = failedA(h, Outcome.nullResult());
      assertThat(a.errorCode()).contains("NULL_RESULT");
    }
  }

  @Test
  void aHandlerThatThrowsFailsTheNodeWithItsCode() {
    TaskHandler handler = ctx -> {
      if (ctx.nodeId().equals("a")) {
        throw new NodeFailureException("E_QUOTA", "quota exceeded", false);
      }
      return null;
    };
    try (DagEngine engine = DagEngine.builder().handler("t", handler).build()) {
      engine.start();
      RunView view = engine.await(engine.submit(pair()), Duration.ofSeconds(10));
      NodeView a = view.node("a").orElseThrow();
      assertThat(a.errorCode()).contains("E_QUOTA");
      assertThat(a.errorMessage()).contains("quota exceeded");
      assertThat(view.state()).isEqualTo(RunState.FAILED);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void anExecutorThatNeverCompletesTimesOut() {
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(dev.dagflow.policy.ExecutionPolicy
        .builder("d").nodeTimeout(Duration.ofSeconds(30)).build()), "t")) {
      h.executor.script("a", Outcome.hang());
      String run = h.submit(pair());
      h.awaitCalls("a", 1);
      h.clock.advance(Duration.ofSeconds(30));
      RunView view = h.await(run);
      assertThat(view.node("a").orElseThrow().state()).isEqualTo(NodeState.TIMED_OUT);
      assertThat(view.state()).isEqualTo(RunState.FAILED);
    }
  }

  @Test
  void aStageCompletedAgainAfterTheNodeEndedChangesNothing() throws Exception {
    // each node's stage, handed over once the executor made it: waiting on it is not polling
    java.util.Map<String, CompletableFuture<CompletableFuture<NodeResult>>> handed =
        new java.util.concurrent.ConcurrentHashMap<>();
    java.util.function.Function<String, CompletableFuture<CompletableFuture<NodeResult>>> slot =
        id -> handed.computeIfAbsent(id, k -> new CompletableFuture<>());
    NodeExecutor keeping = context -> {
      CompletableFuture<NodeResult> f = new CompletableFuture<>();
      slot.apply(context.nodeId()).complete(f);
      return f;
    };
    try (DagEngine engine = DagEngine.builder().executor("t", keeping).build()) {
      engine.start();
      String run = engine.submit(pair());
      CompletableFuture<NodeResult> stageA = slot.apply("a").get(10, TimeUnit.SECONDS);
      slot.apply("c").get(10, TimeUnit.SECONDS).complete(NodeResult.success());
      stageA.complete(NodeResult.success());
      slot.apply("b").get(10, TimeUnit.SECONDS).complete(NodeResult.success());
      RunView done = engine.await(run, Duration.ofSeconds(10));
      // the executor completes a again, with a failure: nothing may change
      stageA.obtrudeValue(NodeResult.failure("E", "second completion"));
      stageA.complete(NodeResult.failure("E", "third completion"));
      RunView after = engine.get(run);
      assertThat(after.state()).isEqualTo(RunState.COMPLETED);
      assertThat(after.nodes()).isEqualTo(done.nodes());
      assertThat(after.node("a").orElseThrow().attempts()).singleElement()
          .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.COMPLETED));
    }
  }

  @Test
  void aCompletionAfterTheTimeoutIsIgnoredAndLogged() {
    // on the test's thread: the cancelled stage's own late end is logged before the query
    try (Harness h = Harness.onCallingThread("t")) {
      h.executor.script("a", Outcome.hang());
      String run = h.submit(DagSpec.builder("late")
          .node(NodeSpec.task("a", "t").timeout(Duration.ofSeconds(5))).build());
      h.workers.runPending();
      assertThat(h.executor.calls("a")).hasSize(1);
      String key = run + ":a:1";
      h.clock.advance(Duration.ofSeconds(5));
      h.runToEnd(run);
      // the executor completes the attempt the engine already timed out
      h.executor.complete(key, NodeResult.success());
      RunView view = h.engine.get(run);
      assertThat(view.node("a").orElseThrow().state()).isEqualTo(NodeState.TIMED_OUT);
      assertThat(h.engine.logs(LogQuery.of(run).node("a")))
          .extracting(LogEntry::message)
          .anyMatch(m -> m.contains("ignored a completion of attempt 1"));
    }
  }

  @Test
  void aListenerThatThrowsDoesNotDisturbTheRun() throws Exception {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.engine.addListener(new EngineListener() {
        @Override
        public void onTransition(dev.dagflow.state.StateTransition t) {
          throw new IllegalStateException("listener bug");
        }
      });
      assertThat(h.await(h.submit(pair())).state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void nodeContextLogLinesReachTheLogStore() throws Exception {
    TaskHandler chatty = ctx -> {
      ctx.log(LogLevel.INFO, "scanning {} ports", 1024);
      ctx.log(LogLevel.WARN, "slow host {}", "10.0.0.1");
      ctx.progress(150);
      return null;
    };
    try (DagEngine engine = DagEngine.builder().handler("t", chatty).build()) {
      engine.start();
      String run = engine.submit(pair());
      engine.await(run, Duration.ofSeconds(10));
      assertThat(engine.logs(LogQuery.of(run).node("a"))).extracting(LogEntry::message)
          .containsExactly("scanning 1024 ports", "slow host 10.0.0.1");
      assertThat(engine.logs(LogQuery.of(run).minLevel(LogLevel.WARN))).hasSize(3)
          .allSatisfy(e -> assertThat(e.attempt()).isEqualTo(1));
      assertThat(engine.get(run).node("a").orElseThrow().progress()).isEqualTo(100);
    }
  }

  @Test
  void aBlankErrorCodeIsRefusedAndAHandlerThatTriesFailsItsNodeAnyway() throws Exception {
    assertThatThrownBy(() -> new NodeFailureException(" ", "x"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("code");
    TaskHandler blank = ctx -> {
      throw new NodeFailureException("", "no code");
    };
    try (DagEngine engine = DagEngine.builder().handler("t", blank).build()) {
      engine.start();
      RunView view = engine.await(engine.submit(pair()), Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.FAILED);
      assertThat(view.node("a").orElseThrow().errorCode()).contains("EXCEPTION");
      assertThat(view.node("a").orElseThrow().errorMessage().orElseThrow())
          .contains("code must not be blank");
    }
  }
}
