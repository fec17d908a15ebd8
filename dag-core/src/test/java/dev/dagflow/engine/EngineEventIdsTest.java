package dev.dagflow.engine;

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
import dev.dagflow.trigger.TriggerFiring;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The events the engine emits have ids made from what they tell: the same ending emitted again
 * is a duplicate to a trigger, while each ending of a run and each attempt of a node is an
 * event of its own. The clock never moves here, so nothing tells them apart by time.
 */
class EngineEventIdsTest {
  private static final DagSpec PARENT = DagSpec.builder("parent")
      .node(NodeSpec.task("work", "t")).build();
  private static final DagSpec CHILD = DagSpec.builder("child")
      .node(NodeSpec.task("follow", "t")).build();

  /** Records the engine's events of {@code type}. */
  private static Consumer<DagEngine.Builder> recording(String type, List<Event> into) {
    return b -> b.listener(new EngineListener() {
      @Override
      public void onEvent(Event event) {
        if (event.type().equals(type)) {
          into.add(event);
        }
      }
    });
  }

  /**
   * Stores whose trigger store counts {@code counted} down with every start it counts: a trigger
   * fires after listeners hear of the event, so a test waits for the count, not the event.
   */
  private static Consumer<DagEngine.Builder> countingStarts(CountDownLatch counted) {
    Stores inner = Stores.inMemory();
    return b -> b.stores(Stores.of(inner.runs(), inner.logs(), inner.policies(),
        inner.templates(), new FaultyTriggerStore(inner.triggers())
            .onStartCounted(counted::countDown)));
  }

  private static void awaitCounted(CountDownLatch counted) throws InterruptedException {
    assertThat(counted.await(Harness.WAIT.toMillis(), TimeUnit.MILLISECONDS))
        .as("the trigger's starts counted").isTrue();
  }

  /** A trigger starting {@code child} on each event of {@code type} about the parent DAG. */
  private static void chain(Harness h, String type) {
    h.executor.defaultOutcome(Outcome.succeed());
    h.engine.templates().save("child", Optional.empty(), CHILD);
    h.engine.triggers().save(EventTrigger.builder("on-" + type).eventType(type)
        .filter("{\"payload.dagId\": \"parent\"}").template("child").build());
  }

  private static List<RunSummary> childrenOf(Harness h, Event event) {
    return h.engine.list(RunQuery.all()).items().stream()
        .filter(r -> r.cause().equals(Optional.of(event.id()))).toList();
  }

  @Test
  void theSameEndingEmittedAgainIsADuplicateAndFiresItsTriggerOnce() throws Exception {
    List<Event> ended = new CopyOnWriteArrayList<>();
    CountDownLatch counted = new CountDownLatch(1);
    try (Harness h = new Harness(recording("run.completed", ended)
        .andThen(countingStarts(counted)), "t")) {
      chain(h, "run.completed");
      String run = h.submit(PARENT);
      h.await(run);
      h.until("the parent's run.completed", () -> ended.stream()
          .anyMatch(e -> e.payload().get("runId").asText().equals(run)));
      Event first = ended.stream().filter(e -> e.payload().get("runId").asText().equals(run))
          .findFirst().orElseThrow();

      // what the stored run says is enough to name its ending: a new owner makes the same id
      assertThat(first.id()).isEqualTo("run.completed/" + run + "/"
          + h.engine.transitions(run).size());
      List<TriggerFiring> again = h.engine.emit(first);

      assertThat(again).singleElement().extracting(TriggerFiring::outcome)
          .isEqualTo(TriggerFiring.Outcome.DUPLICATE);
      assertThat(childrenOf(h, first)).hasSize(1);
      // the first firing counts its start after its run is created: wait for the count
      awaitCounted(counted);
      assertThat(h.engine.triggers().counters("on-run.completed").success()).isEqualTo(1);
    }
  }

  @Test
  void twoEndingsOfOneRunAfterARetryBothFire() throws Exception {
    List<Event> failed = new CopyOnWriteArrayList<>();
    CountDownLatch counted = new CountDownLatch(2);
    try (Harness h = new Harness(recording("run.failed", failed)
        .andThen(countingStarts(counted)), "t")) {
      chain(h, "run.failed");
      h.executor.script("work", Outcome.failPermanently("E_BROKEN", "broken"));
      String run = h.submit(PARENT);
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);
      h.until("the first run.failed", () -> failed.size() == 1);

      h.engine.retry(run, "work", "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);
      h.until("the second run.failed", () -> failed.size() == 2);

      assertThat(failed).extracting(Event::id).doesNotHaveDuplicates()
          .allMatch(id -> id.startsWith("run.failed/" + run + "/"));
      awaitCounted(counted);
      assertThat(failed).allSatisfy(e -> assertThat(childrenOf(h, e)).hasSize(1));
      assertThat(h.engine.triggers().counters("on-run.failed").success()).isEqualTo(2);
    }
  }

  @Test
  void nodeEventsOfDifferentAttemptsDifferAndEachFires() throws Exception {
    List<Event> failed = new CopyOnWriteArrayList<>();
    CountDownLatch counted = new CountDownLatch(2);
    try (Harness h = new Harness(recording("node.failed", failed)
        .andThen(countingStarts(counted)), "t")) {
      chain(h, "node.failed");
      h.executor.script("work", Outcome.failPermanently("E_BROKEN", "broken"));
      String run = h.submit(PARENT);
      h.await(run);
      h.until("the first node.failed", () -> failed.size() == 1);
      h.engine.retry(run, "work", "ops");
      h.await(run);
      h.until("the second node.failed", () -> failed.size() == 2);

      assertThat(failed).extracting(Event::id).containsExactlyInAnyOrder(
          "node.failed/" + run + "/work/1", "node.failed/" + run + "/work/2");
      awaitCounted(counted);
      assertThat(h.engine.triggers().counters("on-node.failed").success()).isEqualTo(2);
    }
  }

  @Test
  void anIdTooLongForAnEventIsHashedAndStillTellsAttemptsApart() {
    String longRun = "r".repeat(128);
    String longNode = "n".repeat(128);
    List<Event> failed = new CopyOnWriteArrayList<>();
    try (Harness h = new Harness(recording("node.failed", failed).andThen(b -> b.runIds(
        () -> longRun)), "t")) {
      h.executor.script(longNode, Outcome.failPermanently("E_BROKEN", "broken"));
      String run = h.submit(DagSpec.builder("long").node(NodeSpec.task(longNode, "t")).build());
      h.await(run);
      h.until("the first node.failed", () -> failed.size() == 1);
      h.engine.retry(run, longNode, "ops");
      h.await(run);
      h.until("the second node.failed", () -> failed.size() == 2);

      assertThat(failed).extracting(Event::id).doesNotHaveDuplicates()
          .allSatisfy(id -> assertThat(id).matches("node\\.failed#[0-9a-f]{64}")
              .hasSizeLessThanOrEqualTo(Event.MAX_ID_LENGTH));
    }
  }
}
