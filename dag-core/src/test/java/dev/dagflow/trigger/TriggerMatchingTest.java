package dev.dagflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.internal.Json;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** What {@link TriggerMatcher#indexed()} returns for an event, case by case. */
class TriggerMatchingTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final TriggerMatcher matcher = TriggerMatcher.indexed();

  private static EventTrigger.Builder trigger(String id, String filter) {
    return EventTrigger.builder(id).eventType("asset_created").filter(filter).template("scan");
  }

  private static Event event(String type, String project, String payload) {
    Event.Builder b = Event.builder(type).payload(parse(payload));
    return (project == null ? b : b.project(project)).build();
  }

  private static Event event(String payload) {
    return event("asset_created", null, payload);
  }

  private static ObjectNode parse(String json) {
    try {
      return (ObjectNode) Json.MAPPER.readTree(json);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private List<String> ids(Event event) {
    return matcher.match(event).stream().map(EventTrigger::id).toList();
  }

  @Test
  void aListFilterMatchesEachOfItsValuesAndNothingElse() {
    matcher.put(trigger("t", "{\"payload.asset.type\": [\"domain\", \"ip\"]}").build());

    assertThat(ids(event("{\"asset\": {\"type\": \"domain\"}}"))).containsExactly("t");
    assertThat(ids(event("{\"asset\": {\"type\": \"ip\"}}"))).containsExactly("t");
    assertThat(ids(event("{\"asset\": {\"type\": \"url\"}}"))).isEmpty();
    assertThat(ids(event("{\"asset\": {}}"))).isEmpty();
  }

  @Test
  void exactFiltersNeedEveryKey() {
    matcher.put(trigger("both",
        "{\"payload.asset.type\": \"domain\", \"payload.severity\": \"high\"}").build());
    matcher.put(trigger("one", "{\"payload.severity\": \"high\"}").build());
    matcher.put(trigger("all", "{}").build());

    assertThat(ids(event("{\"asset\": {\"type\": \"domain\"}, \"severity\": \"high\"}")))
        .containsExactly("all", "both", "one");
    assertThat(ids(event("{\"asset\": {\"type\": \"domain\"}, \"severity\": \"low\"}")))
        .containsExactly("all");
    assertThat(ids(event("{\"severity\": \"high\"}"))).containsExactly("all", "one");
  }

  @Test
  void anArrayValueInThePayloadMatchesByElementOncePerTrigger() {
    matcher.put(trigger("t", "{\"payload.tags\": [\"a\", \"b\"]}").build());

    assertThat(ids(event("{\"tags\": [\"b\", \"a\", \"a\"]}"))).containsExactly("t");
    assertThat(ids(event("{\"tags\": [\"c\"]}"))).isEmpty();
  }

  @Test
  void aKeyHitByManyElementsOfAnArrayCountsOnce() {
    matcher.put(trigger("list",
        "{\"payload.tags\": [\"a\", \"b\"], \"payload.severity\": \"high\"}").build());
    matcher.put(trigger("in",
        "{\"payload.tags\": {\"$in\": [\"a\", \"b\", \"c\"]}, \"payload.n\": 1}")
        .build());

    assertThat(ids(event("{\"tags\": [\"a\", \"b\", \"a\"], \"severity\": \"high\"}")))
        .containsExactly("list");
    assertThat(ids(event("{\"tags\": [\"a\", \"b\"], \"severity\": \"low\"}"))).isEmpty();
    assertThat(ids(event("{\"tags\": [\"c\", \"b\", \"a\"], \"n\": [1.0, 1, 2]}")))
        .containsExactly("in");
    assertThat(ids(event("{\"tags\": [\"c\", \"b\"], \"n\": 2}"))).isEmpty();
  }

  @Test
  void nonIndexableFiltersAreStillMatched() {
    matcher.put(trigger("gt", "{\"payload.port\": {\"$gt\": 1000}}").build());
    matcher.put(trigger("or", "{\"$or\": [{\"payload.a\": 1}, {\"payload.b\": 2}]}").build());
    matcher.put(trigger("mixed", "{\"payload.a\": 1, \"payload.port\": {\"$lt\": 10}}").build());

    assertThat(ids(event("{\"port\": 8080, \"b\": 2}"))).containsExactly("gt", "or");
    assertThat(ids(event("{\"port\": 5, \"a\": 1}"))).containsExactly("mixed", "or");
  }

  @Test
  void numbersMatchByValueWhateverTheirType() {
    matcher.put(trigger("one", "{\"payload.n\": 1}").build());
    matcher.put(trigger("one-point-oh", "{\"payload.n\": [1.0, 7]}").build());
    matcher.put(trigger("half", "{\"payload.n\": 0.5}").build());

    assertThat(ids(event("{\"n\": 1.0}"))).containsExactly("one", "one-point-oh");
    assertThat(ids(event("{\"n\": 1}"))).containsExactly("one", "one-point-oh");
    assertThat(ids(event("{\"n\": [3, 1.00]}"))).containsExactly("one", "one-point-oh");
    ObjectNode decimal = JSON.objectNode().put("n", new BigDecimal("0.50"));
    assertThat(matcher.match(Event.builder("asset_created").payload(decimal).build()))
        .extracting(EventTrigger::id).containsExactly("half");
  }

  @Test
  void aProjectTriggerSeesOnlyItsProjectAndAGlobalOneSeesAll() {
    matcher.put(trigger("a-only", "{\"payload.x\": 1}").project("A").build());
    matcher.put(trigger("global", "{\"payload.x\": 1}").build());

    assertThat(ids(event("asset_created", "A", "{\"x\": 1}"))).containsExactly("a-only", "global");
    assertThat(ids(event("asset_created", "B", "{\"x\": 1}"))).containsExactly("global");
    assertThat(ids(event("asset_created", null, "{\"x\": 1}"))).containsExactly("global");
  }

  @Test
  void disabledTriggersNeverMatch() {
    matcher.put(trigger("off", "{\"payload.x\": 1}").enabled(false).build());
    matcher.put(trigger("off-always", "{}").enabled(false).build());

    assertThat(ids(event("{\"x\": 1}"))).isEmpty();

    matcher.put(trigger("off", "{\"payload.x\": 1}").build());
    assertThat(ids(event("{\"x\": 1}"))).containsExactly("off");
  }

  @Test
  void otherEventTypesNeverMatch() {
    matcher.put(trigger("t", "{}").build());

    assertThat(ids(event("scan_completed", null, "{}"))).isEmpty();
    assertThat(ids(event("asset_created", null, "{}"))).containsExactly("t");
  }

  @Test
  void putReplacesByIdAndRemoveForgets() {
    matcher.put(trigger("t", "{\"payload.x\": 1}").build());
    matcher.put(trigger("t", "{\"payload.x\": 2}").build());

    assertThat(ids(event("{\"x\": 1}"))).isEmpty();
    assertThat(ids(event("{\"x\": 2}"))).containsExactly("t");

    matcher.put(trigger("t", "{\"payload.x\": 2}").eventType("scan_completed").build());
    assertThat(ids(event("{\"x\": 2}"))).isEmpty();
    assertThat(ids(event("scan_completed", null, "{\"x\": 2}"))).containsExactly("t");

    assertThat(matcher.remove("t")).isTrue();
    assertThat(matcher.remove("t")).isFalse();
    assertThat(ids(event("scan_completed", null, "{\"x\": 2}"))).isEmpty();
  }

  @Test
  void resultsAreByIdAndUnmodifiable() {
    for (String id : List.of("m", "b", "z", "a")) {
      matcher.put(trigger(id, id.equals("b") ? "{}" : "{\"payload.x\": 1}").build());
    }
    List<EventTrigger> found = matcher.match(event("{\"x\": 1}"));
    assertThat(found).extracting(EventTrigger::id).containsExactly("a", "b", "m", "z");
    assertThat(found).isUnmodifiable();
  }

  @Test
  void aMatchDuringReplacementsSeesOneVersionOfEachTrigger() throws Exception {
    // "stable" matches {"x": 1} in both versions, keyed on different paths; it must never be missed
    EventTrigger first = trigger("stable", "{\"payload.x\": 1}").build();
    EventTrigger second =
        trigger("stable", "{\"payload.y\": \"b\", \"payload.x\": [1, 2, 3]}").build();
    matcher.put(first);
    Event event = event("{\"x\": 1, \"y\": \"b\"}");
    AtomicBoolean stop = new AtomicBoolean();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch started = new CountDownLatch(1);
      Future<?> writer = pool.submit(() -> {
        started.countDown();
        for (int i = 0; i < 20_000 && !stop.get(); i++) {
          matcher.put(i % 2 == 0 ? second : first);
        }
        return null;
      });
      Future<Integer> reader = pool.submit(() -> {
        started.await();
        int misses = 0;
        do {
          if (matcher.match(event).size() != 1) {
            misses++;
          }
        } while (!writer.isDone());
        return misses;
      });
      writer.get(60, TimeUnit.SECONDS);
      assertThat(reader.get(60, TimeUnit.SECONDS)).isZero();
    } finally {
      stop.set(true);
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void aFilterReadsTheWholeEventSoProjectTypeAndDepthCanBeTested() {
    matcher.put(trigger("acme-or-sec", "{\"$or\": [{\"project\": \"acme\"},"
        + " {\"payload.owner\": {\"$regex\": \"^sec-\"}}]}").build());
    matcher.put(trigger("by-project", "{\"project\": [\"acme\", \"beta\"]}").build());
    matcher.put(trigger("no-project", "{\"project\": {\"$exists\": false}}").build());
    matcher.put(trigger("typed", "{\"type\": \"asset_created\", \"payload.x\": 1}").build());
    matcher.put(trigger("other-type", "{\"type\": \"scan_completed\"}").build());
    matcher.put(trigger("shallow", "{\"depth\": 0, \"id\": {\"$regex\": \"^e-\"}}").build());

    assertThat(ids(event("asset_created", "acme", "{\"x\": 1}")))
        .containsExactly("acme-or-sec", "by-project", "typed");
    assertThat(ids(event("asset_created", "gamma", "{\"owner\": \"sec-team\"}")))
        .containsExactly("acme-or-sec");
    assertThat(ids(event("asset_created", null, "{}"))).containsExactly("no-project");
    assertThat(ids(Event.builder("asset_created").id("e-1").project("gamma").build()))
        .containsExactly("shallow");
    assertThat(ids(Event.builder("asset_created").id("e-2").project("gamma").depth(1).build()))
        .isEmpty();
  }

  @Test
  void keysRootedAtTheEventAreIndexedAndLookedUpInTheWholeEvent() {
    // an event that holds the trigger's key values in its payload's top level, not under
    // "payload", must not be a candidate: the index looks paths up from the event's root
    matcher.put(trigger("nested", "{\"payload.asset.type\": \"ip\"}").build());
    matcher.put(trigger("project", "{\"project\": \"acme\"}").build());

    assertThat(ids(event("{\"asset\": {\"type\": \"ip\"}}"))).containsExactly("nested");
    assertThat(ids(event("{\"payload\": {\"asset\": {\"type\": \"ip\"}}}"))).isEmpty();
    assertThat(ids(event("{\"project\": \"acme\"}"))).isEmpty();
    assertThat(ids(event("asset_created", "acme", "{}"))).containsExactly("project");
  }

  @Test
  void theMatcherAgreesWithMatchesOnEveryTrigger() {
    List<EventTrigger> triggers = new ArrayList<>();
    triggers.add(trigger("a", "{\"payload.x\": 1}").build());
    triggers.add(trigger("b", "{\"payload.x\": 1}").project("P").build());
    triggers.add(trigger("c", "{\"payload.x\": 1}").enabled(false).build());
    triggers.forEach(matcher::put);
    Event event = event("asset_created", "P", "{\"x\": 1}");
    assertThat(matcher.match(event))
        .containsExactlyElementsOf(triggers.stream().filter(t -> t.matches(event)).toList());
  }
}
