package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static dev.dagflow.engine.EventTriggersTest.oneNode;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import dev.dagflow.testing.Outcome;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import dev.dagflow.trigger.TriggerExplanation;
import dev.dagflow.trigger.TriggerExplanation.Check;
import dev.dagflow.trigger.TriggerExplanation.Check.Kind;
import dev.dagflow.trigger.TriggerFiring;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@code triggers().explain(trigger, event)}: a trigger, saved or not, tested against a sample
 * event says what emitting it would do now and why, and changes nothing.
 */
class TriggerExplainTest {

  private static EventTrigger.Builder scanNewAssets() {
    return EventTrigger.builder("scan-new-assets").project("acme").eventType("asset_created")
        .filter("{\"payload.asset.type\": [\"domain\", \"ip\"]}").template("scan")
        .map("target", "payload.asset.domain");
  }

  private static Event asset(String id, String type) {
    return EventTriggersTest.asset(id, "acme", type, "a.example");
  }

  private static Harness withScanTemplate() {
    Harness h = new Harness("t");
    h.executor.script("dns", Outcome.succeed().after(Duration.ofMinutes(1)));
    h.engine.templates().save("scan", Optional.of("acme"), oneNode("scan", "dns"));
    return h;
  }

  private static boolean passed(TriggerExplanation x, Kind kind) {
    return x.check(kind).orElseThrow().passed();
  }

  @Test
  void anUnsavedTriggerIsExplainedKeyByKeyAndNothingStarts() {
    try (Harness h = withScanTemplate()) {
      DagEngine engine = h.engine;
      // docs:start
      EventTrigger draft = EventTrigger.builder("scan-new-assets").project("acme")
          .eventType("asset_created").filter("{\"payload.asset.type\": [\"domain\", \"ip\"]}")
          .template("scan").map("target", "payload.asset.domain").build();
      Event sample = Event.builder("asset_created").id("e-1").project("acme")
          .payload(json("{\"asset\": {\"type\": \"url\", \"domain\": \"a.example\"}}")).build();
      TriggerExplanation why = engine.triggers().explain(draft, sample);
      String report = why.toString(); // the verdict, then every check
      // docs:end
      assertThat(why.matches()).isFalse();
      assertThat(why.outcome()).isEmpty();
      assertThat(why.checks()).extracting(Check::kind).containsExactly(Kind.values());
      assertThat(why.checks()).filteredOn(c -> !c.passed()).extracting(Check::kind)
          .containsExactly(Kind.FILTER);
      assertThat(why.filter().lines()).containsExactly(
          "payload.asset.type: \"url\" is not one of [\"domain\",\"ip\"] -> no match");
      assertThat(why.parameters()).contains(json("{\"target\": \"a.example\"}"));
      assertThat(report).isEqualTo(String.join("\n",
          "trigger 'scan-new-assets' on event 'e-1': no match",
          "  ENABLED      pass  enabled",
          "  EVENT_TYPE   pass  listens to asset_created; the event is asset_created",
          "  PROJECT      pass  project acme; the event's is acme",
          "  FILTER       FAIL  {\"payload.asset.type\":[\"domain\",\"ip\"]} -> no match",
          "      payload.asset.type: \"url\" is not one of [\"domain\",\"ip\"] -> no match",
          "  CHAIN_DEPTH  pass  depth 0, the limit is 16",
          "  OVERLAP      pass  ALLOW; no active run",
          "  TEMPLATE     pass  scan v1 (the latest)",
          "  PARAMETERS   pass  {\"target\":\"a.example\"}"));

      TriggerExplanation domain = h.engine.triggers().explain(draft, asset("e-2", "domain"));
      assertThat(domain.matches()).isTrue();
      assertThat(domain.outcome()).contains(TriggerFiring.Outcome.STARTED);

      assertThat(h.engine.list(RunQuery.all()).total()).isZero();
      assertThat(h.engine.triggers().get("scan-new-assets")).isEmpty();
    }
  }

  @Test
  void explainingASavedTriggerCountsNothingAndMarksNoEventProcessed() {
    try (Harness h = withScanTemplate()) {
      EventTrigger saved = scanNewAssets().build();
      h.engine.triggers().save(saved);
      Event event = asset("e-1", "ip");

      assertThat(h.engine.triggers().explain(saved, event).outcome())
          .contains(TriggerFiring.Outcome.STARTED);
      assertThat(h.engine.triggers().explain(saved, event).outcome())
          .as("asking twice changes nothing").contains(TriggerFiring.Outcome.STARTED);
      assertThat(h.engine.triggers().counters("scan-new-assets").total()).isZero();
      assertThat(h.engine.list(RunQuery.all()).total()).isZero();

      assertThat(h.engine.emit(event)).singleElement().extracting(TriggerFiring::outcome)
          .as("the event was not marked processed").isEqualTo(TriggerFiring.Outcome.STARTED);
      assertThat(h.engine.triggers().counters("scan-new-assets").total()).isEqualTo(1);
    }
  }

