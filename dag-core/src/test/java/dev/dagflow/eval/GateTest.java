package dev.dagflow.eval;

import static dev.dagflow.state.NodeState.COMPLETED;
import static dev.dagflow.state.NodeState.READY;
import static dev.dagflow.state.NodeState.SKIPPED;
import static dev.dagflow.state.NodeState.STOPPED;
import static dev.dagflow.state.NodeState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.IllegalTransitionException;
import dev.dagflow.state.RunState;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GateTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  @Test
  void activationIsCheckedAgainstTheParamsOnceTheOtherGatesOpen() {
    DagSpec spec = DagSpec.builder("act")
        .node(NodeSpec.task("build", "t"))
        .node(NodeSpec.task("prod", "t").dependsOn("build")
            .activation(JSON.objectNode().put("params.env", "prod")))
        .node(NodeSpec.task("staging", "t").dependsOn("build")
            .activation(JSON.objectNode().put("params.env", "staging")))
        .node(NodeSpec.task("after_staging", "t").dependsOn("staging"))
        .build();
    ObjectNode params = JSON.objectNode().put("env", "prod");
    RunDriver run = new RunDriver(spec, params);

    assertThat(run.state("staging")).as("not skipped before its upstream ends").isEqualTo(WAITING);
    assertThat(run.run.explain(run.index("staging")).closedGates()).extracting(Gate::kind)
        .containsExactly(Gate.Kind.EDGE, Gate.Kind.ACTIVATION);
    params.put("env", "staging");
    run.succeed("build");

    assertThat(run.state("prod")).as("params were copied at the start").isEqualTo(READY);
    assertThat(run.state("staging")).isEqualTo(SKIPPED);
    assertThat(run.state("after_staging")).isEqualTo(SKIPPED);
  }

  @Test
  void delaysAndNotBeforeTimesFollowTheClock() {
    RunDriver run = new RunDriver(DagSpec.builder("time")
        .node(NodeSpec.task("delayed", "t").delay(Duration.ofSeconds(10)))
        .node(NodeSpec.task("pinned", "t").notBefore(RunDriver.T0.plusSeconds(60)))
        .build());

    assertThat(run.run.nextWakeUp()).contains(RunDriver.T0.plusSeconds(10));
    run.advance(Duration.ofSeconds(9));
    assertThat(run.state("delayed")).isEqualTo(WAITING);
    assertThat(run.run.explain(run.index("delayed")).toString()).contains(
        "NOT_BEFORE: not before 2026-11-23T10:00:10Z (now 2026-11-23T10:00:09Z)");
    run.advance(Duration.ofSeconds(1));
    assertThat(run.state("delayed")).isEqualTo(READY);
    assertThat(run.run.nextWakeUp()).contains(RunDriver.T0.plusSeconds(60));
    run.advance(Duration.ofSeconds(50));
    assertThat(run.state("pinned")).isEqualTo(READY);
    assertThat(run.run.nextWakeUp()).isEmpty();
  }

  @Test
  void aRetriedAttemptWaitsForItsBackoff() {
    RunDriver run = new RunDriver(DagSpec.builder("retry")
        .node(NodeSpec.task("flaky", "t"))
        .node(NodeSpec.task("next", "t").dependsOn("flaky"))
        .build());

    run.dispatch("flaky").retryIn("flaky", Duration.ofSeconds(4));
    assertThat(run.state("flaky")).isEqualTo(WAITING);
    run.advance(Duration.ofSeconds(4));
    assertThat(run.state("flaky")).isEqualTo(READY);
    run.succeed("flaky");
    assertThat(run.state("next")).isEqualTo(READY);
    assertThat(run.transitions).containsSubsequence("flaky:RUNNING>WAITING",
        "flaky:WAITING>READY", "flaky:READY>RUNNING", "flaky:RUNNING>COMPLETED");
  }

  @Test
  void explainNamesEveryClosedGate() {
    RunDriver run = new RunDriver(DagSpec.builder("why")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t"))
        .node(NodeSpec.container("box"))
        .node(NodeSpec.task("x", "t").parent("box").dependsOn("a").dependsOn("b")
            .delay(Duration.ofMinutes(5)))
        .build());
    run.dispatch("a");

    NodeExplanation why = run.run.explain(run.index("x"));

    assertThat(why.state()).isEqualTo(WAITING);
    assertThat(why.closedGates()).extracting(Gate::description).containsExactly(
        "waits for 'a' to be COMPLETED (it is RUNNING)",
        "waits for 'b' to be COMPLETED (it is READY)",
        "container 'box' is READY; its children start once it is RUNNING",
        "not before 2026-11-23T10:05:00Z (now 2026-11-23T10:00:00Z)");
    assertThat(run.run.explain(run.index("a")).closedGates()).isEmpty();
  }

  @Test
  void anIllegalEventThrowsAndChangesNothing() {
    RunDriver run = new RunDriver(DagSpec.builder("bad")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .build());

    assertThatThrownBy(() -> run.complete("b"))
        .isInstanceOf(IllegalTransitionException.class)
        .hasMessage("node 'b': illegal transition WAITING -> COMPLETED");
    assertThat(run.state("b")).isEqualTo(WAITING);
    assertThat(run.state("a")).isEqualTo(READY);
  }

  @Test
  void misuseIsRejectedWithoutChangingAnything() {
    DagSpec spec = DagSpec.builder("misuse").node(NodeSpec.task("a", "t")).build();
    RunEvaluation fresh = DependencyEvaluator.incremental().newRun(spec, JSON.objectNode(),
        RunDriver.T0, TransitionListener.NONE);
    assertThatThrownBy(() -> fresh.dispatched(0)).isInstanceOf(IllegalStateException.class)
        .hasMessage("run not started");
    fresh.start();
    assertThatThrownBy(fresh::start).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> fresh.dispatched(1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("no node at position 1; the spec has 1 nodes");
    assertThatThrownBy(() -> fresh.explain(-1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> fresh.completed(0, JSON.nullNode()))
        .isInstanceOf(IllegalTransitionException.class);
    fresh.dispatched(0);
    assertThatThrownBy(() -> fresh.completed(0, null)).isInstanceOf(NullPointerException.class);
    assertThat(fresh.state(0)).isEqualTo(dev.dagflow.state.NodeState.RUNNING);
    assertThat(fresh.outcome()).isEmpty();
  }

  @Test
  void containersRefuseTaskEvents() {
    RunDriver run = new RunDriver(DagSpec.builder("box")
        .node(NodeSpec.container("box").taskType("provision"))
        .node(NodeSpec.task("a", "t").parent("box"))
        .build());
    run.dispatch("box");

    assertThatThrownBy(() -> run.complete("box")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("container 'box'");
    assertThatThrownBy(() -> run.run.timedOut(run.index("box"), "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> run.run.containerReady(run.index("a")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a container");
    assertThat(run.state("box")).isEqualTo(dev.dagflow.state.NodeState.INITIALIZING);
  }

  @Test
  void aConditionOverALongResultIsEvaluatedInLinearTime() {
    // java.util.regex recursed once per repetition here and overflowed the stack; RE2 does not
    RunDriver run = new RunDriver(DagSpec.builder("regex")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t"))
        .node(NodeSpec.task("c", "t").dependsOn(dev.dagflow.spec.Edge.of("a",
            dev.dagflow.spec.EdgeType.SUCCESS, JSON.objectNode().set("result.s",
                JSON.objectNode().put("$regex", "^(a|b)*$")))))
        .node(NodeSpec.task("d", "t").dependsOn(dev.dagflow.spec.Edge.of("a",
            dev.dagflow.spec.EdgeType.SUCCESS, JSON.objectNode().set("result.s",
                JSON.objectNode().put("$regex", "^(a|b)*c$")))))
        .build());

    run.dispatch("a").completeWith("a", JSON.objectNode().put("s", "ab".repeat(100_000)));

    assertThat(run.state("c")).isEqualTo(READY);
    assertThat(run.state("d")).isEqualTo(SKIPPED);
    run.succeed("b");
    run.succeed("c");
    assertThat(run.outcome()).contains(RunState.COMPLETED);
  }

  @Test
  void stopRunBeforeStartStopsEveryNodeAndAfterTheEndChangesNothing() {
    DagSpec spec = DagSpec.builder("s").node(NodeSpec.task("a", "t")).build();
    RunEvaluation early = DependencyEvaluator.incremental().newRun(spec, JSON.objectNode(),
        RunDriver.T0, TransitionListener.NONE);
    early.stopRun("never mind");
    assertThat(early.state(0)).isEqualTo(STOPPED);
    assertThat(early.outcome()).contains(RunState.STOPPED);
    assertThatThrownBy(early::start).isInstanceOf(IllegalStateException.class);

    RunDriver done = new RunDriver(spec).succeed("a");
    done.run.stopRun("too late");
    assertThat(done.outcome()).contains(RunState.COMPLETED);
    assertThat(done.state("a")).isEqualTo(COMPLETED);
  }

  @Test
  void stoppingTheRunStopsEverythingNotEnded() {
    RunDriver run = new RunDriver(DagSpec.builder("stop")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("done", "t"))
        .build());
    run.succeed("done").dispatch("a");

    run.run.stopRun("user asked");

    assertThat(run.states()).containsEntry("a", STOPPED).containsEntry("b", STOPPED)
        .containsEntry("done", COMPLETED);
    assertThat(run.outcome()).contains(RunState.STOPPED);
  }
}
