package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.store.TriggerStore;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import dev.dagflow.trigger.TriggerCounters;
import dev.dagflow.trigger.UnknownTriggerException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link TriggerStore}: implementations subclass it with a factory of empty
 * stores.
 */
public abstract class TriggerStoreContract {
  private static final Optional<String> NO_ERROR = Optional.empty();

  protected TriggerStore store;

  /** A new, empty store. */
  protected abstract TriggerStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static EventTrigger trigger(String id, String project) {
    EventTrigger.Builder b = EventTrigger.builder(id).eventType("asset_created").template("scan");
    return (project == null ? b : b.project(project)).build();
  }

  @Test
  void everyFieldRoundTrips() {
    EventTrigger full = EventTrigger.builder("full").project("p1").eventType("asset_created")
        .filter("{\"payload.asset.type\": [\"domain\", \"ip\"], \"payload.port\": {\"$gte\": 1}}")
        .template("scan", 3).map("domain", "payload.domain").map("source", "id")
        .enabled(false).overlap(OverlapPolicy.QUEUE_ONE).build();
    EventTrigger bare = trigger("bare", null);
    store.save(full);
    store.save(bare);
    assertThat(store.get("full")).contains(full);
    assertThat(store.get("bare")).contains(bare);
  }

  @Test
  void anUnknownIdIsEmptyOrRefused() {
    assertThat(store.get("nope")).isEmpty();
    assertThat(store.delete("nope")).isFalse();
    assertThatThrownBy(() -> store.counters("nope")).isInstanceOf(UnknownTriggerException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> store.recordStart("nope", true, NO_ERROR, at(0)))
        .isInstanceOf(UnknownTriggerException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> store.markProcessed("nope", "e1"))
        .isInstanceOf(UnknownTriggerException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> store.isProcessed("nope", "e1"))
        .isInstanceOf(UnknownTriggerException.class).hasMessageContaining("nope");
  }

  @Test
  void listIsByIdAndByProject() {
    store.save(trigger("m", null));
    store.save(trigger("b", "p1"));
    store.save(trigger("z", "p2"));
    store.save(trigger("a", "p1"));
    assertThat(store.list()).extracting(EventTrigger::id).containsExactly("a", "b", "m", "z");
    assertThat(store.list(Optional.of("p1"))).extracting(EventTrigger::id)
        .containsExactly("a", "b");
    assertThat(store.list(Optional.empty())).extracting(EventTrigger::id).containsExactly("m");
    assertThat(store.list(Optional.of("p9"))).isEmpty();
  }

  @Test
  void aNewTriggerHasZeroCounters() {
    store.save(trigger("t", null));
    assertThat(store.counters("t")).isEqualTo(TriggerCounters.zero("t"));
  }

  @Test
  void startsAreCountedWithTheLatestFailureKept() {
    store.save(trigger("t", null));
    store.recordStart("t", true, NO_ERROR, at(10));
    store.recordStart("t", false, Optional.of("mapping.domain: missing"), at(20));
    store.recordStart("t", false, Optional.of("unknown template scan"), at(30));
    store.recordStart("t", true, NO_ERROR, at(40));
    assertThat(store.counters("t")).isEqualTo(new TriggerCounters("t", 4, 2, 2,
        Optional.of(at(40)), Optional.of("unknown template scan")));
  }

  @Test
  void lastFiredNeverGoesBack() {
    store.save(trigger("t", null));
    store.recordStart("t", true, NO_ERROR, at(50));
    store.recordStart("t", true, NO_ERROR, at(10));
    assertThat(store.counters("t").lastFired()).contains(at(50));
    assertThat(store.counters("t").total()).isEqualTo(2);
  }

