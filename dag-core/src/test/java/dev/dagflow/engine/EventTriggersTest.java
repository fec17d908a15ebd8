package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.template.UnknownTemplateException;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.InvalidTriggerException;
import dev.dagflow.trigger.TriggerCounters;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerFiring.Outcome;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Events start runs through triggers: counters, dedupe, overlap, isolation, chain limits. */
class EventTriggersTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static DagSpec oneNode(String id, String node) {
    return DagSpec.builder(id).node(NodeSpec.task(node, "t")).build();
  }

  static Event asset(String id, String project, String type, String domain) {
    return Event.builder("asset_created").id(id).project(project)
        .payload(json("{\"asset\":{\"type\":\"" + type + "\",\"domain\":\"" + domain + "\"}}"))
        .build();
  }

  private static EventTrigger.Builder onAsset(String id, String project, String template) {
    return EventTrigger.builder(id).project(project).eventType("asset_created")
        .filter("{\"payload.asset.type\": [\"domain\", \"ip\"]}").template(template)
        .map("domain", "payload.asset.domain");
  }

  @Test
  void countersAfterASuccessfulAndAFailingStartKeepTheReason() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.of("acme"), oneNode("scan", "dns"));
      h.engine.triggers().save(onAsset("on-asset", "acme", "scan").build());

      List<TriggerFiring> ok = h.engine.emit(asset("e1", "acme", "domain", "a.example"));
      assertThat(ok).singleElement().satisfies(f -> {
        assertThat(f.outcome()).isEqualTo(Outcome.STARTED);
        assertThat(h.await(f.runId().orElseThrow()).params().get("domain").asText())
            .isEqualTo("a.example");
      });
      h.engine.templates().delete("scan");
      List<TriggerFiring> failed = h.engine.emit(asset("e2", "acme", "ip", "b.example"));

      assertThat(failed).singleElement().satisfies(f -> {
        assertThat(f.outcome()).isEqualTo(Outcome.FAILED);
        assertThat(f.reason().orElseThrow()).contains("no template named 'scan'");
      });
      TriggerCounters c = h.engine.triggers().counters("on-asset");
      assertThat(c.total()).isEqualTo(2);
      assertThat(c.success()).isEqualTo(1);
      assertThat(c.failed()).isEqualTo(1);
      assertThat(c.lastError().orElseThrow()).contains("no template named 'scan'");
      assertThat(c.lastFired()).contains(Harness.T0);
    }
  }

  @Test
  void theListFilterMatchesDomainAndIpButNotUrl() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.empty(), oneNode("scan", "dns"));
      h.engine.triggers().save(onAsset("on-asset", "acme", "scan").build());
      assertThat(h.engine.emit(asset("1", "acme", "domain", "x"))).hasSize(1);
      assertThat(h.engine.emit(asset("2", "acme", "ip", "x"))).hasSize(1);
      assertThat(h.engine.emit(asset("3", "acme", "url", "x"))).isEmpty();
      assertThat(h.engine.triggers().counters("on-asset").total()).isEqualTo(2);
    }
  }

  @Test
  void theSameEventIdFiresEachTriggerOnce() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.empty(), oneNode("scan", "dns"));
      h.engine.templates().save("audit", Optional.empty(), oneNode("audit", "log"));
      h.engine.triggers().save(onAsset("a", "acme", "scan").build());
      h.engine.triggers().save(onAsset("b", "acme", "audit").map("domain", "payload.asset.domain")
          .build());
      Event event = asset("same-id", "acme", "domain", "x");

      assertThat(h.engine.emit(event)).extracting(TriggerFiring::outcome)
          .containsExactly(Outcome.STARTED, Outcome.STARTED);
      assertThat(h.engine.emit(event)).extracting(TriggerFiring::outcome)
          .containsExactly(Outcome.DUPLICATE, Outcome.DUPLICATE);
      assertThat(h.engine.list(RunQuery.all()).total()).isEqualTo(2);
      assertThat(h.engine.triggers().counters("a").total()).isEqualTo(1);
    }
  }

  @Test
  void aMappingToAMissingEventFieldIsAFailedStartWithTheReason() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.empty(), oneNode("scan", "dns"));
      h.engine.triggers().save(onAsset("a", "acme", "scan").map("owner", "payload.owner").build());
      TriggerFiring f = h.engine.emit(asset("1", "acme", "domain", "x")).get(0);
      assertThat(f.outcome()).isEqualTo(Outcome.FAILED);
      assertThat(f.reason().orElseThrow()).contains("mapping.owner").contains("payload.owner");
      assertThat(h.engine.list(RunQuery.all()).total()).isZero();
      assertThat(h.engine.triggers().counters("a").failed()).isEqualTo(1);
    }
  }

  @Test
  void aTriggerIsCheckedWhenSavedAndNothingIsHalfSaved() {
    try (Harness h = new Harness("t")) {
      assertThatThrownBy(() -> h.engine.triggers().save(onAsset("a", "acme", "nope").build()))
          .isInstanceOf(UnknownTemplateException.class).hasMessageContaining("'nope'");
      h.engine.templates().save("lab-scan", Optional.of("lab"), oneNode("scan", "dns"));
      assertThatThrownBy(() -> h.engine.triggers().save(onAsset("b", "acme", "lab-scan")
          .build())).isInstanceOf(InvalidTriggerException.class)
          .hasMessageStartingWith("template: ").hasMessageContaining("'lab'");
      assertThat(h.engine.triggers().list()).isEmpty();
      assertThat(h.engine.emit(asset("1", "acme", "domain", "x"))).isEmpty();
    }
  }

  @Test
  void projectIsolationAndGlobalTemplates() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("b-scan", Optional.of("beta"), oneNode("scan", "dns"));
      h.engine.templates().save("shared", Optional.empty(), oneNode("shared", "dns"));
      h.engine.triggers().save(onAsset("beta-trigger", "beta", "b-scan").build());
      h.engine.triggers().save(onAsset("alpha-trigger", "alpha", "shared").build());
      h.engine.triggers().save(onAsset("beta-shared", "beta", "shared").build());

      List<TriggerFiring> alpha = h.engine.emit(asset("1", "alpha", "domain", "x"));
      assertThat(alpha).extracting(TriggerFiring::triggerId).containsExactly("alpha-trigger");
      RunView run = h.await(alpha.get(0).runId().orElseThrow());
      assertThat(run.template()).contains("shared");
      assertThat(run.project()).contains("alpha");
      assertThat(h.engine.list(RunQuery.all().project("beta")).total()).isZero();

      List<TriggerFiring> beta = h.engine.emit(asset("2", "beta", "domain", "x"));
      assertThat(beta).extracting(TriggerFiring::triggerId)
          .containsExactly("beta-shared", "beta-trigger");
      assertThat(h.engine.list(RunQuery.all().project("beta")).items())
          .extracting(RunSummary::template).containsExactlyInAnyOrder(Optional.of("shared"),
              Optional.of("b-scan"));
    }
  }

  @Test
  void chainsOfTriggersStopAtTheDepthLimitWithAnEventAndALogLine() {
    List<Event> events = new CopyOnWriteArrayList<>();
    EngineListener listener = new EngineListener() {
      @Override
      public void onEvent(Event event) {
        events.add(event);
      }
    };
    try (Harness h = new Harness(b -> b.maxChainDepth(4).listener(listener), "t")) {
      h.executor.defaultOutcome(dev.dagflow.testing.Outcome.succeed()); // the others succeed
      h.engine.templates().save("a", Optional.empty(), oneNode("a", "x"));
      h.engine.templates().save("b", Optional.empty(), oneNode("b", "y"));
      // a's completion starts b, b's starts a: forever, but for the limit
      h.engine.triggers().save(EventTrigger.builder("a-to-b").eventType("run.completed")
          .filter("{\"payload.template\": \"a\"}").template("b").build());
      h.engine.triggers().save(EventTrigger.builder("b-to-a").eventType("run.completed")
          .filter("{\"payload.template\": \"b\"}").template("a").build());
      String first = h.engine.submit("a", json("{}"));

      h.until("a chain.limit_reached event", () ->
          events.stream().anyMatch(e -> e.type().equals("chain.limit_reached")));
      List<RunSummary> runs = h.engine.list(RunQuery.all()).items();
      assertThat(runs).hasSize(5); // depth 0 (submitted) to 4
      assertThat(runs).allSatisfy(r -> assertThat(r.state()).isEqualTo(RunState.COMPLETED));
      assertThat(runs).extracting(RunSummary::chainDepth).containsExactlyInAnyOrder(0, 1, 2, 3, 4);
      Event limit = events.stream().filter(e -> e.type().equals("chain.limit_reached"))
          .findFirst().orElseThrow();
      assertThat(limit.payload().get("depth").asInt()).isEqualTo(5);
      RunSummary last = runs.stream().filter(r -> r.chainDepth() == 4).findFirst().orElseThrow();
      assertThat(h.engine.logs(LogQuery.of(last.runId()))).extracting(LogEntry::message)
          .anyMatch(m -> m.contains("chain depth 5") && m.contains("limit is 4"));
      assertThat(first).isNotNull();
    }
  }

  @Test
  void nodeEventsCarryTheResultOrTheErrorAndTheRunsProject() {
    List<Event> events = new CopyOnWriteArrayList<>();
    EngineListener listener = new EngineListener() {
      @Override
      public void onEvent(Event event) {
        events.add(event);
      }
    };
    try (Harness h = new Harness(b -> b.listener(listener), "t")) {
      h.executor.defaultOutcome(dev.dagflow.testing.Outcome.succeed()); // the others succeed
      h.executor.script("bad", dev.dagflow.testing.Outcome.failPermanently("E_X", "broken"));
      String run = h.submit(DagSpec.builder("d").scope(DagScope.project("acme", true))
          .node(NodeSpec.task("good", "t")).node(NodeSpec.task("bad", "t")).build());
      h.await(run);
      h.until("a run.failed event", () ->
          events.stream().anyMatch(e -> e.type().equals("run.failed")));

      Event good = events.stream().filter(e -> e.type().equals("node.completed")).findFirst()
          .orElseThrow();
      assertThat(good.project()).contains("acme");
      assertThat(good.payload().get("nodeId").asText()).isEqualTo("good");
      assertThat(good.payload().get("result").get("node").asText()).isEqualTo("good");
      assertThat(good.cause()).contains(run);
      assertThat(good.depth()).isEqualTo(1);
      Event bad = events.stream().filter(e -> e.type().equals("node.failed")).findFirst()
          .orElseThrow();
      assertThat(bad.payload().get("errorCode").asText()).isEqualTo("E_X");
      Event failed = events.stream().filter(e -> e.type().equals("run.failed")).findFirst()
          .orElseThrow();
      assertThat(failed.payload().get("state").asText()).isEqualTo("FAILED");
      assertThat(failed.payload().get("results").has("good")).isTrue();
    }
  }

  @Test
  void savedTriggersFireAfterARestartAndRememberProcessedEvents() {
    dev.dagflow.store.Stores stores = dev.dagflow.store.Stores.inMemory();
    DagEngine first = DagEngine.builder().stores(stores).handler("t", ctx -> null).build();
    first.start();
    first.templates().save("scan", Optional.empty(), oneNode("scan", "dns"));
    first.triggers().save(onAsset("a", "acme", "scan").build());
    assertThat(first.emit(asset("e1", "acme", "domain", "x"))).hasSize(1);
    first.close();

    try (DagEngine second = DagEngine.builder().stores(stores).handler("t", ctx -> null)
        .build()) {
      second.start();
      assertThat(second.emit(asset("e1", "acme", "domain", "x")))
          .extracting(TriggerFiring::outcome).containsExactly(Outcome.DUPLICATE);
      assertThat(second.emit(asset("e2", "acme", "domain", "x")))
          .extracting(TriggerFiring::outcome).containsExactly(Outcome.STARTED);
      assertThat(second.triggers().counters("a").success()).isEqualTo(2);
    }
  }

  @Test
  void anEventWithoutATypeIsRefusedBeforeTheEngineSeesIt() {
    assertThatThrownBy(() -> Event.builder(" ").build())
        .isInstanceOf(dev.dagflow.trigger.InvalidEventException.class)
        .hasMessageContaining("type");
    try (Harness h = new Harness("t")) {
      assertThatThrownBy(() -> h.engine.emit(null)).isInstanceOf(NullPointerException.class)
          .hasMessageContaining("event");
    }
  }

  @Test
  void triggersChainingRunsThatEndAtOnceFromTwoThreadsNeverDeadlock() throws Exception {
    try (Harness h = new Harness(b -> b.maxChainDepth(3), "t")) {
      // activation false: each run ends in the step that starts it, on the emitting thread
      ObjectNode never = json("{\"params.go\": true}");
      for (String name : List.of("a", "b")) {
        h.engine.templates().save(name, Optional.empty(), DagSpec.builder(name)
            .node(NodeSpec.task("x", "t").activation(never)).build());
      }
      h.engine.triggers().save(EventTrigger.builder("a-to-b").eventType("run.completed")
          .filter("{\"payload.template\": \"a\"}").template("b").build());
      h.engine.triggers().save(EventTrigger.builder("b-to-a").eventType("run.completed")
          .filter("{\"payload.template\": \"b\"}").template("a").build());
      h.engine.triggers().save(EventTrigger.builder("go-a").eventType("go").template("a")
          .build());
      h.engine.triggers().save(EventTrigger.builder("go-b").eventType("go2").template("b")
          .build());
      List<Thread> threads = new java.util.ArrayList<>();
      for (String type : List.of("go", "go2")) {
        Thread t = new Thread(() -> {
          for (int i = 0; i < 50; i++) {
            h.engine.emit(Event.builder(type).build());
          }
        });
        threads.add(t);
        t.start();
      }
      for (Thread t : threads) {
        t.join(Harness.WAIT.toMillis());
        assertThat(t.isAlive()).as("emitting thread deadlocked").isFalse();
      }
      // 100 outside events, each starting a chain of 4 runs (depths 0 to 3)
      h.until("400 runs completed", () ->
          h.engine.list(RunQuery.all().states(RunState.COMPLETED)).total() == 400);
    }
  }
}
