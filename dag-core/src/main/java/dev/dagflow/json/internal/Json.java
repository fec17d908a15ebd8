package dev.dagflow.json.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * JSON helpers of the model: the one mapper dagflow reads and writes specs with, and the
 * canonical copy that makes configs immutable and comparable.
 *
 * <p>A canonical copy is a deep copy in which every integral number is an {@code int} node if it
 * fits, else a {@code long} node if it fits, else a big integer node, and every other number is
 * a {@code double} node. That is exactly what parsing the copy's JSON text gives back, so a value
 * survives a round trip through text unchanged and {@code equals} compares by value.
 */
public final class Json {
  /** Strict reader and writer: duplicate keys and trailing tokens are errors. */
  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
          .disable(JsonParser.Feature.ALLOW_COMMENTS)
          .build();

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
  private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

  private Json() {}

  /** A canonical deep copy of an object node. */
  public static ObjectNode canonicalCopy(ObjectNode node) {
    return (ObjectNode) canonical(node);
  }

  /**
   * A canonical deep copy of any JSON value.
   *
   * @throws IllegalArgumentException for a value that is not JSON (a POJO node), a number that
   *     is not finite, or nesting deeper than {@link #MAX_DEPTH}
   */
  public static JsonNode canonical(JsonNode node) {
    return canonical(node, 0);
  }

  /** The deepest nesting accepted, as Jackson's own reader does. */
  public static final int MAX_DEPTH = 1000;

  private static JsonNode canonical(JsonNode node, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("JSON nested more than " + MAX_DEPTH + " levels deep");
    }
    switch (node.getNodeType()) {
      case OBJECT -> {
        ObjectNode copy = NODES.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
          Map.Entry<String, JsonNode> e = it.next();
          copy.set(e.getKey(), canonical(e.getValue(), depth + 1));
        }
        return copy;
      }
      case ARRAY -> {
        ArrayNode copy = NODES.arrayNode(node.size());
        for (JsonNode element : node) {
          copy.add(canonical(element, depth + 1));
        }
        return copy;
      }
      case NUMBER -> {
        return canonicalNumber(node);
      }
      case STRING, BOOLEAN, NULL, MISSING -> {
        return node;
      }
      case BINARY -> {
        return NODES.textNode(node.asText());
      }
      default -> throw new IllegalArgumentException(
          "not a JSON value: " + node.getNodeType() + " (" + node.getClass().getSimpleName() + ")");
    }
  }

  private static JsonNode canonicalNumber(JsonNode n) {
    if (n.isIntegralNumber()) {
      if (n.canConvertToInt()) {
        return NODES.numberNode(n.intValue());
      }
      if (n.canConvertToLong()) {
        return NODES.numberNode(n.longValue());
      }
      BigInteger big = n.bigIntegerValue();
      if (big.compareTo(LONG_MIN) >= 0 && big.compareTo(LONG_MAX) <= 0) {
        return NODES.numberNode(big.longValue());
      }
      return NODES.numberNode(big);
    }
    double d = n.doubleValue();
    if (!Double.isFinite(d)) {
      throw new IllegalArgumentException("not a finite number: " + n);
    }
    return NODES.numberNode(d);
  }

  /** {@code a string "x"}, {@code null}, {@code an array}, … for messages. */
  public static String describe(JsonNode v) {
    if (v == null || v.isMissingNode()) {
      return "missing";
    }
    return switch (v.getNodeType()) {
      case NULL -> "null";
      case STRING -> "the string \"" + abbreviate(v.textValue()) + "\"";
      case NUMBER -> "the number " + v;
      case BOOLEAN -> v.toString();
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String abbreviate(String s) {
    return s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }
}
