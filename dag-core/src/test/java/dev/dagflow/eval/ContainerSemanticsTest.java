package dev.dagflow.eval;

import static dev.dagflow.state.NodeState.COMPLETED;
import static dev.dagflow.state.NodeState.FAILED;
import static dev.dagflow.state.NodeState.INITIALIZING;
import static dev.dagflow.state.NodeState.READY;
import static dev.dagflow.state.NodeState.RUNNING;
import static dev.dagflow.state.NodeState.SKIPPED;
import static dev.dagflow.state.NodeState.STOPPED;
import static dev.dagflow.state.NodeState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import org.junit.jupiter.api.Test;

class ContainerSemanticsTest {

  /** outer ⊃ middle ⊃ inner ⊃ {t1 → t2}; after depends on outer; cleanup on outer (finish). */
  static RunDriver nested() {
    return new RunDriver(DagSpec.builder("nested")
        .node(NodeSpec.container("outer").taskType("provision"))
        .node(NodeSpec.container("middle").parent("outer"))
        .node(NodeSpec.container("inner").parent("middle"))
        .node(NodeSpec.task("t1", "t").parent("inner"))
        .node(NodeSpec.task("t2", "t").parent("inner").dependsOn("t1"))
        .node(NodeSpec.task("sibling", "t").parent("middle"))
        .node(NodeSpec.task("after", "t").dependsOn("outer"))
        .node(NodeSpec.task("cleanup", "t").dependsOn(Edge.of("outer", EdgeType.FINISH)))
        .build());
  }

  @Test
  void threeLevelsStartTopDownAndCompleteBottomUp() {
    RunDriver run = nested();
    assertThat(run.state("outer")).isEqualTo(READY);
    assertThat(run.state("t1")).as("waits for its container").isEqualTo(WAITING);

    run.dispatch("outer");
    assertThat(run.state("outer")).as("has a task type: sets up first").isEqualTo(INITIALIZING);
    assertThat(run.state("middle")).isEqualTo(WAITING);
    run.run.containerReady(run.index("outer"));
    assertThat(run.state("middle")).isEqualTo(READY);
    run.dispatch("middle");
    assertThat(run.state("middle")).as("no task type: running at once").isEqualTo(RUNNING);
    run.dispatch("inner");
    assertThat(run.state("t1")).isEqualTo(READY);
    assertThat(run.state("t2")).isEqualTo(WAITING);

    run.succeed("t1", "t2");
    assertThat(run.state("inner")).isEqualTo(COMPLETED);
    assertThat(run.state("middle")).as("sibling still open").isEqualTo(RUNNING);
    run.succeed("sibling");
    assertThat(run.states()).containsEntry("middle", COMPLETED).containsEntry("outer", COMPLETED)
        .containsEntry("after", READY).containsEntry("cleanup", READY);
    assertThat(run.transitions).containsSubsequence(
        "inner:RUNNING>COMPLETED", "middle:RUNNING>COMPLETED", "outer:RUNNING>COMPLETED");
  }

  @Test
  void aChildFailureFailsEveryContainerAboveAndSkipsTheirSuccessDependents() {
    RunDriver run = nested().dispatch("outer");
    run.run.containerReady(run.index("outer"));
    run.dispatch("middle", "inner").succeed("sibling").fail("t1");

    assertThat(run.states())
        .containsEntry("t2", SKIPPED)
        .containsEntry("inner", FAILED)
        .containsEntry("middle", FAILED)
        .containsEntry("outer", FAILED)
        .containsEntry("after", SKIPPED)
        .containsEntry("cleanup", READY);
    run.succeed("cleanup");
    assertThat(run.outcome()).contains(RunState.FAILED);
  }

  @Test
  void stoppingAContainerStopsItsSubtree() {
    RunDriver run = nested().dispatch("outer");
    run.run.containerReady(run.index("outer"));
    run.dispatch("middle", "inner", "t1");

    run.stop("middle");

    assertThat(run.states())
        .containsEntry("middle", STOPPED).containsEntry("inner", STOPPED)
        .containsEntry("t1", STOPPED).containsEntry("t2", STOPPED)
        .containsEntry("sibling", STOPPED)
        .containsEntry("outer", COMPLETED)
        .containsEntry("after", READY);
  }

