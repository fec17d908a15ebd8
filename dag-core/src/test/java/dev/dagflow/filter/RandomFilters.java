package dev.dagflow.filter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Generates valid filters and documents over a small vocabulary of paths and values, so that
 * random filters often match random documents. Numbers come in every node type Jackson has, with
 * values that survive a round trip through JSON text.
 */
final class RandomFilters {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final List<String> FIELDS = List.of("a", "b", "c");
  private static final List<String> PATHS =
      List.of("a", "b", "c", "a.b", "a.0", "b.c.a", "a.b.0", "c.1");
  private static final List<String> STRINGS = List.of("x", "y", "xy", "", "b");
  private static final List<String> OPERATORS = List.of("$eq", "$ne", "$in", "$nin", "$gt",
      "$gte", "$lt", "$lte", "$exists", "$regex", "$contains");
  private static final List<String> REGEXES = List.of("x", "^x", "y$", "^$", "(?i)X", "x|b");

  private final SplittableRandom random;

  RandomFilters(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A random valid filter, with combinators up to {@code depth} levels deep. */
  ObjectNode filter(int depth) {
    ObjectNode filter = JSON.objectNode();
    int keys = random.nextInt(4);
    for (int i = 0; i < keys; i++) {
      int kind = random.nextInt(10);
      if (depth > 0 && kind == 0) {
        filter.set("$and", filters(depth - 1));
      } else if (depth > 0 && kind == 1) {
        filter.set("$or", filters(depth - 1));
      } else if (depth > 0 && kind == 2) {
        filter.set("$not", filter(depth - 1));
      } else {
        filter.set(path(), condition());
      }
    }
    return filter;
  }

  private ArrayNode filters(int depth) {
    ArrayNode list = JSON.arrayNode();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      list.add(filter(depth));
    }
    return list;
  }

  String path() {
    return PATHS.get(random.nextInt(PATHS.size()));
  }

  /** The value of a path key: a plain value, a list, or an operator object. */
  JsonNode condition() {
    return switch (random.nextInt(4)) {
      case 0 -> {
        JsonNode value = value(1);
        yield value.isArray() && value.isEmpty() ? list() : value;
      }
      case 1 -> list();
      default -> operators();
    };
  }

  private ObjectNode operators() {
    ObjectNode operators = JSON.objectNode();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      String op = OPERATORS.get(random.nextInt(OPERATORS.size()));
      operators.set(op, operand(op));
    }
    return operators;
  }

  private JsonNode operand(String op) {
    return switch (op) {
      case "$in", "$nin" -> list();
      case "$gt", "$gte", "$lt", "$lte" -> random.nextBoolean() ? number() : string();
      case "$exists" -> JSON.booleanNode(random.nextBoolean());
      case "$regex" -> JSON.textNode(REGEXES.get(random.nextInt(REGEXES.size())));
      default -> value(1);
    };
  }

  /** A non-empty array of values. */
  ArrayNode list() {
    ArrayNode list = JSON.arrayNode();
    int n = 1 + random.nextInt(3);
    for (int i = 0; i < n; i++) {
      list.add(value(0));
    }
    return list;
  }

  /** A document: usually an object, sometimes any other JSON value or a MissingNode. */
  JsonNode document() {
    int kind = random.nextInt(20);
    if (kind == 0) {
      return MissingNode.getInstance();
    }
    if (kind == 1) {
      return value(2);
    }
    ObjectNode document = JSON.objectNode();
    for (String field : FIELDS) {
      if (random.nextInt(4) != 0) {
        document.set(field, value(3));
      }
    }
    return document;
  }

  /** A JSON value, nested up to {@code depth} levels. */
  JsonNode value(int depth) {
    int kind = random.nextInt(depth > 0 ? 8 : 6);
    return switch (kind) {
      case 0, 1 -> number();
      case 2, 3 -> string();
      case 4 -> JSON.booleanNode(random.nextBoolean());
      case 5 -> JSON.nullNode();
      case 6 -> {
        ArrayNode array = JSON.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          array.add(value(depth - 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = JSON.objectNode();
        for (String field : FIELDS) {
          if (random.nextBoolean()) {
            object.set(field, value(depth - 1));
          }
        }
        yield object;
      }
    };
  }

  private JsonNode string() {
    return JSON.textNode(STRINGS.get(random.nextInt(STRINGS.size())));
  }

  /** A small number, in any node type; equal values across types are common on purpose. */
  JsonNode number() {
    int whole = random.nextInt(-1, 4);
    boolean half = random.nextInt(3) == 0;
    return switch (random.nextInt(7)) {
      case 0 -> JSON.numberNode(whole);
      case 1 -> JSON.numberNode((long) whole);
      case 2 -> JSON.numberNode(BigInteger.valueOf(whole));
      case 3 -> JSON.numberNode(whole + (half ? 0.5 : 0.0));
      case 4 -> JSON.numberNode(whole + (half ? 0.5f : 0.0f));
      case 5 -> JSON.numberNode(new BigDecimal(whole + (half ? ".50" : ".0")));
      default -> JSON.numberNode(BigDecimal.valueOf(whole).movePointRight(1).movePointLeft(1));
    };
  }

  int nextInt(int bound) {
    return random.nextInt(bound);
  }
}
