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
 * Retrying a failed or stopped node re-opens the run and completes it. The stop-while-hanging
 * cases run twice: on the test's thread, where every node but the hanging one has ended before
 * the stop, and on real workers, where the test first waits for {@code docs} to complete. A retry
 * re-opens only the node and what was stopped or skipped downstream of it, so a {@code docs} the
 * stop caught (queued or inside {@code execute}) would stay STOPPED and the re-opened run would
 * end STOPPED again, rightly ({@link AwaitAfterRetryTest} holds both cases at latches).
 */
class ManualRetryTest {

  static DagSpec pipeline() {
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
    try (Harness h = Harness.onCallingThread("t")) {
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
  void retryAfterAStopRunsTheStoppedNodesAgainOnWorkers() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("test", Outcome.hang(), Outcome.succeed());
      String run = h.submit(pipeline());
      h.awaitCalls("test", 1);
      h.awaitNode(run, "docs", NodeState.COMPLETED); // not re-opened by the retry: see above
      h.engine.stop(run, "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.STOPPED);

      h.engine.retry(run, "test", "ops");
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("test").orElseThrow().attempts()).extracting(AttemptRecord::attempt)
          .containsExactly(1, 2);
      assertThat(h.executor.cancelled()).containsExactly(run + ":test:1");
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
    try (Harness h = Harness.onCallingThread("t")) {
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

  @Test
  void aRunStoppedWhilePausedRunsAgainWhenRetriedOnWorkers() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("test", Outcome.hang(), Outcome.succeed());
      String run = h.submit(pipeline());
      h.awaitCalls("test", 1);
      h.awaitNode(run, "docs", NodeState.COMPLETED); // not re-opened by the retry: see above
      h.engine.pause(run, "ops");
      h.engine.stop(run, "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.STOPPED);
      h.engine.retry(run, "test", "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
    }
  }
}
