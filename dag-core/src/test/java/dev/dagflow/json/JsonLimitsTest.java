package dev.dagflow.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.filter.FilterException;
import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecFormat;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.InvalidEventException;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * One set of limits for text and trees: whatever is accepted can be written and read back in
 * every format; what cannot is refused naming its place.
 */
class JsonLimitsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** An object nesting {@code levels} levels, itself the first. */
  static ObjectNode nested(int levels) {
    ObjectNode top = JSON.objectNode();
    ObjectNode at = top;
    for (int i = 1; i < levels; i++) {
      at = at.putObject("x");
    }
    return top;
  }

  private static String nestedText(int levels) {
    return "{\"x\":".repeat(levels - 1) + "{}" + "}".repeat(levels - 1);
  }

  private static DagSpec roundTrip(DagSpec spec) {
    DagSpec back = DagJson.read(DagJson.write(spec));
    assertThat(back).isEqualTo(spec);
    return back;
  }

  static SpecProblem onlyProblem(Runnable read) {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class, read::run);
    assertThat(e).as("refused").isNotNull();
    assertThat(e.problems()).hasSize(1);
    return e.problems().get(0);
  }

  @Test
  void configNestsAsDeepAsItsPlaceInNativeJsonAllows() {
    // the config sits 3 levels down: {"nodes": [{"config": …}]}
    DagSpec deepest = DagSpec.builder("d").node(NodeSpec.task("a", "t")
        .config(nested(997))).build();
    roundTrip(deepest);
    assertThatThrownBy(() -> NodeSpec.task("a", "t").config(nested(998)))
        .isInstanceOf(InvalidJsonException.class)
        .satisfies(e -> assertThat(((InvalidJsonException) e).path()).isEqualTo("config"));
  }

  @Test
  void simulationAgentConfigIsCheckedWhereItWillBeWritten() {
    // the array form puts agentConfig 2 levels down, native output puts config 3 down
    String accepted = "[{\"nodeId\": \"a\", \"nodeType\": \"agent\", \"agentLoad\": \"t\","
        + " \"agentConfig\": " + nestedText(997) + "}]";
    roundTrip(DagJson.read(accepted, SpecFormat.SIMULATION));
    String tooDeep = "[{\"nodeId\": \"a\", \"nodeType\": \"agent\", \"agentLoad\": \"t\","
        + " \"agentConfig\": " + nestedText(998) + "}]";
    SpecProblem p = onlyProblem(() -> DagJson.read(tooDeep, SpecFormat.SIMULATION));
    assertThat(p.kind()).isEqualTo(SpecProblem.Kind.INVALID_VALUE);
    assertThat(p.path()).isEqualTo("nodes[0].agentConfig");
    assertThat(p.message()).contains("nests more than 997 levels");
  }

  @Test
  void aStringAgentConfigIsCheckedWhereItWillBeWritten() {
    ObjectNode node = JSON.objectNode().put("nodeId", "a").put("nodeType", "agent")
        .put("agentLoad", "t").put("agentConfig", nestedText(999));
    ArrayNode doc = JSON.arrayNode().add(node);
    SpecProblem p = onlyProblem(() -> DagJson.reader().format(SpecFormat.SIMULATION).read(doc));
    assertThat(p.path()).isEqualTo("nodes[0].agentConfig");

    node.put("agentConfig", nestedText(997));
    roundTrip(DagJson.reader().format(SpecFormat.SIMULATION).read(doc));
  }

  @Test
  void treesMeetTheLimitsTextMeets() {
    ObjectNode config = JSON.objectNode();
    config.put("big", new BigInteger("9".repeat(1501)));
    SpecProblem big = onlyProblem(() -> DagJson.reader().read(dag(config)));
    assertThat(big.path()).isEqualTo("nodes[0].config.big");
    assertThat(big.message())
        .isEqualTo("is a number of about 1501 digits; at most 1000 are allowed");

    ObjectNode longKey = JSON.objectNode().put("k".repeat(60_000), 1);
    SpecProblem key = onlyProblem(() -> DagJson.reader().read(dag(longKey)));
    assertThat(key.path()).isEqualTo("nodes[0].config");
    assertThat(key.message()).isEqualTo(
        "has a key of 60000 characters; at most 50000 are allowed");

    ObjectNode deep = dag(JSON.objectNode());
    deep.set("extra", nested(1001));
    SpecProblem depth = onlyProblem(() -> DagJson.reader().read(deep));
    assertThat(depth.message()).contains("nests more than 1000 levels");

    // the largest of each is accepted and reads back from its text
    ObjectNode edge = JSON.objectNode().put("n", new BigInteger("9".repeat(1000)))
        .put("k".repeat(50_000), "v");
    roundTrip(DagJson.reader().read(dag(edge)));
  }

  @Test
  void aMissingNodeIsRefusedNotWrittenAsNull() {
    ObjectNode config = JSON.objectNode();
    config.putArray("list").add(1).add(MissingNode.getInstance());
    SpecProblem p = onlyProblem(() -> DagJson.reader().read(dag(config)));
    assertThat(p.path()).isEqualTo("nodes[0].config.list[1]");
    assertThat(p.message()).startsWith("is a MissingNode, which is not a JSON value");

    ObjectNode metadata = JSON.objectNode().set("gone", MissingNode.getInstance());
    assertThatThrownBy(() -> DagSpec.builder("d").metadata(metadata))
        .isInstanceOf(InvalidJsonException.class).hasMessageStartingWith("metadata.gone: ");
  }

  @Test
  void aPojoOrNanInATreeIsRefusedNamingItsPlace() {
    ObjectNode config = JSON.objectNode();
    config.putObject("a").putPOJO("p", new Object());
    assertThat(onlyProblem(() -> DagJson.reader().read(dag(config))).path())
        .isEqualTo("nodes[0].config.a.p");
    ObjectNode nan = JSON.objectNode().put("x", Double.NaN);
    assertThat(onlyProblem(() -> DagJson.reader().read(dag(nan))).message())
        .isEqualTo("is not a finite number: NaN");
  }

  @Test
  void aNumberTooLargeForADoubleIsQuotedAsWritten() {
    String text = "{\"id\": \"d\", \"nodes\": [{\"id\": \"a\", \"taskType\": \"t\","
        + " \"config\": {\"x\": 1e400}}]}";
    SpecProblem p = onlyProblem(() -> DagJson.read(text));
    assertThat(p.path()).isEqualTo("nodes[0].config.x");
    assertThat(p.message()).isEqualTo(
        "is not a finite number: 1E+400 is beyond the range of a double");

    String retry = "{\"id\": \"d\", \"nodes\": [{\"id\": \"a\", \"taskType\": \"t\","
        + " \"retry\": {\"multiplier\": 1e400}}]}";
    SpecProblem r = onlyProblem(() -> DagJson.read(retry));
    assertThat(r.path()).isEqualTo("nodes[0].retry.multiplier");
    assertThat(r.message()).isEqualTo(
        "must be a finite number within the range of a double, was 1E+400");
  }

  @Test
  void malformedJsonAtAParserLimitHasALineAndColumn() {
    String deep = "{\"id\": \"d\",\n \"metadata\": " + nestedText(1001) + "}";
    SpecProblem p = onlyProblem(() -> DagJson.read(deep));
    assertThat(p.kind()).isEqualTo(SpecProblem.Kind.MALFORMED_JSON);
    assertThat(p.path()).matches("line 2, column \\d+");
    String longNumber = "{\"id\": \"d\",\n\n \"x\": " + "1".repeat(1001) + "}";
    assertThat(onlyProblem(() -> DagJson.read(longNumber)).path()).startsWith("line 3, column");

    FilterException f = catchThrowableOfType(FilterException.class,
        () -> Filter.parse("{\"a\":\n" + nestedText(1001) + "}"));
    assertThat(f.problem()).startsWith("malformed JSON at line 2, column ");
  }

  @Test
  void longInvalidIdsAreCutInTheMessageButKeptInTheProblems() {
    String id = "x y".repeat(1_000_000);
    String text = "{\"id\": \"d\", \"nodes\": [{\"id\": \"" + id + "\", \"taskType\": \"t\"},"
        + " {\"id\": \"b\", \"taskType\": \"t\", \"dependsOn\": [\"" + id + "\"]}]}";
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class,
        () -> DagJson.read(text));
    assertThat(e.getMessage().length()).isLessThan(2_000);
    assertThat(e.problems()).anySatisfy(p -> assertThat(p.nodeId()).contains(id));
  }

  @Test
  void filterTreesMeetTheLimits() {
    ObjectNode huge = JSON.objectNode();
    huge.putObject("n").put("$gt", BigInteger.TEN.pow(200_000));
    long start = System.nanoTime();
    FilterException e = catchThrowableOfType(FilterException.class, () -> Filter.parse(huge));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    assertThat(e.path()).isEqualTo("n.$gt");
    assertThat(e.problem()).startsWith("is a number of about 200000 digits");

    ObjectNode missing = JSON.objectNode().set("a", MissingNode.getInstance());
    assertThat(catchThrowableOfType(FilterException.class, () -> Filter.parse(missing)).path())
        .isEqualTo("a");
  }

  @Test
  void aFilterKeepsANumberBeyondADoublesRangeAsWritten() {
    Filter f = Filter.parse("{\"n\": {\"$gt\": 1e400}, \"m\": 0.1}");
    assertThat(f.matches(JSON.objectNode().put("n", new BigInteger("1" + "0".repeat(401)))
        .put("m", 0.1))).isTrue();
    assertThat(f.matches(JSON.objectNode().put("n", Double.MAX_VALUE).put("m", 0.1))).isFalse();
    assertThat(Filter.parse(f.toString())).isEqualTo(f);
    assertThat(f.toJson().get("m").isDouble()).isTrue();
  }

  @Test
  void eventPayloadsMeetTheLimitsInLinearTime() {
    ObjectNode payload = JSON.objectNode();
    payload.putObject("n").put("v", BigInteger.TEN.pow(200_000));
    long start = System.nanoTime();
    InvalidEventException e = catchThrowableOfType(InvalidEventException.class,
        () -> Event.builder("e").payload(payload));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    assertThat(e.field()).isEqualTo("payload.n.v");

    // the payload sits 1 level down in the event document
    assertThatThrownBy(() -> Event.builder("e").payload(nested(1000)))
        .isInstanceOf(InvalidEventException.class).hasMessageContaining("nests more than 999");
    assertThat(Event.builder("e").payload(nested(999)).build().payload())
        .isEqualTo(nested(999));
  }

  @Test
  void theCheckIsPublicForOtherModules() {
    JsonLimits.check(nested(1000), "doc", 0);
    InvalidJsonException e = catchThrowableOfType(InvalidJsonException.class,
        () -> JsonLimits.check(nested(1000), "doc", 1));
    assertThat(e.path()).isEqualTo("doc");
    assertThat(JsonLimits.readConstraints().getMaxNestingDepth()).isEqualTo(JsonLimits.MAX_DEPTH);
    assertThat(JsonLimits.readConstraints().getMaxNumberLength())
        .isEqualTo(JsonLimits.MAX_NUMBER_LENGTH);
    assertThat(JsonLimits.writeConstraints().getMaxNestingDepth())
        .isEqualTo(JsonLimits.MAX_DEPTH);
    JsonNode big = JSON.numberNode(new BigInteger("9".repeat(1000)));
    JsonLimits.check(big, "n", 0);
    assertThatThrownBy(() -> JsonLimits.check(JSON.numberNode(big.bigIntegerValue()
        .multiply(BigInteger.TEN)), "n", 0)).isInstanceOf(InvalidJsonException.class)
        .hasMessage("n: is a number of about 1001 digits; at most 1000 are allowed");
  }

  private static ObjectNode dag(ObjectNode config) {
    ObjectNode doc = JSON.objectNode().put("id", "d");
    doc.putArray("nodes").addObject().put("id", "a").put("taskType", "t").set("config", config);
    return doc;
  }
}
