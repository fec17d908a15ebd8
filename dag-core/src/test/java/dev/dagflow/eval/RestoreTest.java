package dev.dagflow.eval;

import static dev.dagflow.state.NodeState.COMPLETED;
import static dev.dagflow.state.NodeState.FAILED;
import static dev.dagflow.state.NodeState.INITIALIZING;
import static dev.dagflow.state.NodeState.PENDING;
import static dev.dagflow.state.NodeState.READY;
import static dev.dagflow.state.NodeState.RUNNING;
import static dev.dagflow.state.NodeState.SKIPPED;
import static dev.dagflow.state.NodeState.STOPPED;
import static dev.dagflow.state.NodeState.TIMED_OUT;
import static dev.dagflow.state.NodeState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/** {@link RunEvaluation#restore}: taking up a run from stored states, and what it refuses. */
class RestoreTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final IntFunction<JsonNode> NO_RESULTS = v -> null;
  private static final IntFunction<Instant> NO_WAITS = v -> null;

  /** a → b; box ⊃ {c}; after depends on box; gate → kept (only if a's result says ok). */
  private static final DagSpec SPEC = DagSpec.builder("restore")
      .node(NodeSpec.task("a", "t"))
      .node(NodeSpec.task("b", "t").dependsOn("a"))
      .node(NodeSpec.container("box").taskType("setup"))
      .node(NodeSpec.task("c", "t").parent("box"))
      .node(NodeSpec.task("after", "t").dependsOn("box"))
      .node(NodeSpec.task("kept", "t")
          .dependsOn(Edge.of("a", EdgeType.SUCCESS, JSON.objectNode().put("result.ok", true))))
      .build();

  private final List<String> transitions = new ArrayList<>();
  private final RunEvaluation run = DependencyEvaluator.incremental().newRun(SPEC,
      JSON.objectNode(), RunDriver.T0,
      (node, from, to, trigger, reason) ->
          transitions.add(SPEC.nodes().get(node).id() + ":" + from + ">" + to));

  private NodeState state(String id) {
    return run.state(SPEC.indexOf(id));
  }

  @Test
  void everyNodePendingIsAStart() {
    RunDriver started = new RunDriver(SPEC);

    run.restore(List.of(PENDING, PENDING, PENDING, PENDING, PENDING, PENDING),
        NO_RESULTS, NO_WAITS, false);

    assertThat(transitions).isEqualTo(started.transitions);
  }

  @Test
  void aSettledRunIsTakenUpWithoutReportingItsStates() {
    run.restore(List.of(COMPLETED, RUNNING, RUNNING, READY, WAITING, COMPLETED),
        v -> JSON.objectNode().put("ok", true), NO_WAITS, false);

    assertThat(transitions).isEmpty();
    run.completed(SPEC.indexOf("b"), JSON.nullNode());
    run.dispatched(SPEC.indexOf("c"));
    run.completed(SPEC.indexOf("c"), JSON.nullNode());
    assertThat(transitions).containsExactly("b:RUNNING>COMPLETED", "c:READY>RUNNING",
        "c:RUNNING>COMPLETED", "box:RUNNING>COMPLETED", "after:WAITING>READY");
  }

  @Test
  void whatTheStoredStatesImplyIsReportedAndApplied() {
    // a completed with a result that fails kept's condition, but b and kept still wait; box
    // runs although c has ended.
    run.restore(List.of(COMPLETED, WAITING, RUNNING, COMPLETED, WAITING, WAITING),
        v -> JSON.objectNode().put("ok", false), NO_WAITS, false);

    assertThat(transitions).containsExactlyInAnyOrder("b:WAITING>READY", "kept:WAITING>SKIPPED",
        "box:RUNNING>COMPLETED", "after:WAITING>READY");
  }

  @Test
  void theChildrenOfAContainerWhoseSetUpFailedAreSkipped() {
    run.restore(List.of(FAILED, SKIPPED, FAILED, WAITING, WAITING, SKIPPED), NO_RESULTS,
        NO_WAITS, false);

    assertThat(transitions).containsExactly("c:WAITING>SKIPPED", "after:WAITING>SKIPPED");
    assertThat(run.outcome()).contains(RunState.FAILED);
  }

  @Test
  void aTaskWaitingForItsRetryWaitsOnlyForItsTime() {
    Instant at = RunDriver.T0.plusSeconds(30);
    run.restore(List.of(WAITING, WAITING, WAITING, WAITING, WAITING, WAITING), NO_RESULTS,
        v -> v == 0 ? at : null, false);

    assertThat(transitions).containsExactly("box:WAITING>READY");
    assertThat(run.nextWakeUp()).contains(at);
    run.advanceTo(at);
    assertThat(state("a")).isEqualTo(READY);
  }

  @Test
  void aStoppedRunStaysStoppedUntilANodeIsRetried() {
    run.restore(List.of(STOPPED, STOPPED, STOPPED, STOPPED, STOPPED, STOPPED), NO_RESULTS,
        NO_WAITS, true);
    assertThat(run.outcome()).contains(RunState.STOPPED);

    run.reopen(SPEC.indexOf("a"), "retry");

    assertThat(run.outcome()).isEmpty();
    assertThat(state("a")).isEqualTo(READY);
    assertThat(state("b")).isEqualTo(WAITING);
  }

  @Test
  void theInputIsChecked() {
    assertThatThrownBy(() -> run.restore(List.of(WAITING), NO_RESULTS, NO_WAITS, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("states has 1 entries; the spec has 6 nodes");
    assertThatThrownBy(() -> run.restore(
        Arrays.asList(WAITING, null, WAITING, WAITING, WAITING, WAITING), NO_RESULTS, NO_WAITS,
        false))
        .isInstanceOf(IllegalArgumentException.class).hasMessage("no state for node 'b'");
    assertRefused(List.of(INITIALIZING, WAITING, WAITING, WAITING, WAITING, WAITING), false,
        "task 'a' cannot be INITIALIZING");
    assertRefused(List.of(WAITING, WAITING, TIMED_OUT, SKIPPED, WAITING, WAITING), false,
        "container 'box' cannot be TIMED_OUT");
    assertRefused(List.of(RUNNING, PENDING, PENDING, PENDING, PENDING, PENDING), false,
        "node 'a' is RUNNING while others are PENDING");
    assertRefused(List.of(COMPLETED, WAITING, SKIPPED, SKIPPED, SKIPPED, SKIPPED), true,
        "the run was stopped, yet node 'b' is WAITING");
    assertRefused(List.of(WAITING, WAITING, INITIALIZING, READY, WAITING, WAITING), false,
        "node 'c' is READY, yet its container 'box' is INITIALIZING");
    assertRefused(List.of(WAITING, WAITING, COMPLETED, WAITING, WAITING, WAITING), false,
        "node 'c' is WAITING inside container 'box', which is COMPLETED");
    assertThatThrownBy(() -> run.restore(null, NO_RESULTS, NO_WAITS, false))
        .isInstanceOf(NullPointerException.class);

    assertThat(transitions).as("a refused restore changes nothing").isEmpty();
    run.start();
    assertThat(state("a")).isEqualTo(READY);
  }

  @Test
  void aRunIsRestoredOnceAndNeverAfterItStarted() {
    List<NodeState> waiting = List.of(WAITING, WAITING, WAITING, WAITING, WAITING, WAITING);
    run.restore(waiting, NO_RESULTS, NO_WAITS, false);
    assertThatThrownBy(() -> run.restore(waiting, NO_RESULTS, NO_WAITS, false))
        .isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(run::start).isInstanceOf(IllegalStateException.class);

    RunDriver started = new RunDriver(SPEC);
    assertThatThrownBy(() -> started.run.restore(waiting, NO_RESULTS, NO_WAITS, false))
        .isInstanceOf(IllegalStateException.class);
  }

  private void assertRefused(List<NodeState> states, boolean runStopped, String message) {
    assertThatThrownBy(() -> run.restore(states, NO_RESULTS, NO_WAITS, runStopped))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }
}
