package dev.dagflow.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.SubmitRequest;
import dev.dagflow.filter.Filter;
import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.InvalidEventException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Free JSON keeps its numbers as integers and doubles, so a decimal no double holds is refused
 * naming its place, whether it overflows ({@code 1e400}) or underflows to zero ({@code 1e-400}),
 * and {@link JsonLimits#check} refuses exactly what the entry points refuse.
 */
class NumbersWithoutADoubleTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String TOO_SMALL =
      "is too close to zero for a double: 1E-400 is below the smallest double (4.9E-324)";

  private static JsonNode decimal(String literal) {
    return JSON.numberNode(new BigDecimal(literal));
  }

  private static ObjectNode x(JsonNode value) {
    return JSON.objectNode().set("x", value);
  }

  @Test
  void aDecimalThatWouldBecomeZeroIsRefusedNamingItsPlace() {
    String text = "{\"id\": \"d\", \"nodes\": [{\"id\": \"a\", \"taskType\": \"t\","
        + " \"config\": {\"x\": 1e-400}}]}";
    SpecProblem p = JsonLimitsTest.onlyProblem(() -> DagJson.read(text));
    assertThat(p.path()).isEqualTo("nodes[0].config.x");
    assertThat(p.message()).isEqualTo(TOO_SMALL);
    SpecProblem t = JsonLimitsTest.onlyProblem(
        () -> DagJson.reader().read(dag(x(decimal("1e-400")))));
    assertThat(t.path()).isEqualTo("nodes[0].config.x");
    assertThat(t.message()).isEqualTo(TOO_SMALL);

    String activation = "{\"id\": \"d\", \"nodes\": [{\"id\": \"a\", \"taskType\": \"t\","
        + " \"activation\": {\"params.n\": {\"$gt\": 1e-400}}}]}";
    assertThat(JsonLimitsTest.onlyProblem(() -> DagJson.read(activation)).path())
        .isEqualTo("nodes[0].activation.params.n.$gt");

    assertThatThrownBy(() -> DagSpec.builder("d").metadata(x(decimal("-1e-400"))))
        .isInstanceOf(InvalidJsonException.class)
        .hasMessage("metadata.x: is too close to zero for a double: -1E-400 is below the"
            + " smallest double (4.9E-324)");
    assertThatThrownBy(() -> Edge.of("a", EdgeType.SUCCESS,
        JSON.objectNode().set("result.n", decimal("1e-400"))))
        .isInstanceOf(InvalidJsonException.class).hasMessageStartingWith("condition.result.n: ");
    InvalidEventException e = catchThrowableOfType(InvalidEventException.class,
        () -> Event.builder("e").payload(x(decimal("1e-400"))));
    assertThat(e.field()).isEqualTo("payload.x");
    assertThat(e.getMessage()).contains(TOO_SMALL);
    assertThatThrownBy(() -> SubmitRequest.builder().params(x(decimal("1e-400"))))
        .isInstanceOf(InvalidJsonException.class).hasMessage("params.x: " + TOO_SMALL);
  }

  @Test
  void zeroAndSubnormalDoublesAreKept() {
    ObjectNode config = JSON.objectNode().set("zero", decimal("0e-999999999"));
    config.set("huge_zero", decimal("0E+999999999"));
    config.set("subnormal", decimal("1e-310"));
    config.set("smallest", decimal("4.9e-324"));
    DagSpec spec = DagSpec.builder("d").node(NodeSpec.task("a", "t").config(config)).build();
    ObjectNode kept = spec.nodes().get(0).config();
    assertThat(kept.get("zero").doubleValue()).isEqualTo(0.0);
    assertThat(kept.get("huge_zero").doubleValue()).isEqualTo(0.0);
    assertThat(kept.get("subnormal").doubleValue()).isEqualTo(1e-310);
    assertThat(kept.get("smallest").doubleValue()).isEqualTo(Double.MIN_VALUE);
    assertThat(DagJson.read(DagJson.write(spec))).isEqualTo(spec);
  }

  @Test
  void negativeZeroIsKeptAsZeroSoThatItReadsBack() {
    ObjectNode config = JSON.objectNode().put("z", -0.0);
    config.putArray("list").add(-0.0f);
    DagSpec spec = DagSpec.builder("d").metadata(config)
        .node(NodeSpec.task("a", "t").config(config)).build();
    assertThat(DagJson.read(DagJson.write(spec))).isEqualTo(spec);
    assertThat(DagJson.reader().read(DagJson.toTree(spec))).isEqualTo(spec);
    assertThat(Double.doubleToRawLongBits(spec.metadata().get("z").doubleValue())).isZero();
    Event e = Event.builder("e").payload(config).build();
    assertThat(e.payload().get("z").doubleValue()).isEqualTo(0.0);

    Filter f = Filter.parse(JSON.objectNode().put("z", -0.0));
    assertThat(Filter.parse(f.toString())).isEqualTo(f);
    assertThat(f.matches(JSON.objectNode().put("z", 0))).isTrue();
  }

  @Test
  void aFilterStillKeepsNumbersNoDoubleHolds() {
    Filter f = Filter.parse("{\"n\": {\"$gt\": 1e-400, \"$lt\": 1e400}}");
    assertThat(f.matches(JSON.objectNode().put("n", Double.MIN_VALUE))).isTrue();
    assertThat(f.matches(JSON.objectNode().put("n", 0))).isFalse();
    assertThat(Filter.parse(f.toString())).isEqualTo(f);

    // what a filter keeps can be written and read back: 1,000 digits and an exponent cannot
    ObjectNode many = JSON.objectNode().set("n", decimal("1" + "0".repeat(999) + "e-999999000"));
    assertThatThrownBy(() -> Filter.parse(many)).hasMessage("n: is a number written with 1009"
        + " digits, exponent included; at most 1000 are allowed");
    ObjectNode fewer = JSON.objectNode().set("n", decimal("1" + "0".repeat(990) + "e-999999000"));
    assertThat(Filter.parse(Filter.parse(fewer).toString())).isEqualTo(Filter.parse(fewer));
  }

  @Test
  void theCheckRefusesExactlyWhatTheEntryPointsRefuse() {
    Map<String, JsonNode> values = new LinkedHashMap<>();
    for (String literal : List.of("1e400", "-1e400", "1e-400", "-1e-400", "1e999999999",
        "1e-999999999", "1e-310", "4.9e-324", "2e-324", "0e-999999999", "0.1",
        "1.7976931348623157e308", "1.8e308", "0." + "3".repeat(998), "0." + "3".repeat(999),
        "1" + "0".repeat(999) + "e-999999000", "1" + "0".repeat(990) + "e-999999000")) {
      values.put(literal, decimal(literal));
    }
    values.put("1000 digits", JSON.numberNode(new BigInteger("9".repeat(1000))));
    values.put("1001 digits", JSON.numberNode(new BigInteger("9".repeat(1001))));
    values.put("NaN", JSON.numberNode(Double.NaN));
    values.put("Infinity", JSON.numberNode(Double.POSITIVE_INFINITY));
    values.put("POJO", JSON.pojoNode(new Object()));
    values.put("MissingNode", MissingNode.getInstance());

    Map<String, Consumer<ObjectNode>> entryPoints = new LinkedHashMap<>();
    entryPoints.put("config", v -> NodeSpec.task("a", "t").config(v));
    entryPoints.put("metadata", v -> DagSpec.builder("d").metadata(v));
    entryPoints.put("condition", v -> Edge.of("a", EdgeType.SUCCESS, v));
    entryPoints.put("payload", v -> Event.builder("e").payload(v));
    entryPoints.put("params", v -> SubmitRequest.builder().params(v));
    entryPoints.put("dag tree", v -> DagJson.reader().read(dag(v)));

    List<String> accepted = new ArrayList<>();
    List<String> refused = new ArrayList<>();
    for (Map.Entry<String, JsonNode> value : values.entrySet()) {
      ObjectNode doc = x(value.getValue());
      boolean checked = passes(() -> JsonLimits.check(doc, "v", 3));
      (checked ? accepted : refused).add(value.getKey());
      entryPoints.forEach((entry, call) -> assertThat(passes(() -> call.accept(doc)))
          .as("%s of %s, which the check %s", entry, value.getKey(),
              checked ? "accepts" : "refuses")
          .isEqualTo(checked));
    }
    assertThat(accepted).contains("1e-310", "0e-999999999", "1000 digits");
    assertThat(refused).contains("1e400", "1e-400", "1e-999999999", "1001 digits", "NaN",
        "1" + "0".repeat(999) + "e-999999000");
  }

  private static ObjectNode dag(ObjectNode config) {
    ObjectNode doc = JSON.objectNode().put("id", "d");
    doc.putArray("nodes").addObject().put("id", "a").put("taskType", "t").set("config", config);
    return doc;
  }

  /** Whether the call returns; refusing with anything but the documented exceptions fails. */
  private static boolean passes(Runnable call) {
    try {
      call.run();
      return true;
    } catch (InvalidJsonException | InvalidEventException | InvalidDagException refused) {
      return false;
    }
  }
}
