package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.ManualWorkers;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An executor reports its reference for an attempt through its context: stored with the attempt
 * before the report returns, from any thread (the worker inside {@code execute} included), kept
 * by the attempt's later writes and shown in views; the same one again does nothing, a different
 * one is refused, a bad one is refused naming the field, and one reported after the attempt
 * ended is ignored with a WARN line in the run's log.
 */
class EngineRefReportTest {

  /** The attempt of {@code nodeId} numbered {@code attempt}, as the store has it now. */
  private static AttemptRecord stored(Stores stores, String run, String nodeId, int attempt) {
    return stores.runs().attempts(run).stream()
        .filter(a -> a.nodeId().equals(nodeId) && a.attempt() == attempt).findFirst()
        .orElseThrow(() -> new AssertionError("no attempt " + attempt + " of " + nodeId));
  }

  @Test
  void aReportIsStoredBeforeItReturnsAndTheAttemptKeepsItToItsEnd() throws Exception {
    CompletableFuture<NodeResult> remote = new CompletableFuture<>();
    Map<String, AttemptRecord> storedAfterReport = new ConcurrentHashMap<>();
    Map<String, Optional<String>> contextRef = new ConcurrentHashMap<>();
    Stores[] stores = new Stores[1];
    CountDownLatch reported = new CountDownLatch(1);
    NodeExecutor submitting = ctx -> {
      ctx.reportEngineRef("task-" + ctx.nodeId());
      storedAfterReport.put(ctx.nodeId(), stored(stores[0], ctx.runId(), ctx.nodeId(), 1));
      contextRef.put(ctx.nodeId(), ctx.engineRef());
      reported.countDown();
      return remote;
    };
    try (Harness h = new Harness(b -> b.executor("remote", submitting))) {
      stores[0] = h.stores;
      String run = h.submit(DagSpec.builder("ref").node(NodeSpec.task("x", "remote")).build());
      assertThat(reported.await(10, TimeUnit.SECONDS)).isTrue();

      assertThat(storedAfterReport.get("x").engineRef()).contains("task-x");
      assertThat(storedAfterReport.get("x").outcome()).isEqualTo(AttemptOutcome.RUNNING);
      assertThat(contextRef.get("x")).contains("task-x");
      assertThat(h.engine.get(run).node("x").orElseThrow().attempts()).singleElement()
          .satisfies(a -> assertThat(a.engineRef()).contains("task-x"));

      remote.complete(NodeResult.success());
      RunView done = h.await(run);
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("x").orElseThrow().attempts()).singleElement().satisfies(a -> {
        assertThat(a.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
        assertThat(a.engineRef()).contains("task-x");
        assertThat(a.idempotencyKey()).isEqualTo(run + ":x:1");
      });
    }
  }

  @Test
  void aReportReturnsOnlyOnceItsWriteIsCompleteOnAStoreThatCompletesLate() throws Exception {
    Stores base = Stores.inMemory();
    ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor();
    FaultyRunStore late = new FaultyRunStore(base.runs())
        .completeLate(committer, Duration.ofMillis(20));
    List<String> unstored = new CopyOnWriteArrayList<>();
    NodeExecutor reporting = ctx -> {
      String ref = "task-" + ctx.nodeId();
      ctx.reportEngineRef(ref);
      Optional<String> stored = stored(base, ctx.runId(), ctx.nodeId(), 1).engineRef();
      if (!stored.equals(Optional.of(ref))) {
        unstored.add(ctx.nodeId() + " had " + stored + " stored when its report returned");
      }
      return CompletableFuture.completedFuture(NodeResult.success());
    };
    DagSpec.Builder wide = DagSpec.builder("wide");
    for (int i = 0; i < 20; i++) {
      wide.node(NodeSpec.task("n" + i, "remote"));
    }
    try (DagEngine engine = DagEngine.builder().stores(Stores.of(late, base.logs(),
        base.policies(), base.templates(), base.triggers())).workersPerScope(4)
        .executor("remote", reporting).build()) {
      engine.start();
      String run = engine.submit(wide.build());
      assertThat(engine.await(run, Duration.ofSeconds(30)).state())
          .isEqualTo(RunState.COMPLETED);
    } finally {
      committer.shutdownNow();
    }
    assertThat(unstored).isEmpty();
  }

