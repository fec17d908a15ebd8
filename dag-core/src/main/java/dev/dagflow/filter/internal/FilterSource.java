package dev.dagflow.filter.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * The copy of a filter's JSON that a filter keeps: numbers in the one node type their JSON text
 * reads back as, so that a filter written as text and parsed again is equal to itself, with
 * their values unchanged ({@link JsonValues#equal}): integers as {@code int}, {@code long} or
 * big integer nodes, whichever is smallest; a decimal as the {@code double} whose text it is
 * (so {@code 0.1} and {@code 1.50} are doubles, as they always were), else as the exact
 * decimal ({@code 1E+400}, {@code 0.10000000000000001}, 990 digits of a fraction), which the
 * filter then compares exactly.
 *
 * <p>Stateless and thread-safe. The filter must be checked first: finite numbers of bounded
 * length, nesting within the filter's depth limit.
 */
public final class FilterSource {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private FilterSource() {}

  /** A deep copy with numbers in their text form's node type. */
  public static ObjectNode copy(ObjectNode filter) {
    return (ObjectNode) copyOf(filter);
  }

  private static JsonNode copyOf(JsonNode node) {
    if (node.isObject()) {
      ObjectNode copy = NODES.objectNode();
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        copy.set(e.getKey(), copyOf(e.getValue()));
      }
      return copy;
    }
    if (node.isArray()) {
      ArrayNode copy = NODES.arrayNode(node.size());
      for (JsonNode element : node) {
        copy.add(copyOf(element));
      }
      return copy;
    }
    return node.isNumber() ? number(node) : node.deepCopy();
  }

  private static JsonNode number(JsonNode n) {
    return switch (n.numberType()) {
      case INT, LONG, BIG_INTEGER -> integer(n.bigIntegerValue());
      // -0.0 becomes 0.0, as its text reads back ("-0.0" is the decimal 0.0, which has no sign)
      case DOUBLE -> n.doubleValue() == 0 ? NODES.numberNode(0.0) : n;
      case FLOAT -> decimal(new BigDecimal(Float.toString(n.floatValue())));
      case BIG_DECIMAL -> decimal(n.decimalValue());
    };
  }

  private static JsonNode integer(BigInteger i) {
    if (i.bitLength() < 32) {
      return NODES.numberNode(i.intValue());
    }
    if (i.compareTo(LONG_MIN) >= 0 && i.compareTo(LONG_MAX) <= 0) {
      return NODES.numberNode(i.longValue());
    }
    return NODES.numberNode(i);
  }

  /** A decimal of scale 0 is written as an integer; others as the double whose text they are. */
  private static JsonNode decimal(BigDecimal d) {
    if (d.scale() == 0) {
      return integer(d.unscaledValue());
    }
    double v = d.doubleValue();
    if (Double.isFinite(v) && new BigDecimal(Double.toString(v)).compareTo(d) == 0) {
      return NODES.numberNode(v);
    }
    return NODES.numberNode(d);
  }
}
