package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.Outcome;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import dev.dagflow.trigger.TriggerCounters;
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
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * A trigger fires exactly once per event even when the engine crashes between matching the
 * event and creating its run, or right after: the run is created with the start key {@code
 * trigger:<triggerId>/<eventId>}, and the event is marked processed only once its run is
 * stored. The crashes are store failures injected by {@link FaultyRunStore} and {@link
 * FaultyTriggerStore} around shared in-memory stores; a delivery of the event again is an emit
 * of the same event.
 */
class TriggerFiresOncePerEventTest {
  private static final String TRIGGER = "on-push";

  /** The stores the engines of a test share, each engine through wrappers of its own. */
  private final Stores shared = Stores.inMemory();
  private final FaultyRunStore runs = new FaultyRunStore(shared.runs());
  private final FaultyTriggerStore triggers = new FaultyTriggerStore(shared.triggers());

  /** An engine on the shared stores through this test's wrappers. */
  private Harness harness(OverlapPolicy overlap, Consumer<DagEngine.Builder> configure) {
    Harness h = new Harness(b -> configure.accept(b.stores(Stores.of(runs, shared.logs(),
        shared.policies(), shared.templates(), triggers))), "t");
    h.executor.script("deploy", Outcome.succeed().after(Duration.ofMinutes(1)));
    h.engine.templates().save("deploy", Optional.empty(),
        DagSpec.builder("deploy").node(NodeSpec.task("deploy", "t")).build());
    h.engine.triggers().save(EventTrigger.builder(TRIGGER).eventType("push")
        .template("deploy").map("sha", "payload.sha").overlap(overlap).build());
    return h;
  }

  private Harness harness() {
    return harness(OverlapPolicy.ALLOW, b -> { });
  }

  private static Event push(String sha) {
    return Event.builder("push").id("push-" + sha).payload(json("{\"sha\":\"" + sha + "\"}"))
        .build();
  }

  private static TriggerFiring emit(DagEngine engine, Event event) {
    List<TriggerFiring> firings = engine.emit(event);
    assertThat(firings).hasSize(1);
    return firings.get(0);
  }

  private List<RunSummary> runsOf(Event event) {
    return shared.runs().list(RunQuery.all().page(0, RunQuery.MAX_PAGE_SIZE)).items().stream()
        .filter(r -> r.cause().equals(Optional.of(event.id()))).toList();
  }

  private static void assertCounted(DagEngine engine, long success, long failed) {
    TriggerCounters c = engine.triggers().counters(TRIGGER);
    assertThat(c.success()).as("successes").isEqualTo(success);
    assertThat(c.failed()).as("failures").isEqualTo(failed);
    assertThat(c.total()).as("total").isEqualTo(success + failed);
  }

