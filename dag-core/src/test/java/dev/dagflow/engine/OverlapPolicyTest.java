package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.testing.Outcome;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import dev.dagflow.trigger.TriggerFiring;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a trigger does with an event while its previous run is still active. */
class OverlapPolicyTest {

  private static Harness harness(OverlapPolicy overlap) {
    Harness h = new Harness("t");
    h.executor.script("deploy", Outcome.succeed().after(Duration.ofMinutes(1)));
    h.engine.templates().save("deploy", Optional.empty(),
        DagSpec.builder("deploy").node(NodeSpec.task("deploy", "t")).build());
    h.engine.triggers().save(EventTrigger.builder("on-push").eventType("push")
        .template("deploy").map("sha", "payload.sha").overlap(overlap).build());
    return h;
  }

  private static TriggerFiring push(Harness h, String sha) {
    return h.engine.emit(Event.builder("push").id("push-" + sha)
        .payload(json("{\"sha\":\"" + sha + "\"}")).build()).get(0);
  }

  private static String sha(RunView run) {
    return run.params().get("sha").asText();
  }

  @Test
  void allowStartsARunForEveryEvent() {
    try (Harness h = harness(OverlapPolicy.ALLOW)) {
      TriggerFiring a = push(h, "a");
      TriggerFiring b = push(h, "b");
      assertThat(a.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED);
      assertThat(b.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED);
      h.awaitCalls("deploy", 2);
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(a.runId().orElseThrow()).state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.await(b.runId().orElseThrow()).state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void skipDropsEventsWhileThePreviousRunIsActive() {
    try (Harness h = harness(OverlapPolicy.SKIP)) {
      TriggerFiring a = push(h, "a");
      TriggerFiring b = push(h, "b");
      assertThat(b.outcome()).isEqualTo(TriggerFiring.Outcome.SKIPPED);
      assertThat(b.reason().orElseThrow()).contains(a.runId().orElseThrow());
      h.awaitCalls("deploy", 1);
      h.clock.advance(Duration.ofMinutes(1));
      h.await(a.runId().orElseThrow());
      TriggerFiring c = push(h, "c");
      assertThat(c.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED);
      assertThat(h.engine.triggers().counters("on-push").total()).isEqualTo(2);
    }
  }

  @Test
  void queueOneRunsTheLatestWaitingEventOnceThePreviousRunEnds() {
    try (Harness h = harness(OverlapPolicy.QUEUE_ONE)) {
      TriggerFiring a = push(h, "a");
      assertThat(push(h, "b").outcome()).isEqualTo(TriggerFiring.Outcome.QUEUED);
      assertThat(push(h, "c").outcome()).isEqualTo(TriggerFiring.Outcome.QUEUED);
      h.awaitCalls("deploy", 1);
      h.clock.advance(Duration.ofMinutes(1));
      h.await(a.runId().orElseThrow());
      h.awaitCalls("deploy", 2);
      h.clock.advance(Duration.ofMinutes(1));

      h.until("two runs completed", () ->
          h.engine.list(RunQuery.all().states(RunState.COMPLETED)).total() == 2);
      assertThat(h.engine.list(RunQuery.all()).items()).extracting(r -> h.engine.get(r.runId())
          .params().get("sha").asText()).containsExactlyInAnyOrder("a", "c");
    }
  }

  @Test
  void cancelPreviousStopsTheActiveRunAndStartsTheNewOne() {
    try (Harness h = harness(OverlapPolicy.CANCEL_PREVIOUS)) {
      TriggerFiring a = push(h, "a");
      h.awaitCalls("deploy", 1);
      TriggerFiring b = push(h, "b");
      assertThat(b.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED);
      RunView first = h.await(a.runId().orElseThrow());
      assertThat(first.state()).isEqualTo(RunState.STOPPED);
      assertThat(h.engine.history(first.runId())).singleElement()
          .satisfies(e -> assertThat(e.operator()).isEqualTo("trigger:on-push"));
      h.awaitCalls("deploy", 2);
      h.clock.advance(Duration.ofMinutes(1));
      RunView second = h.await(b.runId().orElseThrow());
      assertThat(second.state()).isEqualTo(RunState.COMPLETED);
      assertThat(sha(second)).isEqualTo("b");
      assertThat(h.engine.list(RunQuery.all()).items()).extracting(RunSummary::state)
          .containsExactlyInAnyOrder(RunState.STOPPED, RunState.COMPLETED);
    }
  }
}
