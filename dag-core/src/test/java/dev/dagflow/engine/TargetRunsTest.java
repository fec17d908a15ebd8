package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.RunQuery;
import dev.dagflow.testing.Outcome;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run limited to target nodes runs what they need and skips the rest at its start, saying
 * why; from the spec's own targets or from the submit's. (What "need" means, edge type by edge
 * type and through containers, is {@code TargetClosureTest}'s table.)
 */
class TargetRunsTest {
  private static final DagSpec CI = DagSpec.builder("ci")
      .node(NodeSpec.task("checkout", "t"))
      .node(NodeSpec.task("build", "t").dependsOn("checkout"))
      .node(NodeSpec.task("lint", "t").dependsOn("checkout"))
      .node(NodeSpec.container("suite").dependsOn("build"))
      .node(NodeSpec.task("unit", "t").parent("suite"))
      .node(NodeSpec.task("e2e", "t").parent("suite"))
      .node(NodeSpec.task("deploy", "t").dependsOn("suite"))
      .node(NodeSpec.task("notify", "t").dependsOn("deploy", EdgeType.FINISH))
      .build();

  private static Harness harness() {
    Harness h = new Harness("t");
    h.executor.defaultOutcome(Outcome.succeed());
    return h;
  }

  @Test
  void onlyWhatTheTargetNeedsRunsAndTheRestIsSkippedAtTheStartWithTheReason() {
    try (Harness h = harness()) {
      String run = h.submit(CI.toBuilder().targets(List.of("unit")).build());
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.nodeStates()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "checkout", NodeState.COMPLETED, "build", NodeState.COMPLETED,
          "suite", NodeState.COMPLETED, "unit", NodeState.COMPLETED,
          "lint", NodeState.SKIPPED, "e2e", NodeState.SKIPPED, "deploy", NodeState.SKIPPED,
          "notify", NodeState.SKIPPED));
      assertThat(h.executor.calls()).extracting(c -> c.nodeId())
          .containsExactlyInAnyOrder("checkout", "build", "unit");
      List<StateTransition> skips = h.engine.transitions(run).stream()
          .filter(t -> t.to() == NodeState.SKIPPED).toList();
      assertThat(skips).extracting(StateTransition::nodeId)
          .containsExactlyInAnyOrder("lint", "e2e", "deploy", "notify");
      assertThat(skips).allSatisfy(t -> {
        assertThat(t.from()).isEqualTo(NodeState.WAITING);
        assertThat(t.reason()).isEqualTo("not needed for target 'unit'");
      });
      // skipped before anything ran: every skip comes before the first READY
      List<StateTransition> all = h.engine.transitions(run);
      int firstReady = all.indexOf(all.stream().filter(t -> t.to() == NodeState.READY)
          .findFirst().orElseThrow());
      assertThat(all.subList(0, firstReady)).containsAll(skips);

      assertThat(h.engine.explain(run, "deploy").reason())
          .hasValue("not needed for target 'unit'");
      assertThat(h.engine.explain(run, "unit").reason()).isEmpty();
    }
  }

  @Test
  void theSubmitsTargetsReplaceTheSpecsAndAreStoredWithTheRun() {
    try (Harness h = harness()) {
      h.engine.templates().save("ci", Optional.empty(), CI.toBuilder()
          .targets(List.of("lint")).build());
      String run = h.engine.submit(SubmitRequest.builder().template("ci")
          .targets(List.of("notify")).build());
      RunView view = h.await(run);

      assertThat(view.spec().targets()).containsExactly("notify");
      assertThat(view.node("lint").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
      assertThat(view.node("e2e").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
      assertThat(view.node("notify").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);

      String own = h.engine.submit(SubmitRequest.builder().template("ci").build());
      assertThat(h.await(own).nodeStates()).containsEntry("lint", NodeState.COMPLETED)
          .containsEntry("build", NodeState.SKIPPED);
    }
  }

  @Test
  void aRetryOfANeededNodeNeverReopensWhatTheTargetsDoNotNeed() {
    try (Harness h = harness()) {
      h.executor.script("build", Outcome.failPermanently("E", "broken"), Outcome.succeed());
      String run = h.submit(CI.toBuilder().targets(List.of("build")).build());
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);

      h.engine.retry(run, "build", "oncall");
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("build").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
      assertThat(view.nodeStates()).containsEntry("lint", NodeState.SKIPPED)
          .containsEntry("suite", NodeState.SKIPPED).containsEntry("deploy", NodeState.SKIPPED)
          .containsEntry("unit", NodeState.SKIPPED);
      assertThat(h.executor.calls()).extracting(c -> c.nodeId())
          .containsExactlyInAnyOrder("checkout", "build", "build");
    }
  }

  @Test
  void aNodeTheTargetsDoNotNeedIsNeverRetriedEvenWhenTheRunWasStoppedBeforeItStarted() {
    ExecutionPolicy one = ExecutionPolicy.builder("one").maxConcurrentRunsPerScope(1).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(one), "t")) {
      h.executor.script("checkout", Outcome.hang());
      String first = h.submit(CI);
      h.awaitCalls("checkout", 1);
      String queued = h.submit(CI.toBuilder().targets(List.of("build")).build());
      h.engine.stop(queued, "ops"); // stopped while waiting for its place: nothing started
      h.awaitRun(queued, RunState.STOPPED);

      assertThatThrownBy(() -> h.engine.retry(queued, "lint", "ops"))
          .isInstanceOf(NodeOperationException.class)
          .hasMessageContaining("not needed for target 'build'");
      h.engine.stop(first, "ops");
    }
  }

  @Test
  void anUnknownTargetIsRefusedNamingItAndNothingIsStored() {
    assertThatThrownBy(() -> CI.toBuilder().targets(List.of("unit", "nope")).build())
        .isInstanceOfSatisfying(InvalidDagException.class, e ->
            assertThat(e.problems()).singleElement().satisfies(p -> {
              assertThat(p.kind()).isEqualTo(SpecProblem.Kind.UNKNOWN_TARGET);
              assertThat(p.path()).isEqualTo("targets[1]");
              assertThat(p.message()).contains("'nope'");
            }));
    try (Harness h = harness()) {
      assertThatThrownBy(() -> h.engine.submit(SubmitRequest.builder().spec(CI)
          .targets(List.of("nope")).build()))
          .isInstanceOfSatisfying(InvalidSubmitRequestException.class, e -> {
            assertThat(e.field()).isEqualTo("targets");
            assertThat(e.getMessage()).contains("target 'nope' is not a node of the DAG");
          });
      assertThatThrownBy(() -> SubmitRequest.builder().targets(List.of("bad id")))
          .isInstanceOf(InvalidSubmitRequestException.class).hasMessageContaining("targets");
      assertThat(h.engine.list(RunQuery.all()).total()).isZero();
    }
  }
}