  @Test
  void handlersReportOnTheirWorkerInsideTheCallWithoutWaitingForAnything() throws Exception {
    TaskHandler reporting = ctx -> {
      ctx.reportEngineRef("local-" + ctx.nodeId() + "-" + ctx.attempt());
      return null;
    };
    DagSpec chain = DagSpec.builder("chain")
        .node(NodeSpec.task("a", "h"))
        .node(NodeSpec.task("b", "h").dependsOn("a")) // started by the worker that ended 'a'
        .node(NodeSpec.task("c", "h").dependsOn("b"))
        .build();
    try (Harness h = new Harness(b -> b.handler("h", reporting))) {
      String run = h.submit(chain);
      RunView done = h.await(run);
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      for (String node : List.of("a", "b", "c")) {
        assertThat(done.node(node).orElseThrow().attempts()).singleElement().satisfies(a -> {
          assertThat(a.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
          assertThat(a.engineRef()).contains("local-" + node + "-1");
        });
      }
    }

    // the same on the test's own thread, as a host's workerExecutor runs them
    ManualClock clock = new ManualClock(Harness.T0);
    ManualWorkers workers = new ManualWorkers(clock);
    try (DagEngine engine = DagEngine.builder().timeSource(clock).workerExecutor(workers)
        .handler("h", reporting).build()) {
      engine.start();
      String run = engine.submit(chain);
      RunView done = workers.runUntilEnded(engine, run);
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.nodes()).extracting(n -> n.attempts().get(0).engineRef().orElseThrow())
          .containsExactly("local-a-1", "local-b-1", "local-c-1");
    }
  }

  @Test
  void theStoredReferenceAgainDoesNothingAndADifferentOneIsRefused() throws Exception {
    List<Throwable> refused = new CopyOnWriteArrayList<>();
    NodeExecutor twice = ctx -> {
      ctx.reportEngineRef("r-1");
      ctx.reportEngineRef("r-1");
      try {
        ctx.reportEngineRef("r-2");
      } catch (RuntimeException e) {
        refused.add(e);
      }
      return CompletableFuture.completedFuture(NodeResult.success());
    };
    try (Harness h = new Harness(b -> b.executor("t", twice))) {
      String run = h.submit(DagSpec.builder("twice").node(NodeSpec.task("x", "t")).build());
      RunView done = h.await(run);

      assertThat(refused).hasSize(1);
      assertThat(refused.get(0)).isInstanceOf(IllegalStateException.class)
          .hasMessage("attempt " + run + ":x:1 already has the engine reference 'r-1'; "
              + "refused 'r-2'");
      assertThat(done.node("x").orElseThrow().attempts()).singleElement()
          .extracting(a -> a.engineRef().orElseThrow()).isEqualTo("r-1");
    }
  }

