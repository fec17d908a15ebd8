package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.filter.Filter;
import dev.dagflow.filter.FilterException;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.json.internal.JsonValues;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.InvalidEventException;
import dev.dagflow.trigger.InvalidTriggerException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Mutated valid documents through every JSON entry point, as text and as trees: each input is
 * either accepted and round-trips exactly (written, read back, equal) or refused with the
 * entry point's documented exception, and no call takes a second. Every entry point and form
 * must see both outcomes, so none can become vacuous (seeds every call refuses test nothing).
 * Replay a failure with the seed it prints: {@code -Ddagflow.fuzz.seed=<seed>};
 * {@code -Ddagflow.fuzz.cases=<n>} runs more cases per entry point and form.
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
  /**
   * How such a module reads free JSON it hands on: decimals exact, as dagflow's own reader
   * does, so that a number no double holds reaches dagflow instead of being rounded to 0 or
   * infinity by the host.
   */
  private static final ObjectReader HOST_EXACT =
      HOST.reader().with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final DagSpec ONE_NODE =
      DagSpec.builder("fuzz").node(NodeSpec.task("a", "t")).build();
  /** What the handler of task type {@code r} returns, by the case named in the run's params. */
  private static final Map<String, JsonNode> RESULTS = new ConcurrentHashMap<>();

  private static DagEngine engine;

  /** The entry points, each with its seeds. */
  enum EntryPoint {
    NATIVE, SIMULATION, SCAN, FILTER, TRIGGER_FILTER, EVENT_PAYLOAD, PARAMS, RESULT,
    CONFIG_PATCH, DEFAULT_CONFIG, CONFIG, METADATA, ACTIVATION, CONDITION
  }

  /** What became of one case. */
  private enum Outcome { ACCEPTED, REFUSED, NOT_JSON }

  @BeforeAll
  static void startEngine() {
    engine = DagEngine.builder().handler("t", ctx -> null)
        .handler("r", ctx -> RESULTS.get(ctx.params().get("case").textValue())).build();
    engine.start();
  }

  @AfterAll
  static void closeEngine() {
    engine.close();
  }

  @ParameterizedTest
  @EnumSource(EntryPoint.class)
  void treesAndTextAreAcceptedAndRoundTripOrRefusedAsDocumented(EntryPoint entry)
      throws Exception {
    Map<Outcome, Integer> outcomes = new EnumMap<>(Outcome.class);
    fuzz(entry, true, outcomes);
    fuzz(entry, false, outcomes);
    assertThat(outcomes).as("%s: some cases accepted and some refused; replay with"
        + " -Ddagflow.fuzz.seed=%s", entry, SEED)
        .containsKeys(Outcome.ACCEPTED, Outcome.REFUSED);
  }

  private static void fuzz(EntryPoint entry, boolean tree, Map<Outcome, Integer> outcomes)
      throws Exception {
    List<JsonNode> seeds = FuzzSeeds.of(entry, SEED);
    String form = entry + (tree ? " tree" : " text");
    for (int i = 0; i < CASES; i++) {
      long caseSeed = SEED * 1_000_003L + entry.ordinal() * 10_007L + (tree ? 5_003L : 0) + i;
      JsonNode seed = seeds.get(Math.floorMod(caseSeed, seeds.size()));
      JsonMutations.Mutant m = new JsonMutations(caseSeed).mutate(seed);
      try {
        outcomes.merge(check(entry, tree, m, form + " " + i), 1, Integer::sum);
      } catch (Throwable t) {
        throw new AssertionError("fuzz case " + i + " of " + form + " failed ("
            + m.description() + "); replay with -Ddagflow.fuzz.seed=" + SEED, t);
      }
    }
  }

  private static Outcome check(EntryPoint entry, boolean tree, JsonMutations.Mutant m,
      String name) throws Exception {
    switch (entry) {
      case NATIVE, SIMULATION, SCAN -> {
        return dag(SpecFormat.valueOf(entry.name()), tree, m);
      }
      case FILTER -> {
        Filter f = accepted(() -> tree ? Filter.parse(m.tree()) : Filter.parse(m.text()),
            FilterException.class);
        return f == null ? Outcome.REFUSED : roundTrip(f);
      }
      case TRIGGER_FILTER -> {
        EventTrigger.Builder b = EventTrigger.builder("t1").eventType("e").template("x");
        EventTrigger t = accepted(() -> (tree ? b.filter(m.tree()) : b.filter(m.text())).build(),
            InvalidTriggerException.class);
        return t == null ? Outcome.REFUSED : roundTrip(t.filter());
      }
      default -> {
        ObjectNode object = objectOrNull(tree, m);
        return object == null ? Outcome.NOT_JSON : free(entry, object, name);
      }
    }
  }

  /** Free JSON handed in as an object: a tree, or text a host parsed. */
  private static Outcome free(EntryPoint entry, ObjectNode value, String name) throws Exception {
    switch (entry) {
      case EVENT_PAYLOAD -> {
        Event e = accepted(() -> Event.builder("e").payload(value).build(),
            InvalidEventException.class);
        if (e == null) {
          return Outcome.REFUSED;
        }
        ObjectNode back = (ObjectNode) timed(() -> HOST.readTree(write(e.payload())));
        assertThat(Event.builder("e").payload(back).build().payload()).isEqualTo(e.payload());
        assertThat(timed(() -> HOST.readTree(write(e.document())))).isNotNull();
        return Outcome.ACCEPTED;
      }
      case PARAMS -> {
        String run = accepted(() -> engine.submit(ONE_NODE, value), InvalidJsonException.class);
        if (run == null) {
          return Outcome.REFUSED;
        }
        ObjectNode kept = engine.get(run).params();
        roundTripsAsText(kept);
        roundTripsAsText(JSON.objectNode().set("params", kept));
        return Outcome.ACCEPTED;
      }
      case RESULT -> {
        return result(value, name);
      }
      case CONFIG_PATCH -> {
        return patch(value);
      }
      case DEFAULT_CONFIG -> {
        ExecutionPolicy p = accepted(() -> ExecutionPolicy.builder("p")
            .defaultConfig("t", value).build(), InvalidJsonException.class);
        if (p == null) {
          return Outcome.REFUSED;
        }
        roundTripsAsText(p.defaultConfig("t").orElseThrow());
        return Outcome.ACCEPTED;
      }
      case CONFIG -> {
        return spec(() -> DagSpec.builder("d").node(NodeSpec.task("a", "t").config(value)));
      }
      case METADATA -> {
        return spec(() -> DagSpec.builder("d").metadata(value).node(NodeSpec.task("a", "t")));
      }
      case ACTIVATION -> {
        return spec(() -> DagSpec.builder("d").node(NodeSpec.task("a", "t").activation(value)));
      }
      case CONDITION -> {
        return spec(() -> DagSpec.builder("d").node(NodeSpec.task("up", "t"))
            .node(NodeSpec.task("a", "t").dependsOn(Edge.of("up", EdgeType.SUCCESS, value))));
      }
      default -> throw new IllegalStateException(entry.name());
    }
  }

  /**
   * A handler returns the value: stored equal by value to what its text says (a binary node
   * as its base64 text, -0.0 as 0.0), exactly round-tripping, or failing with INVALID_RESULT.
   */
  private static Outcome result(ObjectNode value, String name) throws Exception {
    RESULTS.put(name, value);
    DagSpec spec = DagSpec.builder("result").node(NodeSpec.task("a", "r")).build();
    String run = timed(() -> engine.submit(spec, JSON.objectNode().put("case", name)));
    RunView view = timed(() -> engine.await(run, LIMIT));
    RESULTS.remove(name);
    NodeView node = view.node("a").orElseThrow();
    if (node.state() == NodeState.FAILED) {
      assertThat(node.errorCode()).contains("INVALID_RESULT");
      return Outcome.REFUSED;
    }
    assertThat(node.state()).isEqualTo(NodeState.COMPLETED);
    JsonNode stored = node.result().orElseThrow();
    JsonNode said = timed(() -> HOST.readTree(write(value)));
    assertThat(JsonValues.equal(stored, said)).as("%s equals %s by value", stored, said).isTrue();
    roundTripsAsText(stored);
    return Outcome.ACCEPTED;
  }

  /** A live config update of a node not yet started: applied and round-tripping, or refused. */
  private static Outcome patch(ObjectNode value) throws Exception {
    DagSpec spec = DagSpec.builder("patch").node(NodeSpec.task("a", "t")
        .notBefore(Instant.now().plus(Duration.ofDays(30)))).build();
    String run = engine.submit(spec, JSON.objectNode());
    try {
      Boolean applied = accepted(() -> {
        engine.updateNodeConfig(run, "a", value, "fuzz");
        return true;
      }, InvalidJsonException.class);
      if (applied == null) {
        assertThat(engine.get(run).node("a").orElseThrow().config()).isEmpty();
        return Outcome.REFUSED;
      }
      ObjectNode config = engine.get(run).node("a").orElseThrow().config();
      value.properties().forEach(e -> assertThat(config.has(e.getKey()))
          .as(e.getKey()).isEqualTo(!e.getValue().isNull()));
      roundTripsAsText(config);
      return Outcome.ACCEPTED;
    } finally {
      engine.stop(run, "fuzz");
    }
  }

  /** A spec built with the value: round-tripping through text and trees, or refused. */
  private static Outcome spec(Callable<DagSpec.Builder> builder) throws Exception {
    DagSpec spec = accepted(() -> builder.call().build(), InvalidJsonException.class,
        InvalidDagException.class);
    if (spec == null) {
      return Outcome.REFUSED;
    }
    String written = timed(() -> DagJson.write(spec));
    assertThat(timed(() -> DagJson.read(written))).isEqualTo(spec);
    assertThat(timed(() -> DagJson.reader().read(DagJson.toTree(spec)))).isEqualTo(spec);
    return Outcome.ACCEPTED;
  }

  private static Outcome dag(SpecFormat format, boolean tree, JsonMutations.Mutant m)
      throws Exception {
    DagJson.Reader reader = DagJson.reader().format(format);
    DagSpec spec;
    try {
      spec = timed(() -> tree ? reader.read(m.tree()) : reader.read(m.text()));
    } catch (InvalidDagException e) {
      assertThat(e.getMessage().length()).as("a message stays small").isLessThan(50_000);
      return Outcome.REFUSED;
    }
    String written = timed(() -> DagJson.write(spec));
    assertThat(timed(() -> DagJson.read(written))).isEqualTo(spec);
    assertThat(timed(() -> DagJson.reader().read(DagJson.toTree(spec)))).isEqualTo(spec);
    return Outcome.ACCEPTED;
  }

  private static Outcome roundTrip(Filter f) throws Exception {
    assertThat(timed(() -> Filter.parse(f.toString()))).isEqualTo(f);
    assertThat(timed(() -> Filter.parse(f.toJson()))).isEqualTo(f);
    JsonNode event = Event.builder("e").project("p")
        .payload((ObjectNode) FuzzSeeds.of(EntryPoint.EVENT_PAYLOAD, SEED).get(0)).build()
        .document();
    timed(() -> f.matches(event));
    return Outcome.ACCEPTED;
  }

  private static void roundTripsAsText(JsonNode value) throws Exception {
    assertThat(timed(() -> HOST.readTree(write(value)))).isEqualTo(value);
  }

  /** The text as a host would parse it, or the tree; null when not an object or not JSON. */
  private static ObjectNode objectOrNull(boolean tree, JsonMutations.Mutant m) throws Exception {
    if (tree) {
      return m.tree() instanceof ObjectNode o ? o : null;
    }
    try {
      return timed(() -> HOST_EXACT.readTree(m.text())) instanceof ObjectNode o ? o : null;
    } catch (JsonProcessingException | NumberFormatException notJson) {
      // the host's parser refused it (Jackson throws the latter for an exponent no BigDecimal
      // holds): nothing reaches dagflow
      return null;
    }
  }

  /** The result, or null if refused with one of {@code refusals}; any other exception fails. */
  @SafeVarargs
  private static <T> T accepted(Callable<T> call, Class<? extends Exception>... refusals)
      throws Exception {
    try {
      return timed(call);
    } catch (Exception e) {
      for (Class<? extends Exception> refusal : refusals) {
        if (refusal.isInstance(e)) {
          return null;
        }
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
}
