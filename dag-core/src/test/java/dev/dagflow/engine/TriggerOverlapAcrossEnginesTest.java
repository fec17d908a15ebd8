package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.Stores;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import dev.dagflow.trigger.TriggerExplanation;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerFiring.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A trigger's overlap state lives in the store, so that engines sharing it agree and a crash
 * loses nothing: its active runs are the store's unfinished runs with its start key prefix, and
 * the event {@link OverlapPolicy#QUEUE_ONE} keeps is stored. The first engine's handler holds
 * each run until the test lets it go; the others' handlers return at once.
 */
class TriggerOverlapAcrossEnginesTest {
  private static final String TRIGGER = "on-push";
  private static final Duration LEASE = Duration.ofMillis(400);
  private static final Duration WAIT = Duration.ofSeconds(20);

  private final Stores shared = Stores.inMemory();
  private final CountDownLatch letGo = new CountDownLatch(1);
  private final CountDownLatch holding = new CountDownLatch(1);
  private final List<DagEngine> engines = new ArrayList<>();
  /** The runs each engine has created, in order, by engine index. */
  private final List<BlockingQueue<String>> created = new ArrayList<>();

  @AfterEach
  void closeEngines() {
    letGo.countDown();
    engines.forEach(DagEngine::close);
  }

  /**
   * Engine {@code name} on the shared stores through {@code runs} and {@code triggers}: the
   * first one made saves the template and the trigger, and holds its runs.
   */
  private DagEngine engine(String name, FaultyRunStore runs, FaultyTriggerStore triggers,
      OverlapPolicy overlap) {
    boolean first = engines.isEmpty();
    BlockingQueue<String> mine = new LinkedBlockingQueue<>();
    TaskHandler handler = ctx -> {
      if (first) {
        holding.countDown();
        assertThat(letGo.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
      }
      return null;
    };
    DagEngine engine = DagEngine.builder().instanceId(name).leaseTime(LEASE)
        .stores(Stores.of(runs, shared.logs(), shared.policies(), shared.templates(), triggers))
        .storeRetry(1, Duration.ofMillis(1), Duration.ofMillis(1))
        .handler("t", handler).listener(new EngineListener() {
          @Override
          public void onRunStateChange(RunStateChange change) {
            if (change.from().isEmpty()) {
              mine.add(change.runId());
            }
          }
        }).build();
    if (first) {
      engine.templates().save("deploy", Optional.empty(),
          DagSpec.builder("deploy").node(NodeSpec.task("deploy", "t")).build());
      engine.triggers().save(EventTrigger.builder(TRIGGER).eventType("push")
          .template("deploy").overlap(overlap).build());
    }
    engine.start(); // after the trigger is saved: it loads it from the store
    engines.add(engine);
    created.add(mine);
    return engine;
  }

  private DagEngine engine(String name, OverlapPolicy overlap) {
    return engine(name, new FaultyRunStore(shared.runs()),
        new FaultyTriggerStore(shared.triggers()), overlap);
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

  /** The next run engine {@code index} creates. */
  private String nextCreatedBy(int index) throws InterruptedException {
    String runId = created.get(index).poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    assertThat(runId).as("a run created by engine " + index).isNotNull();
    return runId;
  }

  /**
   * The queued event leaves the queue once its run is stored: right after the run's creation
   * returns, on the thread that started it, which may come after the run has already ended.
   */
  private void assertQueueEmptied() {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (shared.triggers().queued(TRIGGER).isPresent() && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(shared.triggers().queued(TRIGGER)).isEmpty();
  }

  @Test
  void anEngineSkipsAnEventWhileAnotherEnginesRunOfTheTriggerIsActive() throws Exception {
    DagEngine a = engine("engine-a", OverlapPolicy.SKIP);
    DagEngine b = engine("engine-b", OverlapPolicy.SKIP);
    TriggerFiring first = emit(a, push("1"));
    assertThat(first.outcome()).isEqualTo(Outcome.STARTED);
    String run = first.runId().orElseThrow();

    TriggerFiring skipped = emit(b, push("2"));
    assertThat(skipped.outcome()).isEqualTo(Outcome.SKIPPED);
    assertThat(skipped.reason().orElseThrow()).contains(run);

    letGo.countDown();
    assertThat(a.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
    assertThat(emit(b, push("3")).outcome()).isEqualTo(Outcome.STARTED);
    assertThat(runsOf(push("2"))).isEmpty();
  }

  @Test
  void anEventQueuedByAnEngineThatStoppedRunsWhenTheActiveRunEndsOnAnother() throws Exception {
    DagEngine a = engine("engine-a", OverlapPolicy.QUEUE_ONE);
    DagEngine b = engine("engine-b", OverlapPolicy.QUEUE_ONE);
    String run = emit(a, push("1")).runId().orElseThrow();
    assertThat(nextCreatedBy(0)).isEqualTo(run);

    assertThat(emit(b, push("2")).outcome()).isEqualTo(Outcome.QUEUED);
    assertThat(emit(b, push("3")).outcome()).isEqualTo(Outcome.QUEUED); // replaces push-2
    assertThat(shared.triggers().queued(TRIGGER).map(Event::id)).contains("push-3");
    // the engine that did not queue it sees it, and its own run as the active one
    assertThat(a.triggers().explain(shared.triggers().get(TRIGGER).orElseThrow(), push("4"))
        .check(TriggerExplanation.Check.Kind.OVERLAP).orElseThrow().detail())
        .contains(run).contains("push-3");
    b.close(); // what it queued is in the store, not in its memory

    letGo.countDown();
    String next = nextCreatedBy(0);
    assertThat(a.await(next, WAIT).state()).isEqualTo(RunState.COMPLETED);
    assertThat(runsOf(push("3"))).extracting(RunSummary::runId).containsExactly(next);
    assertThat(runsOf(push("2"))).isEmpty();
    assertQueueEmptied();
  }

  @Test
  void aQueuedEventTheEndingEngineCannotSeeIsStartedByAnotherWithinATick() throws Exception {
    FaultyTriggerStore blind = new FaultyTriggerStore(shared.triggers());
    DagEngine a = engine("engine-a", new FaultyRunStore(shared.runs()), blind,
        OverlapPolicy.QUEUE_ONE);
    DagEngine b = engine("engine-b", OverlapPolicy.QUEUE_ONE);
    String run = emit(a, push("1")).runId().orElseThrow();
    assertThat(nextCreatedBy(0)).isEqualTo(run);
    assertThat(holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(emit(b, push("2")).outcome()).isEqualTo(Outcome.QUEUED);

    blind.failQueueReads(); // engine-a ends the run but cannot start the queued event
    letGo.countDown();
    assertThat(a.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
    String next = nextCreatedBy(1);
    assertThat(b.await(next, WAIT).state()).isEqualTo(RunState.COMPLETED);
    assertThat(runsOf(push("2"))).extracting(RunSummary::runId).containsExactly(next);
    assertThat(blind.failures()).isPositive();
    assertThat(created.get(0)).isEmpty();
  }

  @Test
  void aRunTakenOverFromACrashedEngineStartsTheEventItQueuedWhenItEnds() throws Exception {
    FaultyRunStore cut = new FaultyRunStore(shared.runs());
    DagEngine a = engine("engine-a", cut, new FaultyTriggerStore(shared.triggers()),
        OverlapPolicy.QUEUE_ONE);
    String run = emit(a, push("1")).runId().orElseThrow();
    assertThat(holding.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
    assertThat(emit(a, push("2")).outcome()).isEqualTo(Outcome.QUEUED);

    cut.cutOff(); // engine-a is gone as far as the store can tell, its run and queue with it
    a.close();
    letGo.countDown();
    DagEngine b = engine("engine-b", OverlapPolicy.QUEUE_ONE);
    assertThat(b.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
    String next = nextCreatedBy(1);
    assertThat(b.await(next, WAIT).state()).isEqualTo(RunState.COMPLETED);
    assertThat(runsOf(push("2"))).extracting(RunSummary::runId).containsExactly(next);
    assertQueueEmptied();
  }
}
