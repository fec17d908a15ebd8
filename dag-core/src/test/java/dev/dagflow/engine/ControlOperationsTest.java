package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.testing.Outcome;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerFiring;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Stop, pause and resume, by run and by node. */
class ControlOperationsTest {

  /** a -> b -> c, and d beside them. */
  private static DagSpec chain() {
    return DagSpec.builder("chain")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("c", "t").dependsOn("b"))
        .node(NodeSpec.task("d", "t"))
        .build();
  }

  @Test
  void stopMidRunCancelsRunningAttemptsAndStopsWhatHasNotStarted() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("b", Outcome.hang());
      h.executor.script("d", Outcome.hang());
      String run = h.submit(chain());
      h.awaitCalls("b", 1);
      h.awaitCalls("d", 1);

      h.engine.stop(run, "alice");
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.STOPPED);
      assertThat(view.nodeStates()).containsExactly(
          java.util.Map.entry("a", NodeState.COMPLETED), java.util.Map.entry("b", NodeState.STOPPED),
          java.util.Map.entry("c", NodeState.STOPPED), java.util.Map.entry("d", NodeState.STOPPED));
      assertThat(view.node("b").orElseThrow().attempts()).singleElement()
          .satisfies(a -> assertThat(a.outcome()).isEqualTo(AttemptOutcome.STOPPED));
      assertThat(h.executor.cancelled()).containsExactlyInAnyOrder(run + ":b:1", run + ":d:1");
      assertThat(h.executor.calls("c")).isEmpty();
      assertThat(h.engine.transitions(run)).filteredOn(t -> t.to() == NodeState.STOPPED)
          .allSatisfy(t -> {
            assertThat(t.trigger()).isEqualTo(TriggerType.USER);
            assertThat(t.operator()).contains("alice");
          });
      assertThat(h.engine.history(run)).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo("run.stop");
        assertThat(e.operator()).isEqualTo("alice");
        assertThat(e.oldValue().asText()).isEqualTo("RUNNING");
        assertThat(e.newValue().asText()).isEqualTo("STOPPED");
      });
      assertThatThrownBy(() -> h.engine.stop(run, "alice"))
          .isInstanceOf(RunStateException.class).hasMessageContaining("has ended");
    }
  }

  @Test
  void pauseHoldsNewDispatchesWhileRunningNodesFinishAndResumeGoesOn() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("a", Outcome.succeed().after(Duration.ofSeconds(10)));
      String run = h.submit(chain());
      h.awaitCalls("a", 1);
      h.engine.pause(run, "bob");
      assertThat(h.engine.get(run).state()).isEqualTo(RunState.PAUSED);

      h.clock.advance(Duration.ofSeconds(10));
      h.awaitNode(run, "a", NodeState.COMPLETED);
      h.awaitNode(run, "b", NodeState.READY);
      assertThat(h.executor.calls("b")).isEmpty();
      assertThat(h.engine.explain(run, "b").closedGates())
          .extracting(g -> g.kind()).contains(dev.dagflow.eval.Gate.Kind.PAUSED);
      assertThatThrownBy(() -> h.engine.pause(run, "bob"))
          .isInstanceOf(RunStateException.class).hasMessageContaining("PAUSED");

      h.engine.resume(run, "bob");
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.history(run)).extracting(HistoryEntry::action)
          .containsExactly("run.pause", "run.resume");
      assertThatThrownBy(() -> h.engine.resume(run, "bob"))
          .isInstanceOf(RunStateException.class);
    }
  }

  @Test
  void stoppingANodeSkipsItsSuccessDependentsAndTheRunEndsStopped() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      h.executor.script("b", Outcome.hang());
      String run = h.submit(chain());
      h.awaitCalls("b", 1);
      h.engine.stopNode(run, "b", "carol");
      RunView view = h.await(run);
      assertThat(view.node("b").orElseThrow().state()).isEqualTo(NodeState.STOPPED);
      assertThat(view.node("c").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
      assertThat(view.node("d").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
      assertThat(view.state()).isEqualTo(RunState.STOPPED);
      assertThat(h.executor.cancelled()).containsExactly(run + ":b:1");
      assertThatThrownBy(() -> h.engine.stopNode(run, "b", "carol"))
          .isInstanceOf(RunStateException.class).hasMessageContaining("has ended");
    }
  }

  @Test
  void definitionsAreSavedBeforeStartButNothingRunsUntilThen() {
    DagSpec spec = DagSpec.builder("one").node(NodeSpec.task("a", "t")).build();
    try (DagEngine engine = DagEngine.builder().handler("t", ctx -> null).build()) {
      engine.templates().save("one", Optional.empty(), spec);
      engine.policies().save(ExecutionPolicy.builder("p").build());
      engine.triggers().save(EventTrigger.builder("on-x").eventType("x").template("one").build());
      assertThatThrownBy(() -> engine.submit(spec)).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("start()");
      assertThatThrownBy(() -> engine.emit(Event.builder("x").build()))
          .isInstanceOf(IllegalStateException.class);
      assertThatThrownBy(() -> engine.stop("r", "ops")).isInstanceOf(IllegalStateException.class);

      engine.start();
      assertThat(engine.emit(Event.builder("x").build())).extracting(TriggerFiring::outcome)
          .containsExactly(TriggerFiring.Outcome.STARTED);
    }
  }

  @Test
  void operationsOnUnknownRunsAndNodesNameThem() {
    try (Harness h = new Harness("t")) {
      String run = h.submit(chain());
      h.await(run);
      assertThatThrownBy(() -> h.engine.get("nope")).isInstanceOf(UnknownRunException.class)
          .hasMessageContaining("'nope'");
      assertThatThrownBy(() -> h.engine.pause("nope", "x"))
          .isInstanceOf(UnknownRunException.class);
      assertThatThrownBy(() -> h.engine.retry(run, "zz", "x"))
          .isInstanceOf(UnknownNodeException.class).hasMessageContaining("'zz'");
      assertThatThrownBy(() -> h.engine.stop(run, " "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("operator");
      assertThat(h.engine.transitions(run)).extracting(StateTransition::runId)
          .containsOnly(run);
    }
  }
}