  @Test
  void concurrentReportsStoreOneReference() throws Exception {
    int threads = 8;
    CompletableFuture<NodeResult> same = new CompletableFuture<>();
    CompletableFuture<NodeResult> different = new CompletableFuture<>();
    Map<String, NodeContext> contexts = new ConcurrentHashMap<>();
    CountDownLatch bothCalled = new CountDownLatch(2);
    NodeExecutor held = ctx -> {
      contexts.put(ctx.nodeId(), ctx);
      bothCalled.countDown();
      return ctx.nodeId().equals("same") ? same : different;
    };
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try (Harness h = new Harness(b -> b.executor("t", held).workersPerScope(2))) {
      String run = h.submit(DagSpec.builder("racing").node(NodeSpec.task("same", "t"))
          .node(NodeSpec.task("different", "t")).build());
      assertThat(bothCalled.await(10, TimeUnit.SECONDS)).isTrue();
      CountDownLatch go = new CountDownLatch(1);
      List<Future<?>> sameReports = new ArrayList<>();
      List<Future<?>> differentReports = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        String mine = "ref-" + i;
        sameReports.add(pool.submit(() -> {
          go.await();
          contexts.get("same").reportEngineRef("shared");
          return null;
        }));
        differentReports.add(pool.submit(() -> {
          go.await();
          contexts.get("different").reportEngineRef(mine);
          return null;
        }));
      }
      go.countDown();
      for (Future<?> f : sameReports) {
        f.get(10, TimeUnit.SECONDS); // none refused: each is the stored one, or stores it
      }
      int refused = 0;
      for (Future<?> f : differentReports) {
        try {
          f.get(10, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(IllegalStateException.class)
              .hasMessageContaining("already has the engine reference");
          refused++;
        }
      }
      assertThat(refused).as("all but the first are refused").isEqualTo(threads - 1);
      String winner = contexts.get("different").engineRef().orElseThrow();
      assertThat(stored(h.stores, run, "different", 1).engineRef()).contains(winner);
      assertThat(stored(h.stores, run, "same", 1).engineRef()).contains("shared");

      same.complete(NodeResult.success());
      different.complete(NodeResult.success());
      RunView done = h.await(run);
      assertThat(done.node("different").orElseThrow().attempts()).singleElement()
          .extracting(a -> a.engineRef().orElseThrow()).isEqualTo(winner);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void aBadReferenceIsRefusedNamingTheFieldAndNothingIsStored() throws Exception {
    List<String> bad = List.of("", "   ", "task\n7", "\u0000", "x".repeat(513));
    Map<String, Throwable> refused = new ConcurrentHashMap<>();
    NodeExecutor checking = ctx -> {
      try {
        ctx.reportEngineRef(null);
      } catch (RuntimeException e) {
        refused.put("null", e);
      }
      for (String ref : bad) {
        try {
          ctx.reportEngineRef(ref);
        } catch (RuntimeException e) {
          refused.put(ref, e);
        }
      }
      ctx.reportEngineRef("é".repeat(AttemptRecord.MAX_ENGINE_REF_LENGTH)); // the longest
      return CompletableFuture.completedFuture(NodeResult.success());
    };
    try (Harness h = new Harness(b -> b.executor("t", checking))) {
      String run = h.submit(DagSpec.builder("bad").node(NodeSpec.task("x", "t")).build());
      RunView done = h.await(run);

      assertThat(refused.get("null")).isInstanceOf(NullPointerException.class)
          .hasMessage("engineRef");
      assertThat(refused.get("")).isInstanceOf(IllegalArgumentException.class)
          .hasMessage("engineRef must be non-blank, at most 512 characters, without control "
              + "characters; it was blank");
      assertThat(refused.get("   ")).hasMessageEndingWith("it was blank");
      assertThat(refused.get("task\n7")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("it has a control character at index 4");
      assertThat(refused.get("\u0000")).hasMessageEndingWith("control character at index 0");
      assertThat(refused.get("x".repeat(513))).isInstanceOf(IllegalArgumentException.class)
          .hasMessageEndingWith("it was 513 characters");
      assertThat(refused).hasSize(1 + bad.size());
      assertThat(done.node("x").orElseThrow().attempts()).singleElement()
          .extracting(a -> a.engineRef().orElseThrow())
          .isEqualTo("é".repeat(AttemptRecord.MAX_ENGINE_REF_LENGTH));
    }
  }

  @Test
  void aReportAfterTheAttemptEndedIsIgnoredWithAWarningInTheRunsLog() throws Exception {
    Map<String, NodeContext> contexts = new ConcurrentHashMap<>();
    CountDownLatch called = new CountDownLatch(1);
    NodeExecutor slow = new NodeExecutor() {
      @Override
      public CompletionStage<NodeResult> execute(NodeContext ctx) {
        contexts.put(ctx.nodeId(), ctx);
        called.countDown();
        return new CompletableFuture<>(); // its submit answers after the timeout
      }
    };
    try (Harness h = new Harness(b -> b.executor("t", slow))) {
      String run = h.submit(DagSpec.builder("late")
          .node(NodeSpec.task("x", "t").timeout(Duration.ofMinutes(1))).build());
      assertThat(called.await(10, TimeUnit.SECONDS)).isTrue();
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);

      NodeContext ctx = contexts.get("x");
      ctx.reportEngineRef("late-7"); // no throw: the attempt's end raced the executor's submit

      assertThat(ctx.engineRef()).isEmpty();
      AttemptRecord attempt = stored(h.stores, run, "x", 1);
      assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
      assertThat(attempt.engineRef()).isEmpty();
      assertThat(h.engine.logs(LogQuery.of(run).node("x").minLevel(LogLevel.WARN)))
          .extracting(LogEntry::message)
          .containsExactly("ignored the engine reference 'late-7' reported for attempt 1: the "
              + "attempt had already ended TIMED_OUT");
    }
  }
}
