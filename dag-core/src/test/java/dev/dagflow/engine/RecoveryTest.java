package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.Outcome;
import dev.dagflow.testing.ScriptedExecutor;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A new engine on the same stores takes over the runs the previous one left unfinished. */
class RecoveryTest {
  private final ManualClock clock = new ManualClock(Harness.T0);
  private final Stores stores = Stores.inMemory();

  private DagEngine engine(NodeExecutor executor) {
    return engine(executor, new EngineListener() { });
  }

  private DagEngine engine(NodeExecutor executor, EngineListener listener) {
    DagEngine engine = DagEngine.builder().stores(stores).timeSource(clock)
        .executor("t", executor).listener(listener).build();
    engine.start();
    return engine;
  }

  /** A listener completing {@code reached} once {@code nodeId} goes from one state to another. */
  private static EngineListener reaching(String nodeId, NodeState from, NodeState to,
      CompletableFuture<Void> reached) {
    return new EngineListener() {
      @Override
      public void onTransition(StateTransition t) {
        if (t.nodeId().equals(nodeId) && t.from() == from && t.to() == to) {
          reached.complete(null);
        }
      }
    };
  }

  private static DagSpec spec() {
    return DagSpec.builder("recover")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a")
            .retry(RetryPolicy.builder().maxAttempts(3).build()))
        .node(NodeSpec.task("c", "t").dependsOn("b"))
        .node(NodeSpec.task("d", "t").dependsOn("a").delay(Duration.ofMinutes(5)))
        .build();
  }

  /** The runs the store has not ended. */
  private List<String> unfinished() {
    return stores.runs().list(RunQuery.all().states(RunState.PENDING, RunState.RUNNING,
        RunState.PAUSED)).items().stream().map(RunSummary::runId).toList();
  }

  /** An executor on the test's clock whose nodes not scripted succeed. */
  private ScriptedExecutor scripted() {
    return new ScriptedExecutor(clock).defaultOutcome(Outcome.succeed());
  }

  /** Runs {@link #spec()} until 'b' hangs, then closes the engine as if the process died. */
  private String crashWhileBRuns() throws Exception {
    ScriptedExecutor first = scripted().script("b", Outcome.hang());
    DagEngine crashed = engine(first);
    String run = crashed.submit(spec());
    first.awaitCalls("b", 1, Duration.ofSeconds(10));
    crashed.close(); // nothing more is written
    return run;
  }

  @Test
  void aNodeRunningWhenTheEngineStoppedIsStartedAgainAsANewAttempt() throws Exception {
    String run = crashWhileBRuns();

    assertThat(unfinished()).containsExactly(run);
    ScriptedExecutor second = scripted();
    CompletableFuture<Void> cCompleted = new CompletableFuture<>();
    try (DagEngine recovered = engine(second, reaching("c", NodeState.RUNNING,
        NodeState.COMPLETED, cCompleted))) {
      assertThat(second.calls("d")).isEmpty(); // 'd' waits for its delay
      cCompleted.get(10, TimeUnit.SECONDS);
      clock.advance(Duration.ofMinutes(5));
      RunView view = recovered.await(run, Duration.ofSeconds(10));

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("b").orElseThrow().attempts())
          .extracting(AttemptRecord::attempt, AttemptRecord::outcome)
          .containsExactly(org.assertj.core.groups.Tuple.tuple(1, AttemptOutcome.ABANDONED),
              org.assertj.core.groups.Tuple.tuple(2, AttemptOutcome.COMPLETED));
      assertThat(second.calls()).extracting(ScriptedExecutor.Call::nodeId)
          .containsExactlyInAnyOrder("b", "c", "d");
      assertThat(second.calls("b").get(0).attempt()).isEqualTo(2);
      assertThat(view.node("a").orElseThrow().attempts()).hasSize(1);
      assertThat(unfinished()).isEmpty();
    }
  }

  @Test
  void anExecutorThatCanReattachGetsTheSameAttemptBack() throws Exception {
    String run = crashWhileBRuns();

    CompletableFuture<NodeResult> remote = new CompletableFuture<>();
    ScriptedExecutor fresh = scripted();
    NodeExecutor reattaching = new NodeExecutor() {
      @Override
      public CompletionStage<NodeResult> execute(NodeContext context) {
        return fresh.execute(context);
      }

      @Override
      public Optional<CompletionStage<NodeResult>> reattach(NodeContext context) {
        context.progress(40); // calls back into the run while it is being restored
        return context.idempotencyKey().equals(run + ":b:1") ? Optional.of(remote)
            : Optional.empty();
      }
    };
    try (DagEngine recovered = engine(reattaching)) {
      assertThat(recovered.get(run).node("b").orElseThrow().progress()).isEqualTo(40);
      remote.complete(NodeResult.success());
      clock.advance(Duration.ofMinutes(5));
      RunView view = recovered.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("b").orElseThrow().attempts()).singleElement()
          .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.COMPLETED));
      assertThat(fresh.calls("b")).isEmpty();
      assertThat(recovered.logs(dev.dagflow.log.LogQuery.of(run).node("b")))
          .anyMatch(l -> l.message().contains("re-attached"));
    }
  }

  @Test
  void aRetryBackoffStillRunsOnTheClockAfterRecovery() throws Exception {
    ScriptedExecutor first = scripted()
        .script("b", Outcome.fail("E", "flaky"));
    CompletableFuture<Void> bWaiting = new CompletableFuture<>(); // for its retry's backoff
    DagEngine crashed = engine(first, reaching("b", NodeState.RUNNING, NodeState.WAITING,
        bWaiting));
    String run = crashed.submit(DagSpec.builder("backoff").node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a").retry(RetryPolicy.builder().maxAttempts(2)
            .initialDelay(Duration.ofMinutes(1)).build())).build());
    bWaiting.get(10, TimeUnit.SECONDS);
    crashed.close();

    ScriptedExecutor second = scripted();
    try (DagEngine recovered = engine(second)) {
      assertThat(second.calls()).isEmpty();
      clock.advance(Duration.ofMinutes(1));
      RunView view = recovered.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("b").orElseThrow().attempts()).extracting(AttemptRecord::startedAt)
          .containsExactly(Harness.T0, Harness.T0.plusSeconds(60));
    }
  }
}
