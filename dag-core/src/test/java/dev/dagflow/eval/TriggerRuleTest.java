package dev.dagflow.eval;

import static dev.dagflow.state.NodeState.READY;
import static dev.dagflow.state.NodeState.SKIPPED;
import static dev.dagflow.state.NodeState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.Join;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import org.junit.jupiter.api.Test;

/**
 * The trigger rules of other schedulers, as joins and edge types (DESIGN.md "Dependency
 * semantics"), each with how skips cascade after it. Every spec: a, b → c → (d on success, e on
 * finish).
 */
class TriggerRuleTest {

  private static RunDriver rule(Join join, EdgeType type) {
    return new RunDriver(DagSpec.builder("rule")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t"))
        .node(NodeSpec.task("c", "t").join(join).dependsOn("a", type).dependsOn("b", type))
        .node(NodeSpec.task("d", "t").dependsOn("c"))
        .node(NodeSpec.task("e", "t").dependsOn(Edge.of("c", EdgeType.FINISH)))
        .build());
  }

  @Test
  void allSuccess() {
    RunDriver ok = rule(Join.ALL, EdgeType.SUCCESS).succeed("a");
    assertThat(ok.state("c")).isEqualTo(WAITING);
    ok.succeed("b");
    assertThat(ok.state("c")).isEqualTo(READY);

    RunDriver skip = rule(Join.ALL, EdgeType.SUCCESS).fail("a");
    assertThat(skip.state("c")).isEqualTo(SKIPPED);
    assertThat(skip.state("d")).as("success dependent of a skipped node").isEqualTo(SKIPPED);
    assertThat(skip.state("e")).as("finish dependent of a skipped node").isEqualTo(READY);
    assertThat(skip.state("b")).as("an independent branch goes on").isEqualTo(READY);
  }

  @Test
  void allDone() {
    RunDriver run = rule(Join.ALL, EdgeType.FINISH).fail("a");
    assertThat(run.state("c")).isEqualTo(WAITING);
    run.timeOut("b");
    assertThat(run.state("c")).isEqualTo(READY);
    run.succeed("c", "d", "e");
    assertThat(run.outcome()).contains(RunState.FAILED);
  }

  @Test
  void oneSuccess() {
    RunDriver run = rule(Join.ONE, EdgeType.SUCCESS).fail("a");
    assertThat(run.state("c")).isEqualTo(WAITING);
    run.succeed("b");
    assertThat(run.state("c")).isEqualTo(READY);

    RunDriver skip = rule(Join.ONE, EdgeType.SUCCESS).fail("a", "b");
    assertThat(skip.state("c")).isEqualTo(SKIPPED);
    assertThat(skip.state("d")).isEqualTo(SKIPPED);
    assertThat(skip.state("e")).isEqualTo(READY);
  }

  @Test
  void oneFailed() {
    RunDriver run = rule(Join.ONE, EdgeType.FAILURE).succeed("a");
    assertThat(run.state("c")).isEqualTo(WAITING);
    run.fail("b");
    assertThat(run.state("c")).isEqualTo(READY);

    RunDriver skip = rule(Join.ONE, EdgeType.FAILURE).succeed("a", "b");
    assertThat(skip.state("c")).isEqualTo(SKIPPED);
    assertThat(skip.state("d")).isEqualTo(SKIPPED);
    skip.succeed("e");
    assertThat(skip.outcome()).contains(RunState.COMPLETED);
  }

  @Test
  void allFailed() {
    RunDriver run = rule(Join.ALL, EdgeType.FAILURE).fail("a");
    assertThat(run.state("c")).isEqualTo(WAITING);
    run.timeOut("b");
    assertThat(run.state("c")).isEqualTo(READY);

    RunDriver skip = rule(Join.ALL, EdgeType.FAILURE).fail("a").succeed("b");
    assertThat(skip.state("c")).isEqualTo(SKIPPED);
    assertThat(skip.state("d")).isEqualTo(SKIPPED);
    assertThat(skip.state("e")).isEqualTo(READY);
  }

  @Test
  void always() {
    RunDriver run = rule(Join.ALL, EdgeType.ANY);
    assertThat(run.state("c")).as("ready before its upstreams even start").isEqualTo(READY);
    run.fail("a").succeed("c");
    assertThat(run.state("d")).isEqualTo(READY);
    assertThat(run.state("e")).isEqualTo(READY);
    assertThat(run.state("b")).isEqualTo(READY);
  }

  @Test
  void conditionsPickABranch() {
    var result = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode()
        .put("open", true);
    RunDriver run = new RunDriver(DagSpec.builder("branch")
        .node(NodeSpec.task("probe", "t"))
        .node(NodeSpec.task("deep", "t").dependsOn(Edge.of("probe", EdgeType.SUCCESS,
            result.objectNode().put("result.open", true))))
        .node(NodeSpec.task("shallow", "t").dependsOn(Edge.of("probe", EdgeType.SUCCESS,
            result.objectNode().put("result.open", false))))
        .build());

    run.dispatch("probe").completeWith("probe", result);

    assertThat(run.state("deep")).isEqualTo(READY);
    assertThat(run.state("shallow")).isEqualTo(SKIPPED);
  }
}
