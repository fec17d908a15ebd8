package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
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

/** Retries wait out their backoff on the engine's clock; timeouts cancel the attempt. */
class RetryAndTimeoutTest {

  private static DagSpec oneNode(NodeSpec.Builder node) {
    return DagSpec.builder("retry").node(node).build();
  }

  @Test
  void failsTwiceThenSucceedsWithBackoffDelaysOnTheManualClock() {
    try (Harness h = new Harness("flaky")) {
      h.executor.script("compile", Outcome.fail("E_NET", "connection reset"),
          Outcome.fail("E_NET", "connection reset again"), Outcome.succeed());
      RetryPolicy retry = RetryPolicy.builder().maxAttempts(3)
          .backoff(dev.dagflow.spec.Backoff.EXPONENTIAL).initialDelay(Duration.ofSeconds(10))
          .multiplier(3).build();
      String run = h.submit(oneNode(NodeSpec.task("compile", "flaky").retry(retry)));

      h.awaitCalls("compile", 1);
      h.awaitNode(run, "compile", NodeState.WAITING);
      assertThat(h.clock.pending()).contains(Harness.T0.plusSeconds(10));
      h.clock.advance(Duration.ofSeconds(9));
      assertThat(h.executor.calls("compile")).hasSize(1);
      h.clock.advance(Duration.ofSeconds(1));
      h.awaitCalls("compile", 2);
      h.awaitNode(run, "compile", NodeState.WAITING);
      h.clock.advance(Duration.ofSeconds(30));
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      List<AttemptRecord> attempts = view.node("compile").orElseThrow().attempts();
      assertThat(attempts).extracting(AttemptRecord::attempt).containsExactly(1, 2, 3);
      assertThat(attempts).extracting(AttemptRecord::outcome).containsExactly(
          AttemptOutcome.FAILED, AttemptOutcome.FAILED, AttemptOutcome.COMPLETED);
      assertThat(attempts.get(0).errorCode()).contains("E_NET");
      assertThat(attempts.get(1).errorMessage()).contains("connection reset again");
      assertThat(attempts).extracting(AttemptRecord::startedAt).containsExactly(
          Harness.T0, Harness.T0.plusSeconds(10), Harness.T0.plusSeconds(40));
      assertThat(attempts.get(2).result().orElseThrow().get("attempt").asInt()).isEqualTo(3);
      assertThat(h.engine.transitions(run)).filteredOn(t -> t.to() == NodeState.WAITING
              && t.from() == NodeState.RUNNING)
          .extracting(StateTransition::trigger).containsExactly(TriggerType.ERROR,
              TriggerType.ERROR);
    }
  }

  @Test
  void aPermanentFailureIsNotRetried() {
    try (Harness h = new Harness("t")) {
      h.executor.script("a", Outcome.failPermanently("E_AUTH", "bad credentials"));
      String run = h.submit(oneNode(NodeSpec.task("a", "t")
          .retry(RetryPolicy.builder().maxAttempts(5).build())));
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.FAILED);
      NodeView a = view.node("a").orElseThrow();
      assertThat(a.attempts()).hasSize(1);
      assertThat(a.errorCode()).contains("E_AUTH");
      assertThat(a.errorMessage()).contains("bad credentials");
    }
  }

  @Test
  void aTimeoutCancelsTheAttemptAndTheNodeTimesOut() {
    try (Harness h = new Harness("t")) {
      h.executor.script("slow", Outcome.hang());
      String run = h.submit(oneNode(NodeSpec.task("slow", "t").timeout(Duration.ofMinutes(5))));
      h.awaitCalls("slow", 1);
      h.clock.advance(Duration.ofMinutes(5));
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.FAILED);
      NodeView slow = view.node("slow").orElseThrow();
      assertThat(slow.state()).isEqualTo(NodeState.TIMED_OUT);
      assertThat(slow.attempts()).singleElement().satisfies(a -> {
        assertThat(a.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
        assertThat(a.duration()).contains(Duration.ofMinutes(5));
        assertThat(a.errorMessage().orElseThrow()).contains("timeout of PT5M");
      });
      assertThat(h.executor.cancelled()).containsExactly(run + ":slow:1");
      assertThat(h.engine.transitions(run)).last().satisfies(t -> {
        assertThat(t.to()).isEqualTo(NodeState.TIMED_OUT);
        assertThat(t.trigger()).isEqualTo(TriggerType.TIMEOUT);
      });
    }
  }

  @Test
  void aTimedOutAttemptIsRetriedWhenThePolicyAllows() {
    try (Harness h = new Harness("t")) {
      h.executor.script("slow", Outcome.succeed().after(Duration.ofMinutes(10)),
          Outcome.succeed().after(Duration.ofMinutes(1)));
      String run = h.submit(oneNode(NodeSpec.task("slow", "t").timeout(Duration.ofMinutes(5))
          .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofSeconds(30))
              .build())));
      h.awaitCalls("slow", 1);
      h.clock.advance(Duration.ofMinutes(5));
      h.awaitNode(run, "slow", NodeState.WAITING);
      h.clock.advance(Duration.ofSeconds(30));
      h.awaitCalls("slow", 2);
      h.clock.advance(Duration.ofMinutes(1));
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("slow").orElseThrow().attempts())
          .extracting(AttemptRecord::outcome)
          .containsExactly(AttemptOutcome.TIMED_OUT, AttemptOutcome.COMPLETED);
      // the first attempt's late success, due at 10 min, is ignored
      h.clock.advance(Duration.ofMinutes(10));
      assertThat(h.engine.get(run).node("slow").orElseThrow().attempts()).hasSize(2);
    }
  }

  @Test
  void jitterSpreadsTheWaitWithinItsShare() {
    for (long seed = 1; seed <= 5; seed++) {
      long s = seed;
      try (Harness h = new Harness(b -> b.random(new java.util.Random(s)), "t")) {
        h.executor.script("a", Outcome.fail("E", "x"), Outcome.succeed());
        String run = h.submit(oneNode(NodeSpec.task("a", "t").retry(RetryPolicy.builder()
            .maxAttempts(2).initialDelay(Duration.ofSeconds(100)).jitter(0.2).build())));
        h.awaitNode(run, "a", NodeState.WAITING);
        assertThat(h.clock.pending()).singleElement().satisfies(at ->
            assertThat(Duration.between(Harness.T0, at))
                .isBetween(Duration.ofSeconds(80), Duration.ofSeconds(120)));
        h.clock.advance(Duration.ofSeconds(120));
        assertThat(h.await(run).state()).as("seed %d", s).isEqualTo(RunState.COMPLETED);
      }
    }
  }
}
