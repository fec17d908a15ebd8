package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.eval.Gate;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * An operation that would change nothing is refused; what an operation or the engine did is
 * recorded as it happened: who decided, the time now, every node a retry re-opened.
 */
class OperationsSayWhatTheyDoTest {

  private static Map<String, String> fields(JsonNode object) {
    Map<String, String> out = new LinkedHashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  @Test
  void aConfigUpdateOfACompletedNodeIsRefusedAndChangesNothing() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("b", Outcome.fail("E", "broken"));
      DagSpec spec = DagSpec.builder("d").node(NodeSpec.task("a", "t").config(json("{\"x\":1}")))
          .node(NodeSpec.task("b", "t")).build();
      String run = h.submit(spec);
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);

      assertThatThrownBy(() -> h.engine.updateNodeConfig(run, "a", json("{\"x\":2}"), "dana"))
          .isInstanceOfSatisfying(NodeOperationException.class,
              e -> assertThat(e.state()).isEqualTo(NodeState.COMPLETED))
          .hasMessageContaining("'a'").hasMessageContaining("never runs again");
      assertThat(h.engine.get(run).node("a").orElseThrow().config()).isEqualTo(json("{\"x\":1}"));
      assertThat(h.engine.history(run)).isEmpty();
    }
  }

  @Test
  void aConfigUpdateOfAFailedNodeIsShownAndUsedByItsRetry() {
    try (Harness h = new Harness("t")) {
      h.executor.script("a", Outcome.fail("E", "wrong rate"), Outcome.succeed());
      String run = h.submit(DagSpec.builder("d")
          .node(NodeSpec.task("a", "t").config(json("{\"rate\":1000}"))).build());
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);

      h.engine.updateNodeConfig(run, "a", json("{\"rate\":10}"), "dana");
      assertThat(h.engine.get(run).node("a").orElseThrow().config())
          .isEqualTo(json("{\"rate\":10}"));
      h.engine.retry(run, "a", "dana");
      assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.executor.calls("a")).extracting(c -> c.config().get("rate").asInt())
          .containsExactly(1000, 10);
    }
  }

  @Test
  void noConfigUpdateInACompletedRun() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      String run = h.submit(DagSpec.builder("d").node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "t").dependsOn("a").activation(json("{\"params.go\": true}")))
          .build());
      RunView done = h.await(run);
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("b").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
      assertThatThrownBy(() -> h.engine.updateNodeConfig(run, "b", json("{\"x\":2}"), "dana"))
          .isInstanceOf(NodeOperationException.class).hasMessageContaining("run has COMPLETED");
      assertThat(h.engine.history(run)).isEmpty();
    }
  }

  @Test
  void explainTellsANotBeforeGateAgainstTheTimeNow() {
    try (Harness h = new Harness("t")) {
      String run = h.submit(DagSpec.builder("d")
          .node(NodeSpec.task("late", "t").delay(Duration.ofHours(1))).build());
      h.awaitNode(run, "late", NodeState.WAITING);
      h.clock.advance(Duration.ofMinutes(10));

      Gate gate = h.engine.explain(run, "late").closedGates().get(0);
      assertThat(gate.kind()).isEqualTo(Gate.Kind.NOT_BEFORE);
      assertThat(gate.description())
          .contains("not before " + Harness.T0.plus(Duration.ofHours(1)))
          .contains("(now " + Harness.T0.plus(Duration.ofMinutes(10)) + ")");
      h.engine.stop(run, "t");
    }
  }

  @Test
  void failFastStopsAreTheSystemsWithoutAnOperator() {
    ExecutionPolicy failFast = ExecutionPolicy.builder("ff")
        .failureStrategy(FailureStrategy.FAIL_FAST).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(failFast), "t")) {
      h.executor.script("bad", Outcome.fail("E", "broken"));
      String run = h.submit(DagSpec.builder("d").node(NodeSpec.task("bad", "t"))
          .node(NodeSpec.task("later", "t").delay(Duration.ofSeconds(10))).build());
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);

      assertThat(h.engine.transitions(run)).filteredOn(t -> t.to() == NodeState.STOPPED)
          .singleElement().satisfies(t -> {
            assertThat(t.nodeId()).isEqualTo("later");
            assertThat(t.trigger()).isEqualTo(TriggerType.SYSTEM);
            assertThat(t.operator()).isEmpty();
            assertThat(t.reason()).contains("fail fast").contains("'bad'");
          });
    }
  }

  @Test
  void aRetryInsideAStoppedContainerRecordsEveryNodeItReopens() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("x", Outcome.hang(), Outcome.succeed());
      h.executor.script("y", Outcome.hang(), Outcome.succeed());
      String run = h.submit(DagSpec.builder("d")
          .node(NodeSpec.container("box"))
          .node(NodeSpec.task("x", "t").parent("box"))
          .node(NodeSpec.task("y", "t").parent("box"))
          .node(NodeSpec.task("after", "t").dependsOn("box"))
          .build());
      h.awaitCalls("x", 1);
      h.awaitCalls("y", 1);
      h.engine.stop(run, "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.STOPPED);

      h.engine.retry(run, "x", "oncall");
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.executor.calls("y")).hasSize(2); // the sibling ran again

      HistoryEntry retry = h.engine.history(run).get(1);
      assertThat(retry.action()).isEqualTo("node.retry");
      assertThat(retry.nodeId()).contains("x");
      assertThat(fields(retry.oldValue())).containsOnly(Map.entry("x", "STOPPED"),
          Map.entry("box", "STOPPED"), Map.entry("y", "STOPPED"), Map.entry("after", "STOPPED"));
      assertThat(fields(retry.newValue())).containsOnlyKeys("x", "box", "y", "after")
          .allSatisfy((id, state) -> assertThat(state).isEqualTo("WAITING"));
      // the history names exactly the nodes whose transitions the retry caused
      assertThat(h.engine.transitions(run)).filteredOn(t -> t.from().isTerminal())
          .extracting(StateTransition::nodeId)
          .containsExactlyInAnyOrderElementsOf(fields(retry.oldValue()).keySet());
    }
  }
}
