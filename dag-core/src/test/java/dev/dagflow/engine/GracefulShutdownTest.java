package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.trigger.Event;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * With a grace period, {@code close()} lets the attempts running then end and stores their ends,
 * but starts nothing more (what became ready is left READY for the next engine) and refuses new
 * work; an attempt that outlasts the period is interrupted as without one.
 */
class GracefulShutdownTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String CLOSING = "close(): no node starts any more";

  /** a and c are ready at once, b follows a; one worker, so c waits while a runs. */
  private static final DagSpec SPEC = DagSpec.builder("graceful")
      .node(NodeSpec.task("a", "t"))
      .node(NodeSpec.task("c", "t"))
      .node(NodeSpec.task("b", "t").dependsOn("a"))
      .build();

  private static void await(CountDownLatch latch, String what) throws InterruptedException {
    assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as(what).isTrue();
  }

  private static Map<String, NodeState> states(Stores stores, String run) {
    return stores.runs().nodes(run).stream()
        .collect(Collectors.toMap(NodeRecord::nodeId, NodeRecord::state));
  }

  @Test
  void anAttemptEndingInTheGracePeriodIsStoredAndItsDependentIsLeftToTheNextEngine()
      throws Exception {
    Stores stores = Stores.inMemory();
    ManualClock clock = new ManualClock(Harness.T0);
    CountDownLatch aRuns = new CountDownLatch(1);
    CountDownLatch aMayEnd = new CountDownLatch(1);
    List<String> executed = new CopyOnWriteArrayList<>();
    Duration grace = Duration.ofSeconds(30); // never reached: close() goes on once a has ended
    DagEngine first = DagEngine.builder().stores(stores).timeSource(clock).workersPerScope(1)
        .shutdownGracePeriod(grace).handler("t", ctx -> {
          executed.add(ctx.nodeId());
          if (ctx.nodeId().equals("a")) {
            aRuns.countDown();
            aMayEnd.await();
          }
          return TextNode.valueOf(ctx.nodeId());
        }).build();
    CountDownLatch closing = new CountDownLatch(1);
    try (LogCapture logs = new LogCapture().onMessage(CLOSING, closing::countDown)) {
      first.start();
      String run = first.submit(SPEC);
      await(aRuns, "a runs");

      long t0 = System.nanoTime();
      CompletableFuture<Void> closed = CompletableFuture.runAsync(first::close);
      await(closing, "close() waits in its grace period");
      assertThatThrownBy(() -> first.submit(SPEC)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("engine is closed");
      assertThatThrownBy(() -> first.emit(Event.builder("x").build()))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> first.stop(run, "ops")).isInstanceOf(IllegalStateException.class);
      aMayEnd.countDown();
      closed.get(WAIT.toSeconds(), TimeUnit.SECONDS);

      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(grace);
      assertThat(logs.containing("close() gave up")).isEmpty();
      assertThat(executed).containsExactly("a");
      assertThat(states(stores, run)).containsEntry("a", NodeState.COMPLETED)
          .containsEntry("b", NodeState.READY).containsEntry("c", NodeState.READY);
      assertThat(stores.runs().attempts(run)).extracting(AttemptRecord::nodeId)
          .containsExactly("a");

      DagEngine second = DagEngine.builder().stores(stores).timeSource(clock)
          .handler("t", ctx -> {
            executed.add(ctx.nodeId());
            return TextNode.valueOf(ctx.nodeId());
          }).build();
      try (second) {
        second.start();
        assertThat(second.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
      }
      assertThat(executed).containsExactlyInAnyOrder("a", "b", "c");
    }
  }

  @Test
  void anAttemptOutlastingTheGracePeriodIsInterruptedAndNamed() throws Exception {
    Stores stores = Stores.inMemory();
    CountDownLatch runs = new CountDownLatch(1);
    CountDownLatch interrupted = new CountDownLatch(1);
    Duration grace = Duration.ofMillis(200);
    DagEngine engine = DagEngine.builder().stores(stores).timeSource(new ManualClock(Harness.T0))
        .shutdownGracePeriod(grace).handler("t", ctx -> {
          runs.countDown();
          try {
            new CountDownLatch(1).await(); // until interrupted
          } catch (InterruptedException e) {
            interrupted.countDown();
            throw e;
          }
          return null;
        }).build();
    try (LogCapture logs = new LogCapture()) {
      engine.start();
      String run = engine.submit(DagSpec.builder("d").node(NodeSpec.task("a", "t")).build());
      await(runs, "a runs");

      long t0 = System.nanoTime();
      engine.close();

      assertThat(Duration.ofNanos(System.nanoTime() - t0)).isGreaterThanOrEqualTo(grace);
      await(interrupted, "the worker is interrupted once the grace period is over");
      assertThat(logs.containing("close() gave up after PT0.2S + PT5S and abandoned: attempts ["
          + run + ":a:1], still running when the grace period ended")).hasSize(1);
      // its end came too late to be stored: the next engine finds it running
      assertThat(states(stores, run)).containsEntry("a", NodeState.RUNNING);
    }
  }

  @Test
  void theGracePeriodIsCheckedAndNamed() {
    DagEngine.Builder b = DagEngine.builder();
    assertThatThrownBy(() -> b.shutdownGracePeriod(Duration.ofMillis(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("shutdownGracePeriod must be between zero and an hour, got PT-0.001S");
    assertThatThrownBy(() -> b.shutdownGracePeriod(Duration.ofHours(1).plusNanos(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("shutdownGracePeriod");
    assertThatThrownBy(() -> b.shutdownGracePeriod(null))
        .isInstanceOf(NullPointerException.class).hasMessage("shutdownGracePeriod");
    b.shutdownGracePeriod(Duration.ofHours(1)); // the bound itself is allowed
  }
}