  @Test
  void aSkippedContainerSkipsItsSubtree() {
    RunDriver run = new RunDriver(DagSpec.builder("skip")
        .node(NodeSpec.task("gate", "t"))
        .node(NodeSpec.container("box").dependsOn("gate"))
        .node(NodeSpec.container("inner").parent("box"))
        .node(NodeSpec.task("deep", "t").parent("inner"))
        .node(NodeSpec.task("shallow", "t").parent("box"))
        .node(NodeSpec.task("outside", "t").dependsOn("shallow"))
        .build());

    run.fail("gate");

    assertThat(run.states()).containsEntry("box", SKIPPED).containsEntry("inner", SKIPPED)
        .containsEntry("deep", SKIPPED).containsEntry("shallow", SKIPPED)
        .containsEntry("outside", SKIPPED);
    assertThat(run.outcome()).contains(RunState.FAILED);
  }

  @Test
  void aContainerWhoseSetUpFailsSkipsItsChildren() {
    RunDriver run = nested().dispatch("outer").fail("outer");

    assertThat(run.states()).containsEntry("outer", FAILED).containsEntry("middle", SKIPPED)
        .containsEntry("t1", SKIPPED).containsEntry("after", SKIPPED)
        .containsEntry("cleanup", READY);
  }

  @Test
  void anEdgeFromOutsideIntoAChildWaitsForBoth() {
    RunDriver run = new RunDriver(DagSpec.builder("into")
        .node(NodeSpec.task("outside", "t"))
        .node(NodeSpec.container("box"))
        .node(NodeSpec.task("child", "t").parent("box").dependsOn("outside"))
        .node(NodeSpec.task("after", "t").dependsOn("box"))
        .build());

    run.dispatch("box");
    assertThat(run.state("child")).as("container running, edge open").isEqualTo(WAITING);
    assertThat(run.run.explain(run.index("child")).closedGates())
        .extracting(Gate::kind).containsExactly(Gate.Kind.EDGE);
    run.succeed("outside");
    assertThat(run.state("child")).isEqualTo(READY);
    run.succeed("child");
    assertThat(run.state("box")).isEqualTo(COMPLETED);
    assertThat(run.state("after")).isEqualTo(READY);
  }

  @Test
  void anEmptyContainerCompletesAsSoonAsItRuns() {
    RunDriver run = new RunDriver(DagSpec.builder("empty")
        .node(NodeSpec.container("box"))
        .node(NodeSpec.task("after", "t").dependsOn("box"))
        .build());

    run.dispatch("box");

    assertThat(run.state("box")).isEqualTo(COMPLETED);
    assertThat(run.state("after")).isEqualTo(READY);
  }

  @Test
  void aFailedSubtreeFailsWhatRunsInsideAndStopsOrSkipsTheRest() {
    RunDriver run = nested().dispatch("outer");
    run.run.containerReady(run.index("outer"));
    run.dispatch("middle", "inner", "t1"); // t1 RUNNING, t2 WAITING, sibling READY
    run.run.subtreeEnded(run.index("outer"), true, "E_REMOTE: gone");

    assertThat(run.states())
        .containsEntry("t1", FAILED)
        .containsEntry("t2", SKIPPED)
        .containsEntry("sibling", STOPPED)
        .containsEntry("inner", FAILED)
        .containsEntry("middle", FAILED)
        .containsEntry("outer", FAILED)
        .containsEntry("after", SKIPPED)
        .containsEntry("cleanup", READY);
    assertThat(run.transitions).contains("outer:RUNNING>FAILED", "t1:RUNNING>FAILED");
  }

  @Test
  void aSubtreeEndedWithoutFailureLeavesTheContainerToItsChildren() {
    RunDriver run = nested().dispatch("outer");
    run.run.containerReady(run.index("outer"));
    run.dispatch("middle", "inner").succeed("t1", "t2"); // inner COMPLETED; sibling READY
    run.run.subtreeEnded(run.index("outer"), false, "never reported");

    assertThat(run.states())
        .containsEntry("sibling", STOPPED)
        .containsEntry("middle", COMPLETED)
        .containsEntry("outer", COMPLETED)
        .containsEntry("after", READY);
  }

  @Test
  void onlyARunningContainerEndsItsSubtree() {
    RunDriver run = nested();
    assertThatThrownBy(() -> run.run.subtreeEnded(run.index("outer"), true, "x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'outer' is not a running container: it is READY");
    assertThatThrownBy(() -> run.run.subtreeEnded(run.index("after"), true, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(run.state("outer")).isEqualTo(READY);
  }
}