  @Test
  void aStoreFailureBeforeTheRunIsCreatedLosesNoEvent() {
    try (Harness h = harness()) {
      Event a = push("a");
      runs.failNextCreates(1);
      TriggerFiring failed = emit(h.engine, a);
      assertThat(failed.outcome()).isEqualTo(TriggerFiring.Outcome.FAILED);
      assertThat(failed.reason().orElseThrow()).contains("injected failure");
      assertThat(runsOf(a)).isEmpty();
      assertThat(shared.triggers().isProcessed(TRIGGER, a.id())).isFalse();

      TriggerFiring again = emit(h.engine, a);
      assertThat(again.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED);
      assertThat(emit(h.engine, a).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);

      assertThat(runsOf(a)).singleElement().satisfies(r -> {
        assertThat(r.runId()).isEqualTo(again.runId().orElseThrow());
        assertThat(r.startKey()).contains("trigger:" + TRIGGER + "/push-a");
      });
      assertThat(runs.failures()).isEqualTo(1);
      assertCounted(h.engine, 1, 1);
      h.awaitCalls("deploy", 1);
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(again.runId().orElseThrow()).state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void aCrashAfterTheRunIsCreatedBeforeTheEventIsMarkedIsADuplicateWhenDeliveredAgain() {
    Event a = push("a");
    String runId;
    try (Harness h = harness()) {
      triggers.failNextMarks(1);
      TriggerFiring first = emit(h.engine, a);
      assertThat(first.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED);
      runId = first.runId().orElseThrow();
      assertThat(triggers.failures()).isEqualTo(1);
      assertThat(shared.triggers().isProcessed(TRIGGER, a.id())).isFalse();

      // only the run's start key knows of the event: it refuses a second run, and the mark
      // is written again for the deliveries to come
      TriggerFiring again = emit(h.engine, a);
      assertThat(again.outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(again.reason().orElseThrow()).contains(runId);
      assertThat(shared.triggers().isProcessed(TRIGGER, a.id())).isTrue();
      assertThat(emit(h.engine, a).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);

      assertThat(runsOf(a)).extracting(RunSummary::runId).containsExactly(runId);
      assertCounted(h.engine, 1, 0);
      h.awaitCalls("deploy", 1);
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(runId).state()).isEqualTo(RunState.COMPLETED);
    }
    // and after a restart, on an engine that never saw the event
    try (Harness restarted = harness()) {
      assertThat(emit(restarted.engine, a).outcome())
          .isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(runsOf(a)).extracting(RunSummary::runId).containsExactly(runId);
      assertCounted(restarted.engine, 1, 0);
    }
  }

  @Test
  void aRunWhoseCreationWasNeverAnsweredIsNotStartedTwiceNorLost() throws Exception {
    Duration lease = Duration.ofMillis(300);
    Event a = push("a");
    try (Harness h = harness(OverlapPolicy.ALLOW, b -> b.instanceId("engine-a")
        .leaseTime(lease))) {
      runs.loseNextCreateAnswers(1);
      TriggerFiring first = emit(h.engine, a);
      // the engine cannot tell a lost answer from a failed create: a failed start, not marked
      assertThat(first.outcome()).isEqualTo(TriggerFiring.Outcome.FAILED);
      assertThat(shared.triggers().isProcessed(TRIGGER, a.id())).isFalse();
      RunSummary stored = runsOf(a).get(0);

      TriggerFiring again = emit(h.engine, a);
      assertThat(again.outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(again.reason().orElseThrow()).contains(stored.runId());
      assertThat(runsOf(a)).extracting(RunSummary::runId).containsExactly(stored.runId());
      assertCounted(h.engine, 0, 1);

      // the stored run is held by engine-a, which never heard of it; engine-a stops (it would
      // claim the run back itself once its lease expired): another instance takes it over
      h.engine.close();
      try (DagEngine other = DagEngine.builder().instanceId("engine-b").leaseTime(lease)
          .stores(shared).handler("t", ctx -> null).build()) {
        other.start();
        assertThat(other.await(stored.runId(), Harness.WAIT).state())
            .isEqualTo(RunState.COMPLETED);
        assertThat(emit(other, a).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      }
      assertThat(runsOf(a)).hasSize(1);
    }
  }

  @Test
  void twoEnginesReceivingOneEventAtOnceStartOneRun() throws Exception {
    int events = 200;
    try (Harness first = harness();
        DagEngine second = DagEngine.builder().instanceId("engine-2")
            .stores(Stores.of(new FaultyRunStore(shared.runs()), shared.logs(),
                shared.policies(), shared.templates(), shared.triggers()))
            .handler("t", ctx -> null).build()) {
      first.executor.script("deploy", Outcome.succeed());
      second.start(); // after the trigger is saved: it loads it from the store
      List<DagEngine> engines = List.of(first.engine, second);
      Map<String, List<TriggerFiring>> byEvent = race(engines, events);

      for (int i = 0; i < events; i++) {
        Event e = push("e" + i);
        List<TriggerFiring> firings = byEvent.get(e.id());
        assertThat(firings).as("firings of %s", e.id()).hasSize(2);
        assertThat(firings).extracting(TriggerFiring::outcome).as("outcomes of %s", e.id())
            .containsExactlyInAnyOrder(TriggerFiring.Outcome.STARTED,
                TriggerFiring.Outcome.DUPLICATE);
        String started = firings.stream().flatMap(f -> f.runId().stream()).findFirst()
            .orElseThrow();
        assertThat(runsOf(e)).as("runs of %s", e.id()).extracting(RunSummary::runId)
            .containsExactly(started);
      }
      assertThat(shared.runs().list(RunQuery.all()).total()).isEqualTo(events);
      assertCounted(second, events, 0);
    }
  }

  @Test
  void oneEngineReceivingOneEventOnEightThreadsAtOnceStartsOneRun() throws Exception {
    int events = 100;
    try (Harness h = harness()) {
      h.executor.script("deploy", Outcome.succeed());
      List<DagEngine> engines = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        engines.add(h.engine);
      }
      Map<String, List<TriggerFiring>> byEvent = race(engines, events);

      for (int i = 0; i < events; i++) {
        Event e = push("e" + i);
        assertThat(byEvent.get(e.id())).extracting(TriggerFiring::outcome)
            .as("outcomes of %s", e.id()).containsOnlyOnce(TriggerFiring.Outcome.STARTED)
            .containsOnly(TriggerFiring.Outcome.STARTED, TriggerFiring.Outcome.DUPLICATE)
            .hasSize(8);
        assertThat(runsOf(e)).as("runs of %s", e.id()).hasSize(1);
      }
      assertCounted(h.engine, events, 0);
    }
  }

  /**
   * Emits events {@code push-e0 … push-e<n-1>} on one thread per engine of {@code engines}, each
   * event on every thread at once; returns the firings by event id.
   */
  private static Map<String, List<TriggerFiring>> race(List<DagEngine> engines, int n)
      throws Exception {
    Map<String, List<TriggerFiring>> byEvent = new ConcurrentHashMap<>();
    CyclicBarrier together = new CyclicBarrier(engines.size());
    ExecutorService pool = Executors.newFixedThreadPool(engines.size());
    try {
      List<Future<?>> threads = new ArrayList<>();
      for (DagEngine engine : engines) {
        threads.add(pool.submit(() -> {
          for (int i = 0; i < n; i++) {
            Event e = push("e" + i);
            together.await(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS);
            byEvent.computeIfAbsent(e.id(), k -> new CopyOnWriteArrayList<>())
                .add(emit(engine, e));
          }
          return null;
        }));
      }
      for (Future<?> f : threads) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    return byEvent;
  }

  @Test
  void anEventProcessedWithoutARunStaysProcessedWhenDeliveredAgain() {
    try (Harness h = harness(OverlapPolicy.SKIP, b -> { })) {
      TriggerFiring a = emit(h.engine, push("a"));
      assertThat(emit(h.engine, push("b")).outcome()).isEqualTo(TriggerFiring.Outcome.SKIPPED);
      h.awaitCalls("deploy", 1);
      h.clock.advance(Duration.ofMinutes(1));
      h.await(a.runId().orElseThrow());

      // nothing is active now, but b was processed: skipped, not to be started later
      assertThat(emit(h.engine, push("b")).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      // a start that fails for the event's own sake is processed too
      Event noSha = Event.builder("push").id("push-no-sha").payload(json("{}")).build();
      assertThat(emit(h.engine, noSha).outcome()).isEqualTo(TriggerFiring.Outcome.FAILED);
      assertThat(emit(h.engine, noSha).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(shared.runs().list(RunQuery.all()).total()).isEqualTo(1);
      assertCounted(h.engine, 1, 1);
    }
  }

  @Test
  void aQueuedEventReplacedByALaterOneIsNotStartedWhenDeliveredAgain() {
    try (Harness h = harness(OverlapPolicy.QUEUE_ONE, b -> { })) {
      TriggerFiring a = emit(h.engine, push("a"));
      assertThat(emit(h.engine, push("b")).outcome()).isEqualTo(TriggerFiring.Outcome.QUEUED);
      assertThat(emit(h.engine, push("c")).outcome()).isEqualTo(TriggerFiring.Outcome.QUEUED);
      assertThat(emit(h.engine, push("c")).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      h.awaitCalls("deploy", 1);
      h.clock.advance(Duration.ofMinutes(1));
      h.await(a.runId().orElseThrow());
      h.awaitCalls("deploy", 2); // c, queued
      h.clock.advance(Duration.ofMinutes(1));
      h.until("two runs completed", () ->
          h.engine.list(RunQuery.all().states(RunState.COMPLETED)).total() == 2);

      assertThat(emit(h.engine, push("b")).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(emit(h.engine, push("c")).outcome()).isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(shared.runs().list(RunQuery.all()).items())
          .extracting(r -> shared.runs().run(r.runId()).orElseThrow().params().get("sha")
              .asText()).containsExactlyInAnyOrder("a", "c");
    }
  }

  @Test
  void aDeliveryAgainAfterACrashDoesNotCancelTheRunItsEventStarted() {
    try (Harness h = harness(OverlapPolicy.CANCEL_PREVIOUS, b -> { })) {
      triggers.failNextMarks(1);
      TriggerFiring a = emit(h.engine, push("a"));
      String first = a.runId().orElseThrow();
      h.awaitCalls("deploy", 1);

      assertThat(emit(h.engine, push("a")).outcome())
          .isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(h.engine.get(first).state()).isEqualTo(RunState.RUNNING);
      assertThat(h.engine.history(first)).isEmpty();

      // a new event does cancel it
      TriggerFiring b = emit(h.engine, push("b"));
      assertThat(b.outcome()).isEqualTo(TriggerFiring.Outcome.STARTED);
      assertThat(h.await(first).state()).isEqualTo(RunState.STOPPED);
      h.awaitCalls("deploy", 2);
      h.clock.advance(Duration.ofMinutes(1));
      assertThat(h.await(b.runId().orElseThrow()).state()).isEqualTo(RunState.COMPLETED);
      assertCounted(h.engine, 2, 0);
    }
  }
}
