package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.PolicyJson;
import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A run deadline (a policy's {@code runDeadline}, or the spec's own) ends a run that takes too
 * long: running attempts are cancelled and end TIMED_OUT, waiting and retrying nodes end
 * STOPPED, and the run ends FAILED, with a history entry.
 */
class RunDeadlineTest {

  /** slow runs for ever, after waits for it, flaky fails and waits out a long backoff. */
  private static DagSpec.Builder spec() {
    return DagSpec.builder("nightly")
        .node(NodeSpec.task("slow", "t"))
        .node(NodeSpec.task("after", "t").dependsOn("slow"))
        .node(NodeSpec.task("flaky", "t").retry(RetryPolicy.builder().maxAttempts(3)
            .initialDelay(Duration.ofHours(1)).build()));
  }

  private static Harness harness(Duration policyDeadline) {
    ExecutionPolicy policy = ExecutionPolicy.builder("deadline").runDeadline(policyDeadline)
        .build();
    Harness h = new Harness(b -> b.engineDefaultPolicy(policy), "t");
    h.executor.script("slow", Outcome.hang());
    h.executor.script("flaky", Outcome.fail("E_FLAKY", "try later"));
    return h;
  }

  private static StateTransition last(Harness h, String run, String node) {
    List<StateTransition> ts = h.engine.transitions(run).stream()
        .filter(t -> t.nodeId().equals(node)).toList();
    return ts.get(ts.size() - 1);
  }

  @Test
  void runningWaitingAndRetryingNodesEndAndTheRunFails() {
    try (Harness h = harness(Duration.ofMinutes(10))) {
      String run = h.submit(spec().build());
      h.awaitCalls("slow", 1);
      h.awaitNode(run, "flaky", NodeState.WAITING); // in its hour of backoff
      h.clock.advance(Duration.ofMinutes(9));
      assertThat(h.engine.get(run).state()).isEqualTo(RunState.RUNNING);
      h.clock.advance(Duration.ofMinutes(1));
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.FAILED);
      assertThat(view.nodeStates()).containsEntry("slow", NodeState.TIMED_OUT)
          .containsEntry("after", NodeState.STOPPED).containsEntry("flaky", NodeState.STOPPED);
      AttemptRecord slow = view.node("slow").orElseThrow().attempts().get(0);
      assertThat(slow.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
      assertThat(slow.errorMessage()).hasValueSatisfying(m -> assertThat(m)
          .contains("run deadline of PT10M passed"));
      assertThat(h.executor.cancelled()).containsExactly(slow.idempotencyKey());
      assertThat(last(h, run, "slow").trigger()).isEqualTo(TriggerType.TIMEOUT);
      assertThat(last(h, run, "slow").reason()).contains("run deadline");
      assertThat(last(h, run, "after").trigger()).isEqualTo(TriggerType.SYSTEM);
      assertThat(last(h, run, "flaky").from()).isEqualTo(NodeState.WAITING);
      assertThat(view.endedAt()).contains(Harness.T0.plus(Duration.ofMinutes(10)));
      assertThat(h.engine.history(run)).anySatisfy(e -> {
        assertThat(e.action()).isEqualTo("run.deadline");
        assertThat(e.operator()).startsWith("engine:");
        assertThat(e.newValue().asText()).contains("PT10M");
      });
    }
  }

  @Test
  void aSpecsDeadlineWinsOverItsPolicysAndARunThatEndsInTimeIsNotTouched() {
    try (Harness h = harness(Duration.ofMinutes(10))) {
      h.executor.script("quick", Outcome.succeed().after(Duration.ofMinutes(2)));
      String quick = h.submit(DagSpec.builder("quick").runDeadline(Duration.ofMinutes(3))
          .node(NodeSpec.task("quick", "t")).build());
      String slow = h.submit(spec().runDeadline(Duration.ofMinutes(1)).build());
      h.awaitCalls("slow", 1);
      h.awaitCalls("quick", 1);
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(slow).state()).isEqualTo(RunState.FAILED);
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(quick).state()).isEqualTo(RunState.COMPLETED);
      h.clock.advance(Duration.ofMinutes(5)); // past its deadline, once ended: nothing
      assertThat(h.engine.get(quick).state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.history(quick)).noneMatch(e -> e.action().equals("run.deadline"));
    }
  }

  @Test
  void aRetriedRunHasADeadlineOfItsOwnFromTheRetry() {
    try (Harness h = harness(Duration.ofMinutes(10))) {
      String run = h.submit(DagSpec.builder("one").node(NodeSpec.task("slow", "t")).build());
      h.awaitCalls("slow", 1);
      h.clock.advance(Duration.ofMinutes(10));
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);
      h.executor.script("slow", Outcome.succeed().after(Duration.ofMinutes(8)));
      h.engine.retry(run, "slow", "ops");
      h.awaitCalls("slow", 2);
      h.clock.advance(Duration.ofMinutes(8)); // within the new deadline
      assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void aDeadlineIsPositiveAndRoundTripsInJson() {
    assertThatThrownBy(() -> DagSpec.builder("d").runDeadline(Duration.ZERO)
        .node(NodeSpec.task("a", "t")).build())
        .isInstanceOf(InvalidDagException.class).hasMessageContaining("runDeadline");
    assertThatThrownBy(() -> ExecutionPolicy.builder("p").runDeadline(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("runDeadline");
    DagSpec spec = spec().runDeadline(Duration.ofMinutes(90)).build();
    assertThat(DagJson.toTree(spec).get("runDeadline").asText()).isEqualTo("PT1H30M");
    assertThat(DagSpec.fromJson(spec.toJson())).isEqualTo(spec);
    ExecutionPolicy policy = ExecutionPolicy.builder("p").runDeadline(Duration.ofHours(2))
        .build();
    assertThat(PolicyJson.toJson(policy).get("runDeadline").asText()).isEqualTo("PT2H");
    assertThat(PolicyJson.fromJson(PolicyJson.toJson(policy))).isEqualTo(policy);
  }
}
