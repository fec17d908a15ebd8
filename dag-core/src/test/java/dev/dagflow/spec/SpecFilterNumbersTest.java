package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.filter.Filter;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

/**
 * A decimal that is not the text of a double: exact in a filter parsed alone, the nearest double
 * in a spec's condition or activation (free JSON), as docs/concepts.md says.
 */
class SpecFilterNumbersTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String EXACT = "0.10000000000000001";

  private static String spec(String number) {
    return "{\"id\": \"d\", \"nodes\": [{\"id\": \"a\", \"taskType\": \"t\"},"
        + " {\"id\": \"b\", \"taskType\": \"t\", \"activation\": {\"params.x\": " + number + "},"
        + " \"dependsOn\": [{\"node\": \"a\", \"condition\": {\"result.x\": " + number + "}}]}]}";
  }

  @Test
  void aFilterParsedAloneKeepsTheExactDecimal() {
    Filter f = Filter.parse("{\"x\": " + EXACT + "}");
    assertThat(f.matches(JSON.objectNode().put("x", new BigDecimal(EXACT)))).isTrue();
    assertThat(f.matches(JSON.objectNode().put("x", 0.1))).isFalse();
  }

  @Test
  void aSpecsConditionAndActivationHoldTheNearestDouble() {
    NodeSpec b = DagJson.read(spec(EXACT)).node("b").orElseThrow();
    JsonNode condition = b.edges().get(0).condition().orElseThrow().get("result.x");
    JsonNode activation = b.activation().orElseThrow().get("params.x");
    for (JsonNode n : new JsonNode[] {condition, activation}) {
      assertThat(n.isDouble()).as("%s", n).isTrue();
      assertThat(n.doubleValue()).isEqualTo(0.1);
    }
  }

  @Test
  void aSpecsConditionAndActivationRefuseANumberBeyondADouble() {
    InvalidDagException e = catchThrowableOfType(InvalidDagException.class,
        () -> DagJson.read(spec("1e400")));
    assertThat(e.problems()).extracting(SpecProblem::kind)
        .containsExactly(SpecProblem.Kind.INVALID_VALUE, SpecProblem.Kind.INVALID_VALUE);
    assertThat(e.problems()).allSatisfy(p ->
        assertThat(p.message()).contains("1E+400 is beyond the range of a double"));
  }
}
