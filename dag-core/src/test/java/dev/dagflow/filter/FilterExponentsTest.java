package dev.dagflow.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.trigger.EventTrigger;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A filter number costs time linear in the digits written, never in its exponent: tiny and huge
 * exponents parse, index and compare at once, as text, as trees and in a trigger's filter.
 */
class FilterExponentsTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Generous for a loaded machine: the exponents below took seconds or threw. */
  private static final Duration FAST = Duration.ofSeconds(1);
  private static final List<String> EXTREME = List.of("1e-9999999", "1e-999999999",
      "-1e-999999999", "12345e-999999999", "1.5e-400", "1e999999999", "-7E+9999999",
      "0e-999999999", "0E+999999999", "1" + "0".repeat(500) + "e-999999000");

  private static ObjectNode doc(JsonNode x) {
    return JSON.objectNode().set("x", x);
  }

  private static JsonNode decimal(String literal) {
    return JSON.numberNode(new BigDecimal(literal));
  }

  @Test
  void extremeExponentsParseAtOnceAsTextTreesAndTriggerFilters() {
    // loading the parser's and the trigger's classes is not what is measured
    EventTrigger.builder("t").eventType("e").template("x").filter("{\"payload.x\": 1e-3}")
        .build().filter().matches(doc(decimal("1e-3")));
    for (String literal : EXTREME) {
      long start = System.nanoTime();
      Filter eq = Filter.parse("{\"payload.x\": " + literal + "}");
      Filter in = Filter.parse("{\"payload.x\": {\"$in\": [" + literal + ", 1]}}");
      ObjectNode tree = JSON.objectNode();
      tree.putObject("payload.x").set("$gte", decimal(literal));
      Filter gte = Filter.parse(tree);
      EventTrigger byText = EventTrigger.builder("t").eventType("e").template("x")
          .filter("{\"payload.x\": " + literal + "}").build();
      EventTrigger byTree = EventTrigger.builder("t").eventType("e").template("x")
          .filter(JSON.objectNode().set("payload.x", decimal(literal))).build();

      assertThat(Filter.parse(eq.toString())).as(literal).isEqualTo(eq);
      assertThat(Filter.parse(in.toJson())).as(literal).isEqualTo(in);
      assertThat(byText.filter()).as(literal).isEqualTo(byTree.filter()).isEqualTo(eq);
      assertThat(gte.matches(JSON.objectNode().set("payload",
          doc(decimal(literal))))).as(literal).isTrue();
      assertThat(eq.equalityKeys().get("payload.x")).as(literal).hasSize(1);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as(literal).isLessThan(FAST);
    }
  }

  @Test
  void aTinyNumberIsAFractionNeitherZeroNorADouble() {
    Filter eq = Filter.parse("{\"x\": 1e-999999999}");
    Filter in = Filter.parse("{\"x\": {\"$in\": [1e-999999999]}}");
    Filter gt = Filter.parse("{\"x\": {\"$gt\": 1e-999999999}}");
    for (Filter f : List.of(eq, in)) {
      assertThat(f.matches(doc(decimal("1e-999999999")))).as(f.toString()).isTrue();
      assertThat(f.matches(doc(decimal("10e-1000000000")))).as(f.toString()).isTrue();
      assertThat(f.matches(doc(JSON.numberNode(0)))).as(f.toString()).isFalse();
      assertThat(f.matches(doc(JSON.numberNode(0.0)))).as(f.toString()).isFalse();
      assertThat(f.matches(doc(JSON.numberNode(Double.MIN_VALUE)))).as(f.toString()).isFalse();
      assertThat(f.matches(doc(decimal("2e-999999999")))).as(f.toString()).isFalse();
    }
    assertThat(gt.matches(doc(JSON.numberNode(Double.MIN_VALUE)))).isTrue();
    assertThat(gt.matches(doc(decimal("11e-1000000000")))).isTrue();
    assertThat(gt.matches(doc(JSON.numberNode(0)))).isFalse();
    assertThat(gt.matches(doc(decimal("-1e-999999999")))).isFalse();
    assertThat(gt.matches(doc(decimal("1e-999999999")))).isFalse();
  }

  @Test
  void aHugeNumberComparesByValue() {
    Filter lt = Filter.parse("{\"x\": {\"$lt\": 1e999999999}}");
    Filter in = Filter.parse("{\"x\": {\"$in\": [1e999999999]}}");
    assertThat(lt.matches(doc(JSON.numberNode(Double.MAX_VALUE)))).isTrue();
    assertThat(lt.matches(doc(decimal("9.99e999999998")))).isTrue();
    assertThat(lt.matches(doc(decimal("1e999999999")))).isFalse();
    assertThat(lt.matches(doc(JSON.numberNode(Double.POSITIVE_INFINITY)))).isFalse();
    assertThat(in.matches(doc(decimal("10e999999998")))).isTrue();
    assertThat(in.matches(doc(JSON.numberNode(Double.POSITIVE_INFINITY)))).isFalse();
  }
}
