package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.testing.Outcome;
import org.junit.jupiter.api.Test;

/**
 * Retrying a failed or stopped node re-opens the run and completes it. The tests that stop a
 * run while an attempt hangs run on the test's thread: on real workers, a stop that lands while
 * the worker is still inside {@code execute} sometimes made the await after the retry return the
 * earlier STOPPED ending (seen under load once waits stopped polling).
 */
class ManualRetryTest {

  private static DagSpec pipeline() {
    return DagSpec.builder("retry")
        .node(NodeSpec.task("build", "t"))
        .node(NodeSpec.task("test", "t").dependsOn("build"))
        .node(NodeSpec.task("deploy", "t").dependsOn("test"))
        .node(NodeSpec.task("docs", "t"))
        .build();
  }

  @Test
  void retryOfAFailedNodeReopensTheRunAndCompletesIt() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("test", Outcome.fail("E_FLAKY", "flaky test"), Outcome.succeed());
      String run = h.submit(pipeline());
      RunView failed = h.await(run);
      assertThat(failed.state()).isEqualTo(RunState.FAILED);
      assertThat(failed.node("deploy").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);

      h.engine.retry(run, "test", "oncall");
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("test").orElseThrow().attempts()).extracting(AttemptRecord::attempt)
          .containsExactly(1, 2);
      assertThat(view.node("test").orElseThrow().errorCode()).isEmpty();
      assertThat(view.node("deploy").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
      assertThat(h.executor.calls("build")).hasSize(1);
      assertThat(h.executor.calls("docs")).hasSize(1);
      assertThat(h.engine.history(run)).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo("node.retry");
        assertThat(e.nodeId()).contains("test");
        assertThat(e.operator()).isEqualTo("oncall");
        assertThat(e.oldValue().get("test").asText()).isEqualTo("FAILED");
        assertThat(e.oldValue().get("deploy").asText()).isEqualTo("SKIPPED");
      });
    }
  }

  @Test
  void retryAfterAStopRunsTheStoppedNodesAgain() {
    try (Harness h = Harness.onCallingThread("t")) { // deterministic: see above
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("test", Outcome.hang(), Outcome.succeed());
      String run = h.submit(pipeline());
      h.workers.runPending();
      assertThat(h.executor.calls("test")).hasSize(1);
      h.engine.stop(run, "ops");
      assertThat(h.runToEnd(run).state()).isEqualTo(RunState.STOPPED);

      h.engine.retry(run, "test", "ops");
      RunView view = h.runToEnd(run);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.history(run)).extracting(HistoryEntry::action)
          .containsExactly("run.stop", "node.retry");
    }
  }

  @Test
  void onlyFailedTimedOutOrStoppedNodesCanBeRetried() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      String run = h.submit(pipeline());
      h.await(run);
      assertThatThrownBy(() -> h.engine.retry(run, "build", "ops"))
          .isInstanceOf(NodeOperationException.class).hasMessageContaining("'build'")
          .hasMessageContaining("COMPLETED");
      assertThat(h.engine.get(run).state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.history(run)).isEmpty();
    }
  }

  @Test
  void aRunStoppedWhilePausedRunsAgainWhenRetried() {
    try (Harness h = Harness.onCallingThread("t")) { // deterministic: see above
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("test", Outcome.hang(), Outcome.succeed());
      String run = h.submit(pipeline());
      h.workers.runPending();
      assertThat(h.executor.calls("test")).hasSize(1);
      h.engine.pause(run, "ops");
      h.engine.stop(run, "ops");
      assertThat(h.runToEnd(run).state()).isEqualTo(RunState.STOPPED);
      h.engine.retry(run, "test", "ops");
      assertThat(h.runToEnd(run).state()).isEqualTo(RunState.COMPLETED);
    }
  }
}
