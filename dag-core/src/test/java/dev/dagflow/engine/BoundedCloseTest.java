package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code close()} returns within its bound whatever host code does, and says in one WARN line
 * what it abandoned: a handler that never returns, a cancel that blocks, a listener that blocks,
 * a time source that blocks under a run's lock.
 */
class BoundedCloseTest {
  private static final Duration BOUND = Duration.ofMillis(300);
  /** Far above the bound, for a slow machine; far below "never". */
  private static final Duration SLACK = Duration.ofSeconds(5);

  /** Waits for {@code latch} as stubborn host code does: an interrupt does not stop it. */
  private static void ignoringInterrupts(CountDownLatch latch) {
    while (true) {
      try {
        if (latch.await(1, TimeUnit.MINUTES)) {
          return;
        }
      } catch (InterruptedException ignored) {
        // stubborn on purpose
      }
    }
  }

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertThat(latch.await(10, TimeUnit.SECONDS)).as(what).isTrue();
  }

  private static DagSpec one(String taskType) {
    return DagSpec.builder("d").node(NodeSpec.task("a", taskType)).build();
  }

  /** Closes {@code engine}, checks it took the bound but not much more, returns the log. */
  private static String closeWithinBound(DagEngine engine, CapturedStderr stderr) {
    long t0 = System.nanoTime();
    engine.close();
    Duration took = Duration.ofNanos(System.nanoTime() - t0);
    assertThat(took).isGreaterThanOrEqualTo(BOUND).isLessThan(BOUND.plus(SLACK));
    String log = stderr.text();
    assertThat(log).containsOnlyOnce("close() gave up after PT0.3S and abandoned");
    return log;
  }

  @Test
  void aHandlerThatNeverReturnsIsAbandoned() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    DagEngine engine = DagEngine.builder().shutdownTimeout(BOUND).handler("stuck", ctx -> {
      entered.countDown();
      ignoringInterrupts(release);
      return null;
    }).build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine.start();
      engine.submit(one("stuck"));
      await(entered, "the handler runs");

      String log = closeWithinBound(engine, stderr);

      // the worker that began the node may have gone on before its start was stored
      assertThat(log).containsPattern("pool worker-global with threads "
          + "\\[dagflow-worker-global-\\d+\\] still busy in host code");
    } finally {
      release.countDown();
    }
  }

  @Test
  void aCancelThatBlocksTheTimerIsAbandoned() throws Exception {
    CountDownLatch cancelling = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    NodeExecutor neverEnds = new NodeExecutor() {
      @Override
      public CompletionStage<NodeResult> execute(NodeContext context) {
        return new CompletableFuture<>();
      }

      @Override
      public void cancel(NodeContext context) {
        cancelling.countDown();
        ignoringInterrupts(release);
      }
    };
    DagEngine engine = DagEngine.builder().shutdownTimeout(BOUND).executor("t", neverEnds)
        .build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine.start();
      String run = engine.submit(DagSpec.builder("d")
          .node(NodeSpec.task("a", "t").timeout(Duration.ofMillis(20))).build());
      await(cancelling, "the timeout cancels the attempt");
      assertThat(engine.get(run).node("a").orElseThrow().state()).isEqualTo(NodeState.TIMED_OUT);

      String log = closeWithinBound(engine, stderr);

      assertThat(log).contains("the timer thread dagflow-timer, still busy in a task");
    } finally {
      release.countDown();
    }
  }

  @Test
  void closeCalledFromATimerTaskDoesNotWaitForItself() throws Exception {
    NodeExecutor neverEnds = context -> new CompletableFuture<>();
    CompletableFuture<Duration> closed = new CompletableFuture<>();
    DagEngine[] engine = new DagEngine[1];
    engine[0] = DagEngine.builder().shutdownTimeout(Duration.ofSeconds(20))
        .executor("t", neverEnds).listener(new EngineListener() {
          @Override
          public void onTransition(StateTransition t) {
            if (t.to() == NodeState.TIMED_OUT) { // told on the timer thread that timed it out
              long t0 = System.nanoTime();
              engine[0].close();
              closed.complete(Duration.ofNanos(System.nanoTime() - t0));
            }
          }
        }).build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine[0].start();
      engine[0].submit(DagSpec.builder("d")
          .node(NodeSpec.task("a", "t").timeout(Duration.ofMillis(20))).build());

      Duration took = closed.get(SLACK.toMillis(), TimeUnit.MILLISECONDS);

      assertThat(took).isLessThan(Duration.ofSeconds(10));
      assertThat(stderr.text()).doesNotContain("gave up");
    } finally {
      engine[0].close();
    }
  }

  @Test
  void aListenerThatBlocksIsAbandoned() throws Exception {
    CountDownLatch told = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch go = new CountDownLatch(1);
    EngineListener stubborn = new EngineListener() {
      @Override
      public void onTransition(StateTransition t) {
        if (t.to() == NodeState.COMPLETED) {
          told.countDown();
          ignoringInterrupts(release);
        }
      }
    };
    DagEngine engine = DagEngine.builder().shutdownTimeout(BOUND).listener(stubborn)
        .handler("t", ctx -> {
          go.await(); // until submit has returned: the worker then tells the listener itself
          return null;
        }).build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine.start();
      engine.submit(one("t"));
      go.countDown();
      await(told, "the listener hears of the end, on the worker");

      String log = closeWithinBound(engine, stderr);

      assertThat(log).contains("pool worker-global with threads [dagflow-worker-global-");
    } finally {
      release.countDown();
    }
  }

  /** A manual clock whose {@code schedule} blocks once armed: host code under a run's lock. */
  static final class StuckClock implements TimeSource {
    final ManualClock clock = new ManualClock(Instant.parse("2026-11-23T10:00:00Z"));
    final CountDownLatch scheduling = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public Instant now() {
      return clock.now();
    }

    @Override
    public Cancellable schedule(Instant at, Runnable task) {
      scheduling.countDown();
      ignoringInterrupts(release);
      return clock.schedule(at, task);
    }
  }

  @Test
  void aStepStuckUnderARunsLockIsAbandonedAndItsAwaitFails() throws Exception {
    StuckClock time = new StuckClock();
    DagEngine engine = DagEngine.builder().shutdownTimeout(BOUND).timeSource(time)
        .poolIdleTimeout(Duration.ZERO).handler("t", ctx -> null).build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine.start();
      String run = engine.submit(DagSpec.builder("d")
          .node(NodeSpec.task("a", "t").timeout(Duration.ofMinutes(1))).build());
      await(time.scheduling, "the attempt's timeout is being set, under the run's lock");

      String log = closeWithinBound(engine, stderr);

      assertThat(log).contains("runs [" + run + "], whose step under way did not end")
          .contains("pool worker-global with threads [dagflow-worker-global-1]");
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> engine.await(run, SLACK)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ended abnormally");
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SLACK);
    } finally {
      time.release.countDown();
    }
  }

  @Test
  void aStepAbandonedByCloseWritesNothingWhenItEnds() throws Exception {
    StuckClock time = new StuckClock();
    Stores stores = Stores.inMemory();
    DagEngine engine = DagEngine.builder().shutdownTimeout(BOUND).timeSource(time)
        .stores(stores).poolIdleTimeout(Duration.ZERO).handler("t", ctx -> null).build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine.start();
      String run = engine.submit(DagSpec.builder("d")
          .node(NodeSpec.task("a", "t").timeout(Duration.ofMinutes(1))).build());
      await(time.scheduling, "the attempt's timeout is being set, under the run's lock");
      closeWithinBound(engine, stderr);
      List<StateTransition> atClose = stores.runs().transitions(run);
      List<NodeRecord> nodesAtClose = stores.runs().nodes(run);
      Thread stuck = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.getName().equals("dagflow-worker-global-1")).findFirst().orElseThrow();

      time.release.countDown();
      stuck.join(SLACK.toMillis());

      assertThat(stuck.isAlive()).as("the stuck step ended").isFalse();
      assertThat(stores.runs().transitions(run)).isEqualTo(atClose);
      assertThat(stores.runs().nodes(run)).isEqualTo(nodesAtClose);
    } finally {
      time.release.countDown();
    }
  }

  @Test
  void withNothingBusyCloseReturnsAtOnceAndSaysNothing() throws Exception {
    DagEngine engine = DagEngine.builder().shutdownTimeout(Duration.ofSeconds(30))
        .handler("t", ctx -> null).build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine.start();
      engine.await(engine.submit(one("t")), SLACK);
      long t0 = System.nanoTime();
      engine.close();
      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(SLACK);
      assertThat(stderr.text()).doesNotContain("gave up");
    }
  }

  @Test
  void theBoundIsChecked() {
    assertThatThrownBy(() -> DagEngine.builder().shutdownTimeout(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("shutdownTimeout");
    assertThatThrownBy(() -> DagEngine.builder().shutdownTimeout(Duration.ofHours(2)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("an hour");
  }
}
