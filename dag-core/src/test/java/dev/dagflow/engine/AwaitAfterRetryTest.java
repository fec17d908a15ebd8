package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.engine.GatedExecutor.Gate;
import dev.dagflow.engine.GatedExecutor.Then;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.HistoryEntry;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * On real workers, held at latches inside the executor: the await after a retry of a stopped run
 * waits for the re-opened run to end, whichever attempts the stop caught inside
 * {@code execute}. A node the stop caught that the retry does not re-open (one not downstream of
 * the retried node) stays STOPPED, so the re-opened run ends STOPPED again: a second ending, not
 * the first one returned again.
 */
class AwaitAfterRetryTest {

  private static List<AttemptOutcome> outcomes(RunView view, String nodeId) {
    return view.node(nodeId).orElseThrow().attempts().stream().map(AttemptRecord::outcome)
        .toList();
  }

  @Test
  void aStopLandingInsideExecuteOfTheRetriedNodeIsFollowedByTheReopenedRunsEnd()
      throws InterruptedException {
    GatedExecutor executor = new GatedExecutor(); // every attempt succeeds once past its gate
    Gate inside = executor.hold("test", 1);
    try (Harness h = new Harness(b -> b.executor("t", executor))) {
      String run = h.submit(ManualRetryTest.pipeline());
      inside.awaitArrival(); // attempt 1 is stored RUNNING, its worker inside execute
      h.awaitNode(run, "docs", NodeState.COMPLETED); // independent: ended before the stop
      h.engine.stop(run, "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.STOPPED);

      h.engine.retry(run, "test", "ops");
      inside.open(); // attempt 1 returns a success now: it was stopped, so it counts for nothing
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(outcomes(view, "test"))
          .containsExactly(AttemptOutcome.STOPPED, AttemptOutcome.COMPLETED);
      assertThat(outcomes(view, "deploy")).containsExactly(AttemptOutcome.COMPLETED);
      assertThat(outcomes(view, "docs")).containsExactly(AttemptOutcome.COMPLETED);
      assertThat(executor.cancelled()).containsExactly(run + ":test:1");
      assertThat(h.engine.history(run)).extracting(HistoryEntry::action)
          .containsExactly("run.stop", "node.retry");
    }
  }

  @Test
  void aNodeTheStopCaughtBesideTheRetriedOneStaysStoppedAndTheRunEndsStoppedAgain()
      throws InterruptedException {
    GatedExecutor executor = new GatedExecutor().on("test", 1, Then.HANG);
    Gate docsInside = executor.hold("docs", 1);
    List<RunState> ends = new CopyOnWriteArrayList<>();
    EngineListener endings = new EngineListener() {
      @Override
      public void onRunStateChange(RunStateChange change) {
        if (change.to().isTerminal()) {
          ends.add(change.to());
        }
      }
    };
    try (Harness h = new Harness(b -> b.executor("t", executor).listener(endings))) {
      String run = h.submit(ManualRetryTest.pipeline());
      docsInside.awaitArrival(); // docs is stored RUNNING, its worker inside execute
      h.awaitNode(run, "test", NodeState.RUNNING); // and test hangs
      h.engine.stop(run, "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.STOPPED);

      h.engine.retry(run, "test", "ops"); // re-opens test and deploy; docs is not downstream
      docsInside.open(); // docs returns a success now: it was stopped, so it counts for nothing
      RunView view = h.await(run);

      // the re-opened run's own end: test and deploy ran again, docs is still STOPPED
      assertThat(view.state()).isEqualTo(RunState.STOPPED);
      assertThat(outcomes(view, "test"))
          .containsExactly(AttemptOutcome.STOPPED, AttemptOutcome.COMPLETED);
      assertThat(outcomes(view, "deploy")).containsExactly(AttemptOutcome.COMPLETED);
      assertThat(view.node("docs").orElseThrow().state()).isEqualTo(NodeState.STOPPED);
      assertThat(outcomes(view, "docs")).containsExactly(AttemptOutcome.STOPPED);
      h.until("both ends told", () -> ends.size() == 2);
      assertThat(ends).containsExactly(RunState.STOPPED, RunState.STOPPED);

      h.engine.retry(run, "docs", "ops");
      RunView done = h.await(run);
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(outcomes(done, "docs"))
          .containsExactly(AttemptOutcome.STOPPED, AttemptOutcome.COMPLETED);
      assertThat(executor.cancelled()).containsExactlyInAnyOrder(run + ":test:1",
          run + ":docs:1");
    }
  }
}
