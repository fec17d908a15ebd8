package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * An executor is called only once its attempt is stored RUNNING under the idempotency key it
 * is given: what it reads from the run store, and what the engine's view shows, from inside
 * {@code execute}, is its own attempt on record. An attempt whose start cannot be stored is
 * never executed.
 */
class AttemptStoredBeforeExecutionTest {
  private final ManualClock clock = new ManualClock(Harness.T0);
  private final Stores stores = Stores.inMemory();
  private final AtomicReference<DagEngine> engine = new AtomicReference<>();

  /** What one call of an executor found stored, by its context's idempotency key. */
  private record Seen(Optional<AttemptRecord> stored, Optional<NodeState> nodeState,
      Optional<AttemptRecord> shown, Optional<String> contextRef) {}

  private final Map<String, Seen> seen = new ConcurrentHashMap<>();

  /** Looks its own attempt up in the store and in the engine's view, from inside the call. */
  private void look(NodeContext ctx) {
    String key = ctx.idempotencyKey();
    Optional<AttemptRecord> stored = stores.runs().attempts(ctx.runId()).stream()
        .filter(a -> a.idempotencyKey().equals(key)).findFirst();
    Optional<NodeState> state = stores.runs().nodes(ctx.runId()).stream()
        .filter(n -> n.nodeId().equals(ctx.nodeId())).findFirst().map(NodeRecord::state);
    Optional<AttemptRecord> shown = engine.get().get(ctx.runId()).node(ctx.nodeId())
        .orElseThrow().attempts().stream().filter(a -> a.attempt() == ctx.attempt())
        .findFirst();
    seen.put(key, new Seen(stored, state, shown, ctx.engineRef()));
  }

  private DagEngine start(DagEngine.Builder b) {
    DagEngine e = b.timeSource(clock).build();
    engine.set(e);
    e.start();
    return e;
  }

  @Test
  void everyExecutorFindsItsOwnAttemptStoredRunningUnderItsKeyWhenItIsCalled()
      throws Exception {
    AtomicBoolean failedOnce = new AtomicBoolean();
    NodeExecutor async = ctx -> {
      look(ctx);
      if (ctx.nodeId().equals("c") && failedOnce.compareAndSet(false, true)) {
        // its second attempt must be on record before its call too
        return CompletableFuture.failedFuture(new NodeFailureException("E", "once"));
      }
      return CompletableFuture.supplyAsync(NodeResult::success); // ends on another thread
    };
    TaskHandler handler = ctx -> {
      look(ctx); // 'b' is started by the worker that ended 'a', in the step that ended it
      return null;
    };
    DagSpec spec = DagSpec.builder("on-record")
        .node(NodeSpec.task("a", "handler"))
        .node(NodeSpec.task("b", "handler").dependsOn("a"))
        .node(NodeSpec.task("c", "async").dependsOn("b")
            .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build()))
        .node(NodeSpec.task("d", "handler").dependsOn("c"))
        .build();
    try (DagEngine e = start(DagEngine.builder().stores(stores).handler("handler", handler)
        .executor("async", async))) {
      String run = e.submit(spec);
      RunView done = e.await(run, Harness.WAIT);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      List<String> keys = List.of(run + ":a:1", run + ":b:1", run + ":c:1", run + ":c:2",
          run + ":d:1");
      assertThat(seen).containsOnlyKeys(keys);
      for (String key : keys) {
        Seen s = seen.get(key);
        assertThat(s.stored()).as(key + " in the store").hasValueSatisfying(a -> {
          assertThat(a.outcome()).isEqualTo(AttemptOutcome.RUNNING);
          assertThat(a.engineRef()).isEmpty();
          assertThat(a.endedAt()).isEmpty();
        });
        assertThat(s.nodeState()).as(key + "'s node").contains(NodeState.RUNNING);
        assertThat(s.shown()).as(key + " in the view").isEqualTo(s.stored());
        assertThat(s.contextRef()).as(key + ": a fresh attempt has no reference").isEmpty();
      }
      assertThat(done.node("c").orElseThrow().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.COMPLETED);
    }
  }

  @Test
  void anAttemptWhoseStartCannotBeStoredIsNeverExecuted() throws Exception {
    FaultyRunStore runs = new FaultyRunStore(stores.runs());
    List<String> called = new CopyOnWriteArrayList<>();
    AtomicBoolean once = new AtomicBoolean();
    NodeExecutor executor = ctx -> {
      called.add(ctx.idempotencyKey());
      look(ctx);
      if (ctx.nodeId().equals("a") && once.compareAndSet(false, true)) {
        // both tries of the step that ends 'a' and starts 'b' fail: the run is dropped, its
        // lease given up after a lease time, claimed back and restored from the store
        runs.failNextApplies(2);
      }
      return CompletableFuture.completedFuture(NodeResult.success());
    };
    try (DagEngine e = start(DagEngine.builder()
        .stores(Stores.of(runs, stores.logs(), stores.policies(), stores.templates(),
            stores.triggers()))
        .leaseTime(Duration.ofMillis(300)).storeRetry(1, Duration.ofMillis(1), Duration.ofMillis(1))
        .executor("t", executor))) {
      String run = e.submit(DagSpec.builder("unstored")
          .node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "t").dependsOn("a"))
          .build());
      RunView done = e.await(run, Harness.WAIT);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      // 'b' 1 of the failed step was never called: the 'b' 1 called is the one stored later
      assertThat(called).containsExactly(run + ":a:1", run + ":a:2", run + ":b:1");
      for (String key : called) {
        assertThat(seen.get(key).stored()).as(key).map(AttemptRecord::outcome)
            .contains(AttemptOutcome.RUNNING);
      }
      assertThat(done.node("a").orElseThrow().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(AttemptOutcome.ABANDONED, AttemptOutcome.COMPLETED);
      assertThat(done.node("b").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.COMPLETED);
    }
  }
}