  @Test
  void aStartWithAContradictoryErrorIsRefusedAndNotCounted() {
    store.save(trigger("t", null));
    assertThatThrownBy(() -> store.recordStart("t", true, Optional.of("oops"), at(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.recordStart("t", false, NO_ERROR, at(0)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.counters("t")).isEqualTo(TriggerCounters.zero("t"));
  }

  @Test
  void savingReplacesTheTriggerAndKeepsItsCountersAndProcessedIds() {
    store.save(trigger("t", "p1"));
    store.recordStart("t", true, NO_ERROR, at(10));
    assertThat(store.markProcessed("t", "e1")).isTrue();
    EventTrigger changed = trigger("t", "p2").toBuilder().enabled(false).build();
    store.save(changed);
    assertThat(store.get("t")).contains(changed);
    assertThat(store.list()).containsExactly(changed);
    assertThat(store.counters("t").total()).isEqualTo(1);
    assertThat(store.markProcessed("t", "e1")).isFalse();
  }

  @Test
  void anEventIsProcessedOncePerTrigger() {
    store.save(trigger("t1", null));
    store.save(trigger("t2", null));
    assertThat(store.markProcessed("t1", "e1")).isTrue();
    assertThat(store.markProcessed("t1", "e1")).isFalse();
    assertThat(store.markProcessed("t1", "e2")).isTrue();
    assertThat(store.markProcessed("t2", "e1")).isTrue();
    assertThat(store.markProcessed("t2", "e1")).isFalse();
  }

  @Test
  void isProcessedSeesMarksAndRecordsNothing() {
    store.save(trigger("t1", null));
    store.save(trigger("t2", null));
    assertThat(store.isProcessed("t1", "e1")).isFalse();
    assertThat(store.isProcessed("t1", "e1")).isFalse();
    assertThat(store.markProcessed("t1", "e1")).isTrue();
    assertThat(store.isProcessed("t1", "e1")).isTrue();
    assertThat(store.isProcessed("t1", "E1")).isFalse();
    assertThat(store.isProcessed("t2", "e1")).isFalse();
    assertThat(store.markProcessed("t2", "e1")).isTrue();
  }

  @Test
  void deletingDropsCountersAndProcessedIds() {
    store.save(trigger("t", null));
    store.recordStart("t", false, Optional.of("boom"), at(10));
    store.markProcessed("t", "e1");
    assertThat(store.delete("t")).isTrue();
    assertThat(store.delete("t")).isFalse();
    assertThat(store.get("t")).isEmpty();
    assertThat(store.list()).isEmpty();
    assertThatThrownBy(() -> store.counters("t")).isInstanceOf(UnknownTriggerException.class);

    store.save(trigger("t", null));
    assertThat(store.counters("t")).isEqualTo(TriggerCounters.zero("t"));
    assertThat(store.isProcessed("t", "e1")).isFalse();
    assertThat(store.markProcessed("t", "e1")).isTrue();
  }

  @Test
  void concurrentMarksOfOnePairLetExactlyOneThrough() throws Exception {
    store.save(trigger("t", null));
    int threads = 8;
    int events = 200;
    List<List<Boolean>> results = onThreads(threads, thread -> {
      List<Boolean> firsts = new ArrayList<>();
      for (int e = 0; e < events; e++) {
        firsts.add(store.markProcessed("t", "e" + e));
      }
      return firsts;
    });
    for (int e = 0; e < events; e++) {
      int event = e;
      assertThat(results.stream().filter(r -> r.get(event)).count())
          .as("threads that saw e%d first", e).isEqualTo(1);
    }
  }

  @Test
  void concurrentStartsAreAllCounted() throws Exception {
    store.save(trigger("t", null));
    int threads = 6;
    int starts = 300;
    onThreads(threads, thread -> {
      for (int i = 0; i < starts; i++) {
        boolean ok = i % 3 != 0;
        store.recordStart("t", ok, ok ? NO_ERROR : Optional.of("t" + thread), at(i));
      }
      return null;
    });
    TriggerCounters counters = store.counters("t");
    assertThat(counters.total()).isEqualTo(threads * starts);
    assertThat(counters.failed()).isEqualTo(threads * starts / 3);
    assertThat(counters.lastFired()).contains(at(starts - 1));
    assertThat(counters.lastError()).isPresent();
  }

  // ---- the queued event (QUEUE_ONE) ----

  private static Event event(String id) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("text", "quote ' \" \\ and \u00e9\u6f22\ud83d\ude80");
    payload.putObject("nested").putArray("list").add(1).add(2.5).add(true).addNull();
    return Event.builder("asset_created").id(id).project("p1").payload(payload)
        .time(Instant.parse("2024-03-01T10:15:30.123Z")).cause("e-0").depth(2).build();
  }

  @Test
  void aQueuedEventRoundTripsAndReplacesTheOneBefore() {
    store.save(trigger("t1", null));
    store.save(trigger("t2", null));
    assertThat(store.queued("t1")).isEmpty();
    assertThat(store.queue("t1", event("e1"))).isEmpty();
    assertThat(store.queued("t1")).contains(event("e1"));
    assertThat(store.queue("t1", event("e2"))).contains(event("e1"));
    assertThat(store.queued("t1")).contains(event("e2"));
    Event bare = Event.builder("asset_created").id("e3").build();
    store.queue("t2", bare);
    assertThat(store.queued("t2")).contains(bare);
    assertThat(store.withQueued()).containsExactly("t1", "t2");
  }

  @Test
  void unqueueRemovesOnlyTheEventNamed() {
    store.save(trigger("t1", null));
    store.queue("t1", event("e1"));
    assertThat(store.unqueue("t1", "e0")).isFalse();
    assertThat(store.queued("t1")).contains(event("e1"));
    assertThat(store.unqueue("t1", "e1")).isTrue();
    assertThat(store.unqueue("t1", "e1")).isFalse();
    assertThat(store.queued("t1")).isEmpty();
    assertThat(store.withQueued()).isEmpty();
    assertThat(store.unqueue("nope", "e1")).isFalse();
  }

  @Test
  void savingATriggerKeepsItsQueuedEventAndDeletingDropsIt() {
    store.save(trigger("t1", null));
    store.queue("t1", event("e1"));
    store.save(trigger("t1", "p1"));
    assertThat(store.queued("t1")).contains(event("e1"));
    store.delete("t1");
    assertThat(store.queued("t1")).isEmpty();
    store.save(trigger("t1", null));
    assertThat(store.queued("t1")).isEmpty();
  }

  @Test
  void anUnknownTriggerQueuesNothing() {
    assertThatThrownBy(() -> store.queue("nope", event("e1")))
        .isInstanceOf(UnknownTriggerException.class).hasMessageContaining("nope");
    assertThat(store.queued("nope")).isEmpty();
    assertThat(store.withQueued()).isEmpty();
  }

  @Test
  void ofConcurrentUnqueuesOfOneEventExactlyOneSucceeds() throws Exception {
    store.save(trigger("t1", null));
    store.queue("t1", event("e1"));
    List<Boolean> results = onThreads(8, thread -> store.unqueue("t1", "e1"));
    assertThat(results).containsOnlyOnce(true);
  }

  // ---- forgetting processed event ids ----

  @Test
  void purgedProcessedIdsAreForgottenOldestFirstAndOnlyThoseBeforeTheTime() {
    store.save(trigger("t1", null));
    store.save(trigger("t2", null));
    store.markProcessed("t1", "e1");
    store.markProcessed("t2", "e2");
    store.markProcessed("t1", "e3");
    Instant past = Instant.now().minusSeconds(3600);
    Instant future = Instant.now().plusSeconds(3600);
    assertThat(store.purgeProcessed(past, 10)).isZero();
    assertThat(store.isProcessed("t1", "e1")).isTrue();
    assertThat(store.purgeProcessed(future, 2)).isEqualTo(2);
    assertThat(store.purgeProcessed(future, 2)).isEqualTo(1);
    assertThat(store.isProcessed("t1", "e1")).isFalse();
    assertThat(store.isProcessed("t2", "e2")).isFalse();
    assertThat(store.isProcessed("t1", "e3")).isFalse();
    // forgotten, an event id may be processed again
    assertThat(store.markProcessed("t1", "e1")).isTrue();
    assertThatThrownBy(() -> store.purgeProcessed(future, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }
}
