package dev.dagflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random triggers (1 to 4 keys on the payload, the event's project, type and depth, exact and list
 * values, some with {@code $gt}, {@code $ne}, {@code $or} or {@code $not} that the index cannot
 * use) and random events, matched by {@link
 * TriggerMatcher#indexed()} and by a brute-force check of every trigger: the same triggers, in
 * the same order, after every batch of puts, replacements and removals.
 */
class TriggerIndexPropertyTest {
  private static final long SEED = 20_261_124L;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> TYPES = List.of("asset_created", "scan_completed", "vuln");
  private static final List<String> PROJECTS = List.of("A", "B");
  /** Where an event's payload has values. */
  private static final List<String> PATHS = List.of("kind", "asset.type", "tags", "n", "a.b.c");
  /** What filters test: the payload's paths, and fields of the event itself. */
  private static final List<String> FILTER_PATHS = List.of("payload.kind", "payload.asset.type",
      "payload.tags", "payload.n", "payload.a.b.c", "project", "type", "depth");

  @Test
  void indexedEqualsBruteForce() {
    SplittableRandom seeds = new SplittableRandom(SEED);
    int matched = 0;
    for (int round = 0; round < 60; round++) {
      long seed = seeds.nextLong();
      try {
        matched += runOne(seed);
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
    assertThat(matched).as("matches over all rounds, so the comparison is not vacuous")
        .isGreaterThan(1_000);
  }

  private static int runOne(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    TriggerMatcher matcher = TriggerMatcher.indexed();
    Map<String, EventTrigger> all = new LinkedHashMap<>();
    int matched = 0;
    for (int batch = 0; batch < 5; batch++) {
      for (int i = 0; i < 40; i++) {
        String id = "t" + random.nextInt(120);
        if (random.nextInt(8) == 0) {
          assertThat(matcher.remove(id)).isEqualTo(all.remove(id) != null);
        } else {
          EventTrigger t = trigger(random, id);
          matcher.put(t);
          all.put(id, t);
        }
      }
      for (int e = 0; e < 40; e++) {
        Event event = event(random);
        List<EventTrigger> expected = all.values().stream()
            .filter(t -> bruteForce(t, event))
            .sorted(Comparator.comparing(EventTrigger::id)).toList();
        assertThat(matcher.match(event)).as("%s %s", event, event.payload())
            .containsExactlyElementsOf(expected);
        matched += expected.size();
      }
    }
    return matched;
  }

  /** The definition of a match, written out independently of the matcher. */
  private static boolean bruteForce(EventTrigger t, Event e) {
    return t.enabled() && t.eventType().equals(e.type())
        && (t.project().isEmpty() || t.project().equals(e.project()))
        && t.filter().matches(e.document());
  }

  private static EventTrigger trigger(SplittableRandom random, String id) {
    ObjectNode filter = JSON.objectNode();
    int keys = 1 + random.nextInt(4);
    for (int k = 0; k < keys; k++) {
      String path = pick(random, FILTER_PATHS);
      switch (random.nextInt(8)) {
        case 0 -> filter.set(path, JSON.objectNode().put("$gt", random.nextInt(3)));
        case 1 -> filter.set(path, JSON.objectNode().set("$ne", value(random)));
        case 2 -> filter.set("$or", JSON.arrayNode()
            .add(JSON.objectNode().set(path, value(random)))
            .add(JSON.objectNode().set(pick(random, FILTER_PATHS), value(random))));
        case 3 -> filter.set("$not", JSON.objectNode().set(path, value(random)));
        case 4 -> filter.set(path, JSON.objectNode().set("$in", values(random)));
        case 5 -> filter.set(path, values(random));
        default -> filter.set(path, value(random));
      }
    }
    EventTrigger.Builder b = EventTrigger.builder(id).eventType(pick(random, TYPES))
        .filter(filter).template("tpl").enabled(random.nextInt(6) != 0);
    return random.nextBoolean() ? b.project(pick(random, PROJECTS)).build() : b.build();
  }

  private static Event event(SplittableRandom random) {
    ObjectNode payload = JSON.objectNode();
    for (String path : PATHS) {
      if (random.nextInt(4) == 0) {
        continue;
      }
      JsonNode value = random.nextInt(4) == 0 ? values(random) : value(random);
      String[] segments = path.split("\\.");
      ObjectNode at = payload;
      for (int i = 0; i < segments.length - 1; i++) {
        at = at.has(segments[i]) ? (ObjectNode) at.get(segments[i]) : at.putObject(segments[i]);
      }
      at.set(segments[segments.length - 1], value);
    }
    Event.Builder b = Event.builder(pick(random, TYPES)).payload(payload)
        .depth(random.nextInt(3));
    return random.nextInt(3) == 0 ? b.build() : b.project(pick(random, PROJECTS)).build();
  }

  /** A scalar from a small vocabulary, numbers in several node types. */
  private static JsonNode value(SplittableRandom random) {
    return switch (random.nextInt(11)) {
      case 0 -> JSON.textNode("domain");
      case 1 -> JSON.textNode("ip");
      case 2 -> JSON.textNode("url");
      case 3 -> JSON.numberNode(1);
      case 4 -> JSON.numberNode(1.0);
      case 5 -> JSON.numberNode(new BigDecimal("2.50"));
      case 6 -> JSON.numberNode(2L);
      case 7 -> JSON.booleanNode(random.nextBoolean());
      case 8 -> JSON.textNode(pick(random, PROJECTS));
      case 9 -> JSON.textNode(pick(random, TYPES));
      default -> JSON.nullNode();
    };
  }

  private static ArrayNode values(SplittableRandom random) {
    ArrayNode list = JSON.arrayNode();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      list.add(value(random));
    }
    return list;
  }

  private static <T> T pick(SplittableRandom random, List<T> from) {
    return from.get(random.nextInt(from.size()));
  }
}
