package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A container with a task type runs its set-up through its executor before its children. */
class ContainerSetupTest {

  private static DagSpec range() {
    return DagSpec.builder("range")
        .node(NodeSpec.container("range").taskType("env"))
        .node(NodeSpec.task("red", "agent").parent("range"))
        .node(NodeSpec.task("blue", "agent").parent("range").dependsOn("red"))
        .node(NodeSpec.task("report", "agent").dependsOn("range"))
        .build();
  }

  @Test
  void childrenStartOnlyOnceTheSetUpHasSucceeded() {
    try (Harness h = new Harness("env", "agent")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("range", Outcome.succeed().after(Duration.ofSeconds(20)));
      String run = h.submit(range());
      h.awaitCalls("range", 1); // recorded once its completion's timer is set
      h.awaitNode(run, "range", NodeState.INITIALIZING);
      assertThat(h.executor.calls("red")).isEmpty();
      assertThat(h.engine.get(run).node("range").orElseThrow().children())
          .contains(new ContainerCounts(2, 0, 0, 0));
      h.clock.advance(Duration.ofSeconds(20));
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.executor.calls()).extracting(c -> c.nodeId())
          .containsExactly("range", "red", "blue", "report");
      assertThat(h.engine.transitions(run)).filteredOn(t -> t.nodeId().equals("range"))
          .extracting(StateTransition::to).containsExactly(NodeState.WAITING, NodeState.READY,
              NodeState.INITIALIZING, NodeState.RUNNING, NodeState.COMPLETED);
      assertThat(view.node("red").orElseThrow().startedAt())
          .contains(Harness.T0.plusSeconds(20));
    }
  }

  @Test
  void aFailedSetUpFailsTheContainerAndSkipsItsChildren() {
    try (Harness h = new Harness("env", "agent")) {
      h.executor.script("range", Outcome.fail("E_VM", "no capacity"));
      String run = h.submit(range());
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.FAILED);
      assertThat(view.nodeStates()).containsEntry("range", NodeState.FAILED)
          .containsEntry("red", NodeState.SKIPPED).containsEntry("blue", NodeState.SKIPPED)
          .containsEntry("report", NodeState.SKIPPED);
      NodeView range = view.node("range").orElseThrow();
      assertThat(range.errorCode()).contains("E_VM");
      assertThat(range.attempts()).hasSize(1);
      assertThat(h.executor.calls()).extracting(c -> c.nodeId())
          .containsExactly("range");
    }
  }
}
