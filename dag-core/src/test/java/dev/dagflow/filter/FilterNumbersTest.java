package dev.dagflow.filter;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.internal.JsonValues;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Numbers compare by value across every node type, in equality, ordering and index keys. */
class FilterNumbersTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private static ObjectNode doc(String field, JsonNode value) {
    return JSON.objectNode().set(field, value);
  }

  @Test
  void numbersOfEveryNodeTypeAreEqualByValue() {
    List<JsonNode> ones = List.of(JSON.numberNode(1), JSON.numberNode(1L),
        JSON.numberNode((short) 1), JSON.numberNode(BigInteger.ONE),
        JSON.numberNode(new BigDecimal("1.000")), JSON.numberNode(1.0), JSON.numberNode(1.0f));
    for (JsonNode filterValue : ones) {
      Filter f = Filter.parse(doc("a", filterValue));
      Filter in = Filter.parse(doc("a", JSON.arrayNode().add(filterValue)));
      Filter ne = Filter.parse(doc("a", JSON.objectNode().set("$ne", filterValue)));
      for (JsonNode value : ones) {
        assertThat(f.matches(doc("a", value))).as("%s vs %s", filterValue, value).isTrue();
        assertThat(in.matches(doc("a", value))).as("%s in %s", value, in).isTrue();
        assertThat(ne.matches(doc("a", value))).as("%s ne %s", value, ne).isFalse();
        assertThat(f.matches(doc("a", JSON.arrayNode().add(value)))).isTrue();
      }
      assertThat(f.matches(doc("a", JSON.numberNode(new BigDecimal("1.0000000000000000001")))))
          .isFalse();
    }
  }

  @Test
  void numbersOrderByValueAcrossTypes() {
    // each is strictly less than the next; neighbours differ beyond double or long precision
    List<JsonNode> ascending = List.of(
        JSON.numberNode(Double.NEGATIVE_INFINITY),
        JSON.numberNode(new BigDecimal("-1e400")),
        JSON.numberNode(Long.MIN_VALUE),
        JSON.numberNode(-2.5f),
        JSON.numberNode(-1),
        JSON.numberNode(new BigDecimal("0.1")),
        JSON.numberNode(new BigDecimal("0.10000000000000000001")),
        JSON.numberNode(9.5),
        JSON.numberNode(10L),
        JSON.numberNode(9007199254740992L),
        JSON.numberNode(9007199254740993L),
        JSON.numberNode(Long.MAX_VALUE),
        JSON.numberNode(9.3e18),
        JSON.numberNode(new BigInteger("18446744073709551616")),
        JSON.numberNode(new BigDecimal("18446744073709551616.5")),
        JSON.numberNode(Double.MAX_VALUE),
        JSON.numberNode(new BigDecimal("1e400")),
        JSON.numberNode(Double.POSITIVE_INFINITY));
    for (int i = 0; i < ascending.size(); i++) {
      for (int j = 0; j < ascending.size(); j++) {
        JsonNode operand = ascending.get(i);
        JsonNode value = ascending.get(j);
        if (!Double.isFinite(operand.doubleValue()) && !operand.isBigDecimal()) {
          continue; // a filter cannot hold an infinity; documents can
        }
        ObjectNode document = doc("n", value);
        String what = value + " vs " + operand;
        assertThat(matches("$gt", operand, document)).as(what).isEqualTo(j > i);
        assertThat(matches("$gte", operand, document)).as(what).isEqualTo(j >= i);
        assertThat(matches("$lt", operand, document)).as(what).isEqualTo(j < i);
        assertThat(matches("$lte", operand, document)).as(what).isEqualTo(j <= i);
        assertThat(matches("$eq", operand, document)).as(what).isEqualTo(j == i);
      }
    }
  }

  private static boolean matches(String operator, JsonNode operand, JsonNode document) {
    return Filter.parse(doc("n", JSON.objectNode().set(operator, operand))).matches(document);
  }

  @Test
  void doublesMeanWhatTheirTextSays() {
    assertThat(Filter.parse("{\"n\": 0.1}").matches(doc("n", JSON.numberNode(new BigDecimal("0.1")))))
        .isTrue();
    assertThat(Filter.parse("{\"n\": 0.1}").matches(doc("n", JSON.numberNode(0.1f)))).isTrue();
    assertThat(Filter.parse("{\"n\": 1e23}").matches(doc("n", JSON.numberNode(
        new BigInteger("100000000000000000000000"))))).isTrue();
    assertThat(Filter.parse("{\"n\": 2e23}").matches(doc("n", JSON.numberNode(
        new BigDecimal("2E+23"))))).isTrue();
    assertThat(Filter.parse("{\"n\": {\"$gt\": 1e23}}").matches(doc("n", JSON.numberNode(
        new BigInteger("100000000000000000000001"))))).isTrue();
    assertThat(JsonValues.canonicalKey(JSON.numberNode(1e23)))
        .isEqualTo(JsonValues.canonicalKey(JSON.numberNode(new BigInteger("100000000000000000000000"))));
  }

  @Test
  void nanMatchesNothingButNegations() {
    ObjectNode nan = doc("n", JSON.numberNode(Double.NaN));
    assertThat(Filter.parse("{\"n\": {\"$gte\": 0}}").matches(nan)).isFalse();
    assertThat(Filter.parse("{\"n\": {\"$lt\": 0}}").matches(nan)).isFalse();
    assertThat(Filter.parse("{\"n\": {\"$in\": [0, 1.5]}}").matches(nan)).isFalse();
    assertThat(Filter.parse("{\"n\": {\"$ne\": 0}}").matches(nan)).isTrue();
    assertThat(Filter.parse("{\"n\": {\"$exists\": true}}").matches(nan)).isTrue();
  }

  @Test
  void canonicalKeysAgreeWithEquality() {
    RandomFilters random = new RandomFilters(7);
    for (int i = 0; i < 2000; i++) {
      JsonNode a = random.number();
      JsonNode b = random.number();
      int ab = JsonValues.compareNumbers(a, b);
      assertThat(JsonValues.compareNumbers(b, a)).as("%s vs %s", a, b).isEqualTo(-ab);
      assertThat(JsonValues.canonicalKey(a).equals(JsonValues.canonicalKey(b)))
          .as("keys of %s and %s", a, b).isEqualTo(ab == 0);
    }
  }

  /**
   * Numbers of every node type and magnitude, around the limits of exact doubles and of long:
   * comparison is antisymmetric, transitive, the same for every node type holding a value, and
   * equal numbers have equal canonical keys.
   */
  @Test
  void numberComparisonIsATotalOrderAcrossNodeTypes() {
    long seed = 42;
    SplittableRandom random = new SplittableRandom(seed);
    for (int i = 0; i < 3000; i++) {
      List<JsonNode> a = sameNumber(random);
      List<JsonNode> b = sameNumber(random);
      List<JsonNode> c = sameNumber(random);
      String what = "seed " + seed + ", round " + i + ": " + a + " " + b + " " + c;
      int ab = JsonValues.compareNumbers(a.get(0), b.get(0));
      int bc = JsonValues.compareNumbers(b.get(0), c.get(0));
      int ac = JsonValues.compareNumbers(a.get(0), c.get(0));
      for (JsonNode x : a) {
        for (JsonNode y : b) {
          assertThat(JsonValues.compareNumbers(x, y)).as(what).isEqualTo(ab);
          assertThat(JsonValues.compareNumbers(y, x)).as(what).isEqualTo(-ab);
          if (ab == 0) {
            assertThat(JsonValues.canonicalKey(x)).as(what).isEqualTo(JsonValues.canonicalKey(y));
          }
        }
        assertThat(JsonValues.canonicalKey(x)).as(what).isEqualTo(JsonValues.canonicalKey(a.get(0)));
      }
      if (ab <= 0 && bc <= 0) {
        assertThat(ac).as(what).isLessThanOrEqualTo(0);
      }
      if (ab >= 0 && bc >= 0) {
        assertThat(ac).as(what).isGreaterThanOrEqualTo(0);
      }
    }
  }

  /** One number in each node type that holds it exactly. */
  private static List<JsonNode> sameNumber(SplittableRandom random) {
    long exactLimit = 1L << 53;
    switch (random.nextInt(4)) {
      case 0 -> {
        long l = switch (random.nextInt(4)) {
          case 0 -> random.nextLong();
          case 1 -> (random.nextBoolean() ? 1 : -1) * (exactLimit + random.nextInt(-3, 4));
          case 2 -> Long.MAX_VALUE - random.nextInt(3);
          default -> random.nextInt(-5, 6);
        };
        List<JsonNode> same = new ArrayList<>(List.of(JSON.numberNode(l),
            JSON.numberNode(BigInteger.valueOf(l)), JSON.numberNode(BigDecimal.valueOf(l)),
            JSON.numberNode(BigDecimal.valueOf(l).setScale(2))));
        if (l == (int) l) {
          same.add(JSON.numberNode((int) l));
        }
        if (Math.abs(l) <= exactLimit) {
          same.add(JSON.numberNode((double) l));
        }
        return same;
      }
      case 1 -> {
        double d = switch (random.nextInt(4)) {
          case 0 -> Double.longBitsToDouble(random.nextLong() & ~(0x7ffL << 52)
              | (long) random.nextInt(0x3ff - 80, 0x3ff + 80) << 52);
          case 1 -> (random.nextBoolean() ? 1 : -1) * Math.scalb(1.0, random.nextInt(50, 70))
              * (1 + random.nextInt(4) * Math.ulp(1.0));
          case 2 -> random.nextInt(-10, 10) / 4.0;
          default -> random.nextDouble() * 1e6;
        };
        if (d == Math.rint(d) && Math.abs(d) <= exactLimit) {
          return List.of(JSON.numberNode(d), JSON.numberNode((long) d),
              JSON.numberNode(new BigDecimal(d)));
        }
        return List.of(JSON.numberNode(d));
      }
      case 2 -> {
        BigInteger big = new BigInteger(70, new Random(random.nextLong()));
        return List.of(JSON.numberNode(big), JSON.numberNode(new BigDecimal(big).setScale(1)));
      }
      default -> {
        BigDecimal decimal = BigDecimal.valueOf(random.nextLong(), random.nextInt(-5, 25));
        return List.of(JSON.numberNode(decimal));
      }
    }
  }
}