  @Test
  void theEnabledTypeAndProjectChecksEachSayWhatTheyCompared() {
    try (Harness h = withScanTemplate()) {
      EventTrigger off = scanNewAssets().enabled(false).build();
      Event other = Event.builder("asset_deleted").id("e-1").project("beta")
          .payload(json("{\"asset\": {\"type\": \"ip\", \"domain\": \"b.example\"}}")).build();
      TriggerExplanation why = h.engine.triggers().explain(off, other);

      assertThat(why.matches()).isFalse();
      assertThat(why.outcome()).isEmpty();
      assertThat(why.checks()).filteredOn(c -> !c.passed()).extracting(Check::kind,
          Check::detail).containsExactly(
          org.assertj.core.groups.Tuple.tuple(Kind.ENABLED, "disabled"),
          org.assertj.core.groups.Tuple.tuple(Kind.EVENT_TYPE,
              "listens to asset_created; the event is asset_deleted"),
          org.assertj.core.groups.Tuple.tuple(Kind.PROJECT, "project acme; the event's is beta"));
      assertThat(passed(why, Kind.FILTER)).as("every check is made").isTrue();

      EventTrigger global = scanNewAssets().global().build();
      assertThat(h.engine.triggers().explain(global, asset("e-2", "ip"))
          .check(Kind.PROJECT).orElseThrow().detail())
          .isEqualTo("global: sees every project; the event's is acme");
    }
  }

  @Test
  void aFilterOnTheEventsProjectAndTypeIsExplainedLikeAPayloadKey() {
    try (Harness h = withScanTemplate()) {
      h.engine.templates().save("scan-all", Optional.empty(), oneNode("scan-all", "dns"));
      EventTrigger t = scanNewAssets().global().template("scan-all").filter("{\"project\":"
          + " \"acme\", \"type\": [\"asset_created\", \"asset_updated\"]}").build();
      TriggerExplanation why = h.engine.triggers().explain(t, asset("e-1", "url"));
      assertThat(why.filter().lines()).hasSize(2).allMatch(line -> line.endsWith("-> match"));
      assertThat(why.filter().lines().get(0)).startsWith("project: \"acme\"");
      assertThat(why.filter().lines().get(1)).startsWith("type: \"asset_created\"");
      assertThat(why.outcome()).contains(TriggerFiring.Outcome.STARTED);
      Event elsewhere = EventTriggersTest.asset("e-2", "beta", "ip", "b.example");
      assertThat(h.engine.triggers().explain(t, elsewhere).filter().lines().get(0))
          .startsWith("project: \"beta\"").endsWith("-> no match");
    }
  }

