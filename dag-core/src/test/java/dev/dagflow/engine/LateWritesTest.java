package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A run store that completes its writes late, on a thread of its own, after a delay: the
 * engine acts on a write only once it is complete (no node dispatched, no listener told, no
 * await returned before), and its workers go on meanwhile, so that several runs' writes are in
 * flight at once, which is what lets a database group them into one commit. A worker never
 * waits for a write, and the steps a run makes while one of its writes is in flight go to the
 * store as one write.
 */
class LateWritesTest {
  private static final int RUNS = 12;
  private final Stores base = Stores.inMemory();
  private final ScheduledExecutorService committer =
      Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stopCommitter() {
    committer.shutdownNow();
  }

  private static DagSpec spec(int index) {
    return DagSpec.builder("late-" + index)
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("c", "t").dependsOn("a"))
        .node(NodeSpec.task("d", "t").dependsOn("b", "c"))
        .build();
  }

  private static String key(StateTransition t) {
    return t.time().truncatedTo(ChronoUnit.MILLIS) + " " + t.nodeId() + "#" + t.attempt() + " "
        + t.from() + ">" + t.to();
  }

  /** An engine on {@code base}, its runs written through {@code late}. */
  private DagEngine.Builder builder(FaultyRunStore late) {
    return DagEngine.builder().stores(Stores.of(late, base.logs(), base.policies(),
        base.templates(), base.triggers()));
  }

  @Test
  void nothingIsActedOnBeforeItsWriteIsCompleteAndWritesOfManyRunsAreInFlightAtOnce()
      throws Exception {
    FaultyRunStore late = new FaultyRunStore(base.runs())
        .completeLate(committer, Duration.ofMillis(3));
    List<String> early = new CopyOnWriteArrayList<>();
    TaskHandler work = ctx -> {
      // dispatched only once the write that made it ready, and its own RUNNING, are stored
      List<NodeRecord> nodes = base.runs().nodes(ctx.runId());
      for (String up : ctx.node().edges().stream().map(e -> e.upstream()).toList()) {
        if (nodes.stream().noneMatch(n -> n.nodeId().equals(up)
            && n.state() == NodeState.COMPLETED)) {
          early.add(ctx.idempotencyKey() + " before " + up + " was stored COMPLETED");
        }
      }
      List<AttemptRecord> attempts = base.runs().attempts(ctx.runId());
      if (attempts.stream().noneMatch(a -> a.nodeId().equals(ctx.nodeId())
          && a.attempt() == ctx.attempt() && a.outcome() == AttemptOutcome.RUNNING)) {
        early.add(ctx.idempotencyKey() + " before its attempt was stored RUNNING");
      }
      return null;
    };
    EngineListener storedOnly = new EngineListener() {
      @Override
      public void onTransition(StateTransition t) {
        if (base.runs().transitions(t.runId()).stream().map(LateWritesTest::key)
            .noneMatch(key(t)::equals)) {
          early.add("listener told of " + t + " before it was stored");
        }
      }
    };
    try (DagEngine engine = builder(late)
        .workersPerScope(2).handler("t", work).listener(storedOnly).build()) {
      engine.start();
      List<String> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        runs.add(engine.submit(spec(i)));
      }
      for (String run : runs) {
        RunView view = engine.await(run, Duration.ofSeconds(20));
        assertThat(view.state()).isEqualTo(RunState.COMPLETED);
        // await returned once the end was stored: the store says so, not only memory
        assertThat(base.runs().run(run).orElseThrow().state()).isEqualTo(RunState.COMPLETED);
      }
      assertThat(early).isEmpty();
      assertThat(late.mostInFlight()).as("writes of several runs in flight at once")
          .isGreaterThan(1);
    }
  }

  @Test
  void theStepsOfARunMadeWhileItsWriteIsInFlightGoToTheStoreAsOneWrite() throws Exception {
    FaultyRunStore late = new FaultyRunStore(base.runs())
        .completeLate(committer, Duration.ofMillis(20));
    DagSpec.Builder fan = DagSpec.builder("fan").node(NodeSpec.task("root", "t"));
    int width = 30;
    for (int i = 0; i < width; i++) {
      fan.node(NodeSpec.task("leaf-" + i, "t").dependsOn("root"));
    }
    try (DagEngine engine = builder(late).workersPerScope(4).handler("t", ctx -> null)
        .build()) {
      engine.start();
      String run = engine.submit(fan.build());
      assertThat(engine.await(run, Duration.ofSeconds(20)).state())
          .isEqualTo(RunState.COMPLETED);
      // each leaf's own trail is whole and in order, merged writes or not
      List<StateTransition> trail = base.runs().transitions(run);
      for (int i = 0; i <= width; i++) {
        String node = i == width ? "root" : "leaf-" + i;
        assertThat(trail.stream().filter(t -> t.nodeId().equals(node))
            .map(t -> t.from() + ">" + t.to()).toList()).as(node)
            .containsExactly("PENDING>WAITING", "WAITING>READY", "READY>RUNNING",
                "RUNNING>COMPLETED");
      }
      assertThat(base.runs().nodes(run)).hasSize(width + 1)
          .allMatch(n -> n.state() == NodeState.COMPLETED);
      // a write per step would be two per leaf: a start and an end
      assertThat(late.lateWritesOf(run)).as("writes of the run")
          .isLessThan(width);
    }
  }

  @Test
  void aWorkerStartsAFewNodesAheadWhileTheRunningRecordOfOneIsBeingWritten() throws Exception {
    FaultyRunStore late = new FaultyRunStore(base.runs())
        .completeLate(committer, Duration.ofMillis(300));
    List<List<String>> seen = new CopyOnWriteArrayList<>();
    TaskHandler look = ctx -> { // which nodes have an attempt stored when this one runs
      seen.add(base.runs().attempts(ctx.runId()).stream().map(AttemptRecord::nodeId).sorted()
          .toList());
      return null;
    };
    DagSpec.Builder spec = DagSpec.builder("ten");
    for (char n = 'a'; n <= 'j'; n++) {
      spec.node(NodeSpec.task(String.valueOf(n), "t"));
    }
    try (DagEngine e = builder(late).workersPerScope(1).handler("t", look).build()) {
      e.start();
      String run = e.submit(spec.build());
      assertThat(e.await(run, Duration.ofSeconds(30)).state()).isEqualTo(RunState.COMPLETED);
      // the only worker did not wait for the first node's RUNNING record: it started three
      // more meanwhile, four in all (4 per worker), whose records went to the store together
      // before the second ran. The others waited for those to run: at most one more (e, once
      // a had run) may have gone with them, however the threads met
      assertThat(seen).hasSize(10);
      assertThat(seen.get(0)).containsExactly("a");
      assertThat(seen.get(1)).contains("a", "b", "c", "d")
          .doesNotContain("f", "g", "h", "i", "j");
    }
  }

  @Test
  void theTimeoutOfANodeStartedAheadRunsFromItsCallNotFromItsStart() throws Exception {
    FaultyRunStore late = new FaultyRunStore(base.runs())
        .completeLate(committer, Duration.ofMillis(50));
    ManualClock clock = new ManualClock(Harness.T0);
    CountDownLatch aRuns = new CountDownLatch(1);
    CountDownLatch releaseA = new CountDownLatch(1);
    CountDownLatch othersStored = new CountDownLatch(3);
    TaskHandler work = ctx -> {
      if (ctx.nodeId().equals("a")) {
        aRuns.countDown();
        assertThat(releaseA.await(20, TimeUnit.SECONDS)).isTrue();
      }
      return null;
    };
    EngineListener running = new EngineListener() {
      @Override
      public void onTransition(StateTransition t) {
        if (t.to() == NodeState.RUNNING && !t.nodeId().equals("a")) {
          othersStored.countDown();
        }
      }
    };
    DagSpec spec = DagSpec.builder("ahead").node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").timeout(Duration.ofSeconds(10)))
        .node(NodeSpec.task("c", "t").timeout(Duration.ofSeconds(10)))
        .node(NodeSpec.task("d", "t").timeout(Duration.ofSeconds(10))).build();
    try (DagEngine e = builder(late).timeSource(clock).workersPerScope(1)
        .handler("t", work).listener(running).build()) {
      e.start();
      String run = e.submit(spec);
      assertThat(aRuns.await(20, TimeUnit.SECONDS)).isTrue();
      // b, c and d were started while a's start was written, and wait for the only worker
      assertThat(othersStored.await(20, TimeUnit.SECONDS)).isTrue();
      clock.advance(Duration.ofSeconds(30)); // past their timeouts, counted from their start
      releaseA.countDown();
      assertThat(e.await(run, Duration.ofSeconds(20)).state()).isEqualTo(RunState.COMPLETED);
      assertThat(base.runs().attempts(run)).hasSize(4)
          .allMatch(a -> a.outcome() == AttemptOutcome.COMPLETED);
    } finally {
      releaseA.countDown();
    }
  }
}
