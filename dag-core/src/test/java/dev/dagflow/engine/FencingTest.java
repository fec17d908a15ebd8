package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * An engine held past its lease (its renewals fail, so it never learns it lost the run) has
 * its late writes refused: it drops the run and says why, and the run finishes on the instance
 * that claimed it, with no transition recorded twice.
 */
class FencingTest {
  private static final Duration LEASE = Duration.ofMillis(600);

  /** Runs node 'b' until the test completes it; every other node succeeds at once. */
  private static final class HeldB implements NodeExecutor {
    final CompletableFuture<NodeResult> b = new CompletableFuture<>();
    final CountDownLatch bStarted = new CountDownLatch(1);

    @Override
    public CompletionStage<NodeResult> execute(NodeContext context) {
      if (context.nodeId().equals("b")) {
        bStarted.countDown();
        return b;
      }
      return CompletableFuture.completedFuture(NodeResult.success());
    }
  }

  @Test
  void aFormerOwnersLateWriteIsRefusedAndTheRunFinishesOnTheNewOwner() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore aRuns = new FaultyRunStore(shared.runs());
    HeldB aWork = new HeldB();
    DagSpec spec = DagSpec.builder("fenced")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("c", "t").dependsOn("b"))
        .build();
    try (LogCapture logs = new LogCapture();
        DagEngine a = DagEngine.builder().instanceId("engine-a").leaseTime(LEASE)
            .stores(Stores.of(aRuns, shared.logs(), shared.policies(), shared.templates(),
                shared.triggers()))
            .executor("t", aWork).build()) {
      a.start();
      aRuns.failRenewals(); // engine-a works on, but its lease runs out
      String run = a.submit(spec);
      assertThat(aWork.bStarted.await(10, TimeUnit.SECONDS)).isTrue();

      try (DagEngine b = DagEngine.builder().instanceId("engine-b").leaseTime(LEASE)
          .stores(shared).handler("t", ctx -> null).build()) {
        b.start(); // claims the run once engine-a's lease has expired
        RunView done = b.await(run, Duration.ofSeconds(10));
        assertThat(done.state()).isEqualTo(RunState.COMPLETED);
        assertThat(shared.runs().lease(run)).as("an ended run is nobody's").isEmpty();

        aWork.b.complete(NodeResult.success()); // engine-a's late completion of attempt 1
        List<ILoggingEvent> dropped = awaitLog(logs, "its lease was taken over");
        assertThat(dropped).singleElement().satisfies(e -> {
          assertThat(e.getLevel()).isEqualTo(Level.WARN);
          assertThat(e.getFormattedMessage()).contains(run).contains("epoch 1, now 2")
              .contains("owned by nobody"); // engine-b's end of the run released the lease
          // engine-a could neither renew nor claim: engine-b's claim was the only one
        });

        List<StateTransition> trail = shared.runs().transitions(run);
        assertThat(trail).doesNotHaveDuplicates();
        assertThat(trail).filteredOn(t -> t.to() == NodeState.COMPLETED)
            .extracting(StateTransition::nodeId).containsExactly("a", "b", "c");
        assertThat(shared.runs().attempts(run)).filteredOn(x -> x.nodeId().equals("b"))
            .extracting(AttemptRecord::attempt, AttemptRecord::outcome)
            .containsExactly(tuple(1, AttemptOutcome.ABANDONED),
                tuple(2, AttemptOutcome.COMPLETED));
        assertThat(a.get(run).state()).as("reads work on any run").isEqualTo(RunState.COMPLETED);
      }
    }
  }

  @Test
  void anEngineWhoseOwnLeaseExpiredClaimsItBackAndGoesOnWithoutRunningAnythingAgain()
      throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore runs = new FaultyRunStore(shared.runs());
    HeldB work = new HeldB();
    DagSpec spec = DagSpec.builder("late-renewals")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .build();
    try (LogCapture logs = new LogCapture();
        DagEngine engine = DagEngine.builder().instanceId("engine-a").leaseTime(LEASE)
            .stores(Stores.of(runs, shared.logs(), shared.policies(), shared.templates(),
                shared.triggers()))
            .executor("t", work).build()) {
      engine.start();
      runs.failRenewalsOnly(); // its lease runs out; nobody else claims the run
      String run = engine.submit(spec);
      assertThat(work.bStarted.await(10, TimeUnit.SECONDS)).isTrue();

      awaitLog(logs, "claimed back at epoch 2");
      work.b.complete(NodeResult.success()); // written under epoch 2: accepted

      RunView done = engine.await(run, Duration.ofSeconds(10));
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("b").orElseThrow().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(AttemptOutcome.COMPLETED); // nothing abandoned, nothing run twice
      assertThat(logs.containing("dropped here")).isEmpty();
    }
  }

  /** The events logged so far that contain {@code text}, once there is one (10 s at most). */
  private static List<ILoggingEvent> awaitLog(LogCapture logs, String text) throws Exception {
    CountDownLatch seen = new CountDownLatch(1);
    logs.onMessage(text, seen::countDown);
    if (logs.containing(text).isEmpty()) {
      assertThat(seen.await(10, TimeUnit.SECONDS)).as("a log line containing '" + text + "'")
          .isTrue();
    }
    return logs.containing(text);
  }
}
