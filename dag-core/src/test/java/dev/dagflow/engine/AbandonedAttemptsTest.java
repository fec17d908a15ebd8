package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.Outcome;
import dev.dagflow.testing.ScriptedExecutor;
import dev.dagflow.trigger.Event;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Work lost with its engine is resumed, not failed: under the default policy (one attempt), a
 * node whose attempt was running when its engine stopped runs again as a new attempt on the
 * next engine, without spending its retry budget; a node lost every time fails after the
 * abandon limit, with every lost attempt on record.
 */
class AbandonedAttemptsTest {
  private final ManualClock clock = new ManualClock(Harness.T0);
  private final Stores stores = Stores.inMemory();

  private static DagSpec spec() {
    return DagSpec.builder("resume")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("c", "t").dependsOn("b"))
        .build();
  }

  private DagEngine engine(ScriptedExecutor executor, Consumer<DagEngine.Builder> configure) {
    DagEngine.Builder b = DagEngine.builder().stores(stores).timeSource(clock)
        .executor("t", executor);
    configure.accept(b);
    DagEngine engine = b.build();
    engine.start();
    return engine;
  }

  private ScriptedExecutor hangingB() {
    return new ScriptedExecutor(clock).defaultOutcome(Outcome.succeed())
        .script("b", Outcome.hang());
  }

  /** Starts an engine on the stores, waits until it runs 'b', and stops it as if it died. */
  private void loseB(Consumer<DagEngine.Builder> configure) throws Exception {
    ScriptedExecutor executor = hangingB();
    try (DagEngine engine = engine(executor, configure)) {
      executor.awaitCalls("b", 1, Harness.WAIT);
    }
  }

  private List<StateTransition> trailOf(String runId, String nodeId) {
    return stores.runs().transitions(runId).stream().filter(t -> t.nodeId().equals(nodeId))
        .toList();
  }

  @Test
  void underTheDefaultPolicyALostAttemptRunsAgainAndTheRunCompletes() throws Exception {
    ScriptedExecutor first = hangingB();
    String run;
    try (DagEngine crashed = engine(first, b -> { })) {
      run = crashed.submit(spec());
      first.awaitCalls("b", 1, Harness.WAIT);
    }
    ScriptedExecutor second = new ScriptedExecutor(clock).defaultOutcome(Outcome.succeed());
    try (DagEngine next = engine(second, b -> { })) {
      RunView view = next.await(run, Harness.WAIT);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("b").orElseThrow().attempts())
          .extracting(AttemptRecord::attempt, AttemptRecord::outcome)
          .containsExactly(tuple(1, AttemptOutcome.ABANDONED), tuple(2, AttemptOutcome.COMPLETED));
      assertThat(second.calls("b")).extracting(ScriptedExecutor.Call::attempt).containsExactly(2);
      assertThat(second.calls("a")).isEmpty(); // done before the crash: not run again
      assertThat(trailOf(run, "b")).extracting(StateTransition::from, StateTransition::to,
              StateTransition::trigger, StateTransition::attempt)
          .containsExactly(
              tuple(NodeState.PENDING, NodeState.WAITING, TriggerType.SYSTEM, 0),
              tuple(NodeState.WAITING, NodeState.READY, TriggerType.DEPENDENCY, 0),
              tuple(NodeState.READY, NodeState.RUNNING, TriggerType.SYSTEM, 1),
              tuple(NodeState.RUNNING, NodeState.WAITING, TriggerType.SYSTEM, 1),
              tuple(NodeState.WAITING, NodeState.READY, TriggerType.DEPENDENCY, 1),
              tuple(NodeState.READY, NodeState.RUNNING, TriggerType.SYSTEM, 2),
              tuple(NodeState.RUNNING, NodeState.COMPLETED, TriggerType.SYSTEM, 2));
      assertThat(trailOf(run, "b").get(3).reason()).isEqualTo("abandoned");
    }
  }

  @Test
  void aNodeLostEveryTimeFailsAfterTheAbandonLimitWithEveryLostAttemptOnRecord()
      throws Exception {
    ScriptedExecutor first = hangingB();
    String run;
    try (DagEngine engine = engine(first, b -> { })) {
      run = engine.submit(spec());
      first.awaitCalls("b", 1, Harness.WAIT);
    }
    for (int lost = 1; lost <= 3; lost++) { // the default limit: three runs again
      loseB(b -> { });
    }
    ScriptedExecutor last = hangingB();
    List<Event> heard = new CopyOnWriteArrayList<>();
    try (DagEngine engine = engine(last, b -> b.listener(new EngineListener() {
      @Override
      public void onEvent(Event event) {
        heard.add(event);
      }
    }))) {
      RunView view = engine.await(run, Harness.WAIT);
      // it failed while start() restored it: its events still go out
      assertThat(heard).extracting(Event::type).contains("node.failed", "run.failed");

      assertThat(view.state()).isEqualTo(RunState.FAILED);
      NodeView b = view.node("b").orElseThrow();
      assertThat(b.state()).isEqualTo(NodeState.FAILED);
      assertThat(b.attempts()).extracting(AttemptRecord::attempt, AttemptRecord::outcome)
          .containsExactly(tuple(1, AttemptOutcome.ABANDONED), tuple(2, AttemptOutcome.ABANDONED),
              tuple(3, AttemptOutcome.ABANDONED), tuple(4, AttemptOutcome.ABANDONED));
      assertThat(b.errorCode()).contains("ABANDONED");
      assertThat(b.errorMessage().orElseThrow()).contains("4th time")
          .contains("abandon limit of 3");
      assertThat(view.node("c").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
      assertThat(last.calls("b")).isEmpty();
      assertThat(trailOf(run, "b")).filteredOn(t -> "abandoned".equals(t.reason())).hasSize(3);
    }
  }

  @Test
  void anAbandonLimitOfZeroFailsTheNodeAtTheFirstLoss() throws Exception {
    ExecutionPolicy strict = ExecutionPolicy.builder("strict").abandonLimit(0).build();
    ScriptedExecutor first = hangingB();
    String run;
    try (DagEngine engine = engine(first, b -> b.engineDefaultPolicy(strict))) {
      run = engine.submit(spec());
      first.awaitCalls("b", 1, Harness.WAIT);
    }
    try (DagEngine engine = engine(hangingB(), b -> b.engineDefaultPolicy(strict))) {
      RunView view = engine.await(run, Harness.WAIT);
      assertThat(view.state()).isEqualTo(RunState.FAILED);
      assertThat(view.node("b").orElseThrow().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(AttemptOutcome.ABANDONED);
    }
  }

  @Test
  void aLostAttemptDoesNotSpendTheRetryBudget() throws Exception {
    ExecutionPolicy twoTries = ExecutionPolicy.builder("two")
        .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build()).build();
    ScriptedExecutor first = hangingB();
    String run;
    try (DagEngine engine = engine(first, b -> b.engineDefaultPolicy(twoTries))) {
      run = engine.submit(spec());
      first.awaitCalls("b", 1, Harness.WAIT);
    }
    // after the loss, two attempts still: attempt 2 fails, attempt 3 succeeds (attempt 1 was
    // the lost one, and does not run here)
    ScriptedExecutor second = new ScriptedExecutor(clock).defaultOutcome(Outcome.succeed())
        .script("b", Outcome.hang(), Outcome.fail("E_ONCE", "fails once"), Outcome.succeed());
    try (DagEngine engine = engine(second, b -> b.engineDefaultPolicy(twoTries))) {
      RunView view = engine.await(run, Harness.WAIT);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("b").orElseThrow().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(AttemptOutcome.ABANDONED, AttemptOutcome.FAILED,
              AttemptOutcome.COMPLETED);
    }
  }

  @Test
  void theAbandonLimitIsAPolicySettingCheckedAsItIsSet() {
    ExecutionPolicy.Builder b = ExecutionPolicy.builder("p");
    assertThatThrownBy(() -> b.abandonLimit(-1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("abandonLimit");
    assertThatThrownBy(() -> b.abandonLimit(101))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("abandonLimit");
    assertThat(b.build().abandonLimit()).isEmpty();
    assertThat(b.abandonLimit(5).build().abandonLimit()).contains(5);
  }
}
