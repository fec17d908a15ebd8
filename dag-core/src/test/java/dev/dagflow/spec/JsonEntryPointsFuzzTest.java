package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.filter.Filter;
import dev.dagflow.filter.FilterException;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.InvalidEventException;
import dev.dagflow.trigger.InvalidTriggerException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutated valid documents through every JSON entry point, as text and as trees: each input is
 * either accepted and round-trips exactly (written, read back, equal) or refused with the
 * entry point's documented exception, and no call takes a second. Replay a failure with the
 * seed it prints: {@code -Ddagflow.fuzz.seed=<seed>}; {@code -Ddagflow.fuzz.cases=<n>} runs
 * more cases per entry point and form.
 */
class JsonEntryPointsFuzzTest {
  private static final long SEED = Long.getLong("dagflow.fuzz.seed", 20_261_201L);
  private static final int CASES = Integer.getInteger("dagflow.fuzz.cases", 60);
  private static final Duration LIMIT = Duration.ofSeconds(1);
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** What a module reading text for dagflow would use: a mapper within the public limits. */
  private static final JsonMapper HOST = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(JsonLimits.readConstraints())
      .streamWriteConstraints(JsonLimits.writeConstraints()).build()).build();
  private static final DagSpec ONE_NODE =
      DagSpec.builder("fuzz").node(NodeSpec.task("a", "t")).build();

  private static DagEngine engine;

  /** The entry points, each with its seeds. */
  enum EntryPoint { NATIVE, SIMULATION, SCAN, FILTER, TRIGGER_FILTER, EVENT_PAYLOAD, PARAMS }

  @BeforeAll
  static void startEngine() {
    engine = DagEngine.builder().handler("t", ctx -> null).build();
    engine.start();
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  @ParameterizedTest
  @EnumSource(EntryPoint.class)
  void treesAreAcceptedAndRoundTripOrRefusedAsDocumented(EntryPoint entry) throws Exception {
    fuzz(entry, true);
  }

  @ParameterizedTest
  @EnumSource(EntryPoint.class)
  void textIsAcceptedAndRoundTripsOrIsRefusedAsDocumented(EntryPoint entry) throws Exception {
    fuzz(entry, false);
  }

  private static void fuzz(EntryPoint entry, boolean tree) throws Exception {
    List<JsonNode> seeds = seeds(entry);
    for (int i = 0; i < CASES; i++) {
      long caseSeed = SEED * 1_000_003L + entry.ordinal() * 10_007L + (tree ? 5_003L : 0) + i;
      JsonNode seed = seeds.get(Math.floorMod(caseSeed, seeds.size()));
      JsonMutations.Mutant m = new JsonMutations(caseSeed).mutate(seed);
      try {
        check(entry, tree, m);
      } catch (Throwable t) {
        throw new AssertionError("fuzz case " + i + " of " + entry + (tree ? " tree" : " text")
            + " failed (" + m.description() + "); replay with -Ddagflow.fuzz.seed=" + SEED, t);
      }
    }
  }

  private static void check(EntryPoint entry, boolean tree, JsonMutations.Mutant m)
      throws Exception {
    switch (entry) {
      case NATIVE -> dag(SpecFormat.NATIVE, tree, m);
      case SIMULATION -> dag(SpecFormat.SIMULATION, tree, m);
      case SCAN -> dag(SpecFormat.SCAN, tree, m);
      case FILTER -> {
        Filter f = accepted(FilterException.class,
            () -> tree ? Filter.parse(m.tree()) : Filter.parse(m.text()));
        if (f != null) {
          roundTrip(f);
        }
      }
      case TRIGGER_FILTER -> {
        EventTrigger.Builder b = EventTrigger.builder("t1").eventType("e").template("x");
        EventTrigger t = accepted(InvalidTriggerException.class,
            () -> (tree ? b.filter(m.tree()) : b.filter(m.text())).build());
        if (t != null) {
          roundTrip(t.filter());
        }
      }
      case EVENT_PAYLOAD -> {
        ObjectNode payload = objectOrNull(tree, m);
        if (payload == null) {
          return;
        }
        Event e = accepted(InvalidEventException.class,
            () -> Event.builder("e").payload(payload).build());
        if (e != null) {
          ObjectNode back = (ObjectNode) timed(() -> HOST.readTree(write(e.payload())));
          assertThat(Event.builder("e").payload(back).build().payload()).isEqualTo(e.payload());
          assertThat(timed(() -> HOST.readTree(write(e.document())))).isNotNull();
        }
      }
      case PARAMS -> {
        ObjectNode params = objectOrNull(tree, m);
        if (params == null) {
          return;
        }
        String run = accepted(InvalidJsonException.class, () -> engine.submit(ONE_NODE, params));
        if (run != null) {
          ObjectNode kept = engine.get(run).params();
          assertThat(timed(() -> HOST.readTree(write(kept)))).isEqualTo(kept);
          ObjectNode doc = JSON.objectNode().set("params", kept);
          assertThat(timed(() -> HOST.readTree(write(doc)))).isEqualTo(doc);
        }
      }
      default -> throw new IllegalStateException(entry.name());
    }
  }

  private static void dag(SpecFormat format, boolean tree, JsonMutations.Mutant m)
      throws Exception {
    DagJson.Reader reader = DagJson.reader().format(format);
    DagSpec spec;
    try {
      spec = timed(() -> tree ? reader.read(m.tree()) : reader.read(m.text()));
    } catch (InvalidDagException e) {
      assertThat(e.getMessage().length()).as("a message stays small").isLessThan(50_000);
      return;
    }
    String written = timed(() -> DagJson.write(spec));
    assertThat(timed(() -> DagJson.read(written))).isEqualTo(spec);
    assertThat(timed(() -> DagJson.reader().read(DagJson.toTree(spec)))).isEqualTo(spec);
  }

  private static void roundTrip(Filter f) throws Exception {
    assertThat(timed(() -> Filter.parse(f.toString()))).isEqualTo(f);
    assertThat(timed(() -> Filter.parse(f.toJson()))).isEqualTo(f);
    timed(() -> f.matches(seeds(EntryPoint.EVENT_PAYLOAD).get(0)));
  }

  /** The text as a host would parse it, or the tree; null when not an object or not JSON. */
  private static ObjectNode objectOrNull(boolean tree, JsonMutations.Mutant m) throws Exception {
    if (tree) {
      return m.tree() instanceof ObjectNode o ? o : null;
    }
    try {
      return timed(() -> HOST.readTree(m.text())) instanceof ObjectNode o ? o : null;
    } catch (JsonProcessingException notJson) {
      return null; // the host's parser refused it: nothing reaches dagflow
    }
  }

  /** The result, or null if refused with {@code refusal}; any other exception fails. */
  private static <T> T accepted(Class<? extends Exception> refusal, Callable<T> call)
      throws Exception {
    try {
      return timed(call);
    } catch (Exception e) {
      if (refusal.isInstance(e)) {
        return null;
      }
      throw e;
    }
  }

  private static <T> T timed(Callable<T> call) throws Exception {
    long start = System.nanoTime();
    try {
      return call.call();
    } finally {
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("one call").isLessThan(LIMIT);
    }
  }

  private static String write(JsonNode node) throws JsonProcessingException {
    return HOST.writeValueAsString(node);
  }

  private static List<JsonNode> seeds(EntryPoint entry) {
    return switch (entry) {
      case NATIVE -> List.of(tree(SeedWorkflowsTest.resource("cicd.json")),
          DagJson.toTree(RandomSpecs.generate(SEED)),
          DagJson.toTree(RandomSpecs.generate(SEED + 1)));
      case SIMULATION -> List.of(tree(SeedWorkflowsTest.resource("red-blue.json")),
          tree(SeedWorkflowsTest.resource("red-blue.json")).get("nodes"));
      case SCAN -> List.of(tree(SeedWorkflowsTest.resource("scan-pipeline.json")));
      case FILTER, TRIGGER_FILTER -> List.of(
          tree("{\"asset.type\": [\"domain\", \"ip\"], \"port\": {\"$gte\": 1, \"$lt\": 1024},"
              + " \"$or\": [{\"owner\": {\"$regex\": \"^sec-\"}}, {\"tags\": \"external\"}]}"),
          tree("{\"$and\": [{\"a\": {\"$in\": [1, 2.5, \"x\"]}}, {\"$not\": {\"b\": null}}],"
              + " \"c\": {\"$exists\": true, \"$ne\": {\"k\": [1]}}}"));
      case EVENT_PAYLOAD, PARAMS -> List.of(
          tree("{\"asset\": {\"type\": \"domain\", \"name\": \"x.example\"}, \"port\": 443,"
              + " \"tags\": [\"a\", \"b\"], \"score\": 0.5, \"owner\": \"sec-team\"}"),
          tree("{\"env\": \"prod\", \"targets\": [{\"host\": \"h1\", \"port\": 80},"
              + " {\"host\": \"h2\", \"ports\": [1, 2, 3]}], \"ratio\": 0.25, \"on\": true}"));
    };
  }

  private static JsonNode tree(String json) {
    try {
      return HOST.readTree(json);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
