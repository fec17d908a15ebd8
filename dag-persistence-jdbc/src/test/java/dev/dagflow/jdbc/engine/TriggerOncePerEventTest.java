package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerFiring;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one database, each through a pool of its own, receive every event at the same
 * moment; two triggers match each. Each trigger starts exactly one run per event (the other
 * engine's firing is a duplicate), counted in the store by the runs' start keys {@code
 * trigger:<id>/<event id>}. After both engines stop, two new ones receive the same events again,
 * at once as well: nothing more starts.
 */
abstract class TriggerOncePerEventTest {
  private static final List<String> TRIGGERS = List.of("on-push", "audit-push");
  private static final int EVENTS = 50;
  private static final Duration WAIT = Duration.ofSeconds(30);

  private final List<HikariDataSource> pools = new ArrayList<>();

  abstract TestDatabase database();

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  private DagEngine engine(String instance) {
    HikariDataSource pool = database().settings().pool(instance, 6);
    pools.add(pool);
    return DagEngine.builder().stores(JdbcStores.builder(pool).build()).instanceId(instance)
        .leaseTime(Duration.ofSeconds(1)).handler("t", ctx -> null).build();
  }

  private static Event push(int i) {
    return Event.builder("push").id("push-" + i)
        .payload(JsonNodeFactory.instance.objectNode().put("sha", "sha-" + i)).build();
  }

  @Test
  void anEventReceivedByTwoInstancesAtOnceStartsOneRunPerTriggerAndNoneAfterARestart()
      throws Exception {
    database().clear();
    RunStore runs = JdbcStores.builder(database().dataSource()).build().runs();
    List<String> started = new ArrayList<>();
    try (DagEngine a = engine("trigger-a"); DagEngine b = engine("trigger-b")) {
      a.templates().save("deploy", Optional.empty(),
          DagSpec.builder("deploy").node(NodeSpec.task("deploy", "t")).build());
      for (String trigger : TRIGGERS) {
        a.triggers().save(EventTrigger.builder(trigger).eventType("push").template("deploy")
            .map("sha", "payload.sha").build());
      }
      a.start();
      b.start();
      Map<String, List<TriggerFiring>> firings = race(a, b);
      for (int i = 0; i < EVENTS; i++) {
        for (String trigger : TRIGGERS) {
          String key = trigger + " on push-" + i;
          List<TriggerFiring> of = firings.get(trigger + "/push-" + i);
          assertThat(of).as(key).extracting(TriggerFiring::outcome)
              .containsExactlyInAnyOrder(TriggerFiring.Outcome.STARTED,
                  TriggerFiring.Outcome.DUPLICATE);
          of.forEach(f -> f.runId().ifPresent(started::add));
        }
      }
      for (String run : started) {
        assertThat(a.await(run, WAIT).state()).as(run).isEqualTo(RunState.COMPLETED);
      }
      assertOneRunPerTriggerAndEvent(runs, started);
      for (String trigger : TRIGGERS) {
        assertThat(a.triggers().counters(trigger).success()).as(trigger).isEqualTo(EVENTS);
      }
    }

    try (DagEngine c = engine("trigger-c"); DagEngine d = engine("trigger-d")) {
      c.start();
      d.start();
      Map<String, List<TriggerFiring>> again = race(c, d);
      assertThat(again.values()).as("after a restart").allSatisfy(of -> assertThat(of)
          .extracting(TriggerFiring::outcome).containsOnly(TriggerFiring.Outcome.DUPLICATE)
          .hasSize(2));
      assertThat(again).hasSize(EVENTS * TRIGGERS.size());
      assertOneRunPerTriggerAndEvent(runs, started);
      for (String trigger : TRIGGERS) {
        assertThat(c.triggers().counters(trigger).total()).as(trigger).isEqualTo(EVENTS);
      }
    }
  }

  private static void assertOneRunPerTriggerAndEvent(RunStore runs, List<String> started) {
    List<RunSummary> all = new ArrayList<>();
    for (int page = 0; all.size() < EVENTS * TRIGGERS.size() + 1; page++) {
      List<RunSummary> items = runs.list(RunQuery.all().page(page, 100)).items();
      if (items.isEmpty()) {
        break;
      }
      all.addAll(items);
    }
    assertThat(all).extracting(RunSummary::runId).containsExactlyInAnyOrderElementsOf(started);
    for (int i = 0; i < EVENTS; i++) {
      String event = "push-" + i;
      for (String trigger : TRIGGERS) {
        String startKey = "trigger:" + trigger + "/" + event;
        assertThat(all).as(startKey).filteredOn(r -> r.startKey().equals(Optional.of(startKey)))
            .singleElement().satisfies(r -> assertThat(r.cause()).contains(event));
      }
    }
  }

  /**
   * Emits {@code push-0 … push-<n-1>} on one thread per engine, each event on both at once;
   * returns the firings by trigger and event id.
   */
  private static Map<String, List<TriggerFiring>> race(DagEngine first, DagEngine second)
      throws Exception {
    Map<String, List<TriggerFiring>> byEvent = new ConcurrentHashMap<>();
    CyclicBarrier together = new CyclicBarrier(2);
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (DagEngine engine : List.of(first, second)) {
        done.add(threads.submit(() -> {
          for (int i = 0; i < EVENTS; i++) {
            together.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            for (TriggerFiring f : engine.emit(push(i))) {
              byEvent.computeIfAbsent(f.triggerId() + "/" + f.eventId(),
                  k -> new CopyOnWriteArrayList<>()).add(f);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get(WAIT.toSeconds(), TimeUnit.SECONDS);
      }
    } finally {
      threads.shutdownNow();
    }
    return byEvent;
  }
}
