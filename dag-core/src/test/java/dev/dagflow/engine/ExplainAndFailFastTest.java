package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.eval.Gate;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** "Why is this node not running?", and the FAIL_FAST strategy. */
class ExplainAndFailFastTest {

  @Test
  void explainOnAWaitingNodeNamesTheGatesStillClosed() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("build", Outcome.hang());
      DagSpec spec = DagSpec.builder("explain")
          .node(NodeSpec.task("build", "t"))
          .node(NodeSpec.task("lint", "t"))
          .node(NodeSpec.task("deploy", "t").dependsOn("build", "lint")
              .notBefore(Harness.T0.plusSeconds(3600)))
          .build();
      String run = h.submit(spec);
      h.awaitNode(run, "lint", NodeState.COMPLETED);
      h.awaitCalls("build", 1);

      NodeExplanation why = h.engine.explain(run, "deploy");
      assertThat(why.state()).isEqualTo(NodeState.WAITING);
      assertThat(why.closedGates()).extracting(Gate::kind)
          .containsExactly(Gate.Kind.EDGE, Gate.Kind.NOT_BEFORE);
      assertThat(why.closedGates().get(0).description()).contains("'build'")
          .contains("RUNNING");
      assertThat(h.engine.explain(run, "lint").closedGates()).isEmpty();
      h.engine.stop(run, "t");
    }
  }

  @Test
  void explainNamesTheParallelLimit() {
    ExecutionPolicy one = ExecutionPolicy.builder("one").maxParallelNodesPerRun(1).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(one), "t")) {
      h.executor.script("a", Outcome.hang());
      h.executor.script("b", Outcome.hang());
      String run = h.submit(DagSpec.builder("limit").node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "t")).build());
      h.awaitCalls("a", 1);
      h.awaitNode(run, "b", NodeState.READY);
      assertThat(h.engine.explain(run, "b").closedGates()).singleElement().satisfies(g -> {
        assertThat(g.kind()).isEqualTo(Gate.Kind.CONCURRENCY);
        assertThat(g.description()).contains("1 of at most 1");
      });
      assertThat(h.executor.calls("b")).isEmpty();
      h.engine.stop(run, "t");
    }
  }

  @Test
  void failFastStopsEverythingNotYetStartedWhileRunningNodesFinish() {
    ExecutionPolicy failFast = ExecutionPolicy.builder("ff")
        .failureStrategy(FailureStrategy.FAIL_FAST).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(failFast), "t")) {
      h.executor.script("bad", Outcome.fail("E", "broken").after(Duration.ofSeconds(1)));
      h.executor.script("long", Outcome.succeed().after(Duration.ofSeconds(5)));
      DagSpec spec = DagSpec.builder("ff")
          .node(NodeSpec.task("bad", "t"))
          .node(NodeSpec.task("long", "t"))
          .node(NodeSpec.task("after_long", "t").dependsOn("long"))
          .node(NodeSpec.task("later", "t").delay(Duration.ofSeconds(10)))
          .build();
      String run = h.submit(spec);
      h.awaitCalls("long", 1);
      h.awaitCalls("bad", 1);
      h.clock.advance(Duration.ofSeconds(1));
      h.awaitNode(run, "bad", NodeState.FAILED);
      h.awaitNode(run, "later", NodeState.STOPPED);
      assertThat(h.engine.get(run).node("long").orElseThrow().state())
          .isEqualTo(NodeState.RUNNING);
      h.clock.advance(Duration.ofSeconds(4));
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.FAILED);
      assertThat(view.nodeStates()).containsEntry("long", NodeState.COMPLETED)
          .containsEntry("after_long", NodeState.STOPPED)
          .containsEntry("later", NodeState.STOPPED);
      assertThat(h.engine.transitions(run)).filteredOn(t -> t.nodeId().equals("later"))
          .last().satisfies(t -> assertThat(t.reason()).contains("fail fast")
              .contains("'bad'"));
    }
  }
}