  @Test
  void overlapAndChainDepthSayWhatEmitWouldDoNow() {
    try (Harness h = withScanTemplate()) {
      h.engine.triggers().save(scanNewAssets().overlap(OverlapPolicy.SKIP).build());
      TriggerFiring first = h.engine.emit(asset("e-1", "ip")).get(0);
      String active = first.runId().orElseThrow();
      h.awaitCalls("dns", 1);

      TriggerExplanation skip = h.engine.triggers()
          .explain(scanNewAssets().overlap(OverlapPolicy.SKIP).build(), asset("e-2", "ip"));
      assertThat(skip.outcome()).contains(TriggerFiring.Outcome.SKIPPED);
      assertThat(skip.activeRuns()).containsExactly(active);
      assertThat(skip.check(Kind.OVERLAP).orElseThrow().detail())
          .isEqualTo("SKIP: its previous run " + active + " is still active");

      TriggerExplanation queue = h.engine.triggers()
          .explain(scanNewAssets().overlap(OverlapPolicy.QUEUE_ONE).build(), asset("e-2", "ip"));
      assertThat(queue.outcome()).contains(TriggerFiring.Outcome.QUEUED);
      TriggerExplanation cancel = h.engine.triggers().explain(
          scanNewAssets().overlap(OverlapPolicy.CANCEL_PREVIOUS).build(), asset("e-2", "ip"));
      assertThat(cancel.outcome()).contains(TriggerFiring.Outcome.STARTED);
      assertThat(cancel.check(Kind.OVERLAP).orElseThrow().detail())
          .isEqualTo("CANCEL_PREVIOUS: would stop " + active + " first");

      Event deep = asset("e-3", "ip").toBuilder().depth(17).build();
      TriggerExplanation chain = h.engine.triggers().explain(scanNewAssets().build(), deep);
      assertThat(chain.outcome()).contains(TriggerFiring.Outcome.CHAIN_LIMIT);
      assertThat(chain.check(Kind.CHAIN_DEPTH).orElseThrow())
          .isEqualTo(new Check(Kind.CHAIN_DEPTH, false, "depth 17, the limit is 16"));

      assertThat(h.engine.get(active).state()).as("nothing was stopped")
          .isEqualTo(RunState.RUNNING);
      assertThat(h.engine.list(RunQuery.all()).total()).isEqualTo(1);
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(active).state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.triggers().explain(scanNewAssets().overlap(OverlapPolicy.SKIP)
          .build(), asset("e-2", "ip")).outcome()).as("once the run has ended")
          .contains(TriggerFiring.Outcome.STARTED);
    }
  }

  @Test
  void aMissingTemplateOrMappedFieldWouldFailToStart() {
    try (Harness h = withScanTemplate()) {
      TriggerExplanation noTemplate = h.engine.triggers()
          .explain(scanNewAssets().template("nope").build(), asset("e-1", "ip"));
      assertThat(noTemplate.outcome()).contains(TriggerFiring.Outcome.FAILED);
      assertThat(noTemplate.check(Kind.TEMPLATE).orElseThrow().detail())
          .contains("no template named 'nope'");

      TriggerExplanation noField = h.engine.triggers()
          .explain(scanNewAssets().map("owner", "payload.owner").build(), asset("e-2", "ip"));
      assertThat(noField.outcome()).contains(TriggerFiring.Outcome.FAILED);
      assertThat(noField.parameters()).isEmpty();
      assertThat(noField.check(Kind.PARAMETERS).orElseThrow().detail())
          .isEqualTo("mapping.owner: path 'payload.owner' is missing in event e-2 (trigger"
              + " scan-new-assets)");
    }
  }

  @Test
  void aTriggerThatSaveWouldRefuseForItsTargetWouldNotStartARun() {
    try (Harness h = withScanTemplate()) {
      EventTrigger global = EventTrigger.builder("everyone").eventType("asset_created")
          .template("scan").build(); // a global trigger, and scan is acme's

      TriggerExplanation x = h.engine.triggers().explain(global, asset("e-1", "ip"));

      assertThat(x.outcome()).contains(TriggerFiring.Outcome.FAILED);
      assertThat(x.check(Kind.TEMPLATE).orElseThrow().detail())
          .contains("global trigger 'everyone' may not start template 'scan' of project 'acme'");
    }
  }

  @Test
  void anEventWithoutATimeIsStampedWithTheEnginesClockAsEmitWould() {
    try (Harness h = withScanTemplate()) {
      EventTrigger t = scanNewAssets().filter("{\"time\": \"2026-11-23T10:00:00Z\"}")
          .map("at", "time").build();
      TriggerExplanation why = h.engine.triggers().explain(t, asset("e-1", "ip"));
      assertThat(why.matches()).isTrue();
      assertThat(why.parameters().orElseThrow().get("at").asText())
          .isEqualTo("2026-11-23T10:00:00Z");
    }
  }

  @Test
  void anExplanationIsAnImmutableValue() {
    try (Harness h = withScanTemplate()) {
      TriggerExplanation why = h.engine.triggers().explain(scanNewAssets().build(),
          asset("e-1", "ip"));
      ((ObjectNode) why.parameters().orElseThrow()).put("target", "changed");
      assertThat(why.parameters().orElseThrow().get("target").asText()).isEqualTo("a.example");
      assertThatThrownBy(() -> why.checks().add(why.checks().get(0)))
          .isInstanceOf(UnsupportedOperationException.class);
      assertThat(why).isEqualTo(h.engine.triggers().explain(scanNewAssets().build(),
          asset("e-1", "ip")));
      assertThatThrownBy(() -> new TriggerExplanation("t", "e",
          Optional.of(TriggerFiring.Outcome.DUPLICATE), List.of(), why.filter(),
          Optional.empty(), List.of())).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> h.engine.triggers().explain(null, asset("e-1", "ip")))
          .isInstanceOf(NullPointerException.class);
    }
  }
}
