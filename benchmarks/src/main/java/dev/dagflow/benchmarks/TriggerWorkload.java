package dev.dagflow.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The triggers and events of {@link TriggerMatchBenchmark}: {@code n} global triggers spread
 * evenly over 50 event types, and 1,024 events of uniformly random types, all drawn with a
 * {@link SplittableRandom} of a fixed seed.
 *
 * <p>An event's payload has six fields, each holding a value drawn uniformly from its own
 * vocabulary: {@code external} (true or false), {@code asset.type} (4 strings), {@code severity}
 * (5), {@code region} (20), {@code team} (50) and {@code port} (100 numbers). A trigger's filter constrains 1 to 4 distinct fields
 * (uniformly many), each to an exact value or a list of values. The chance that a payload
 * satisfies a filter is then the product over its keys of (accepted values / vocabulary size);
 * the generator picks value counts that make that product the target {@code q} and keeps a
 * filter only when it is within 20% of {@code q} (see {@link #filter}), so the mean is close to
 * {@code q}. An event can fire only triggers of its own type (1/50 of them), so
 * it fires a fraction {@code q / 50} of all triggers; {@link Selectivity} sets {@code q}.
 * {@code TriggerWorkloadTest} measures the fraction actually fired.
 */
public final class TriggerWorkload {
  static final int EVENT_TYPES = 50;
  static final int EVENTS = 1_024;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String[] FIELDS =
      {"external", "asset.type", "severity", "region", "team", "port"};
  private static final JsonNode[][] VOCABULARY = {
      {JSON.booleanNode(true), JSON.booleanNode(false)},
      strings("domain", "ip", "url", "host"),
      strings("info", "low", "medium", "high", "critical"),
      numbered("region-", 20),
      numbered("team-", 50),
      ports(100)};
  private static final String[] TYPES = new String[EVENT_TYPES];

  static {
    for (int t = 0; t < EVENT_TYPES; t++) {
      TYPES[t] = String.format("type-%02d", t);
    }
  }

  private final List<EventTrigger> triggers;
  private final Event[] events;

  private TriggerWorkload(List<EventTrigger> triggers, Event[] events) {
    this.triggers = triggers;
    this.events = events;
  }

  /** How many triggers each event fires. */
  public enum Selectivity {
    /**
     * About 1% of all triggers, as the issue states: a payload satisfies half of the filters
     * ({@code q = 0.5}), so an event fires half the triggers of its type.
     */
    ONE_PERCENT_OF_ALL(0.5),
    /**
     * About 1% of the triggers of the event's type, 0.02% of all: a payload satisfies 1% of the
     * filters ({@code q = 0.01}).
     */
    ONE_PERCENT_OF_TYPE(0.01);

    final double filterMatchRate;

    Selectivity(double filterMatchRate) {
      this.filterMatchRate = filterMatchRate;
    }
  }

  static TriggerWorkload generate(int n, Selectivity selectivity, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    List<EventTrigger> triggers = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      triggers.add(EventTrigger.builder(String.format("t%07d", i))
          .eventType(TYPES[i % EVENT_TYPES])
          .filter(filter(random, selectivity.filterMatchRate))
          .template("scan").build());
    }
    Event[] events = new Event[EVENTS];
    for (int e = 0; e < EVENTS; e++) {
      ObjectNode payload = JSON.objectNode();
      for (int f = 0; f < FIELDS.length; f++) {
        JsonNode[] values = VOCABULARY[f];
        put(payload, FIELDS[f], values[random.nextInt(values.length)]);
      }
      events[e] = Event.builder(TYPES[random.nextInt(EVENT_TYPES)]).id("e" + e)
          .payload(payload).build();
    }
    return new TriggerWorkload(List.copyOf(triggers), events);
  }

  /** The triggers, by id. */
  List<EventTrigger> triggers() {
    return triggers;
  }

  /** The events, to be cycled through; the array itself, not a copy. */
  Event[] events() {
    return events;
  }

  /**
   * A filter of 1 to 4 keys that a uniformly random payload satisfies with chance about q: the
   * rate q is split over the keys with random weights, each key accepts the count of values
   * closest to its share of its vocabulary (1 is an exact value, more a list), the key of the
   * largest vocabulary takes up the rounding, and a filter off q by more than 20% is drawn again.
   */
  private static ObjectNode filter(SplittableRandom random, double q) {
    int keys = 1 + random.nextInt(4);
    while (true) {
      int[] fields = distinct(random, FIELDS.length, keys);
      int largest = 0;
      for (int k = 1; k < keys; k++) {
        largest = VOCABULARY[fields[k]].length > VOCABULARY[fields[largest]].length ? k : largest;
      }
      int swap = fields[keys - 1];
      fields[keys - 1] = fields[largest];
      fields[largest] = swap;
      double[] weights = new double[keys];
      double total = 0;
      for (int k = 0; k < keys; k++) {
        weights[k] = 0.5 + random.nextDouble();
        total += weights[k];
      }
      int[] accepted = new int[keys];
      double rate = 1;
      for (int k = 0; k < keys; k++) {
        int size = VOCABULARY[fields[k]].length;
        double share = k < keys - 1 ? Math.pow(q, weights[k] / total) : q / rate;
        accepted[k] = (int) Math.max(1, Math.min(size - 1, Math.round(share * size)));
        rate *= (double) accepted[k] / size;
      }
      if (rate >= q / 1.2 && rate <= q * 1.2) {
        ObjectNode filter = JSON.objectNode();
        for (int k = 0; k < keys; k++) {
          filter.set("payload." + FIELDS[fields[k]],
              condition(random, VOCABULARY[fields[k]], accepted[k]));
        }
        return filter;
      }
    }
  }

  /** One value, or a list of {@code count} distinct values of the vocabulary. */
  private static JsonNode condition(SplittableRandom random, JsonNode[] vocabulary, int count) {
    int[] picks = distinct(random, vocabulary.length, count);
    if (count == 1) {
      return vocabulary[picks[0]];
    }
    ArrayNode list = JSON.arrayNode(count);
    for (int p : picks) {
      list.add(vocabulary[p]);
    }
    return list;
  }

  /** {@code count} distinct numbers below {@code bound}, in random order. */
  private static int[] distinct(SplittableRandom random, int bound, int count) {
    int[] all = new int[bound];
    for (int i = 0; i < bound; i++) {
      all[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(bound - i);
      int swap = all[i];
      all[i] = all[j];
      all[j] = swap;
    }
    return Arrays.copyOf(all, count);
  }

  private static void put(ObjectNode payload, String path, JsonNode value) {
    int dot = path.indexOf('.');
    if (dot < 0) {
      payload.set(path, value);
    } else {
      String name = path.substring(0, dot);
      JsonNode child = payload.get(name);
      put(child instanceof ObjectNode object ? object : payload.putObject(name),
          path.substring(dot + 1), value);
    }
  }

  private static JsonNode[] strings(String... values) {
    JsonNode[] nodes = new JsonNode[values.length];
    for (int i = 0; i < values.length; i++) {
      nodes[i] = JSON.textNode(values[i]);
    }
    return nodes;
  }

  private static JsonNode[] numbered(String prefix, int count) {
    JsonNode[] nodes = new JsonNode[count];
    for (int i = 0; i < count; i++) {
      nodes[i] = JSON.textNode(prefix + i);
    }
    return nodes;
  }

  private static JsonNode[] ports(int count) {
    JsonNode[] nodes = new JsonNode[count];
    for (int i = 0; i < count; i++) {
      nodes[i] = JSON.numberNode(8_000 + i);
    }
    return nodes;
  }
}
