package dev.dagflow.spec.internal;

import static dev.dagflow.json.internal.Json.describe;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Reads the fields of one JSON object, adding a problem (with the path and node) for each field
 * that is missing, null, of the wrong type or out of range, and returning {@code null} for it.
 * Readers can thus go on and report every bad field, not only the first.
 */
public final class Fields {
  private final ObjectNode object;
  private final String path;
  private final String nodeId;
  private final List<SpecProblem> problems;

  public Fields(ObjectNode object, String path, String nodeId, List<SpecProblem> problems) {
    this.object = object;
    this.path = path;
    this.nodeId = nodeId;
    this.problems = problems;
  }

  /**
   * The object at {@code node}, or {@code null} after adding a problem if it is not an object.
   */
  public static ObjectNode asObject(JsonNode node, String path, String nodeId,
      List<SpecProblem> problems) {
    if (node instanceof ObjectNode o) {
      return o;
    }
    problems.add(new SpecProblem(Kind.INVALID_VALUE, nodeId, path,
        "must be an object, was " + describe(node)));
    return null;
  }

  /** The path of a field of this object. */
  public String pathOf(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  /** The node id problems are reported against; may be {@code null}. */
  public String nodeId() {
    return nodeId;
  }

  /** Whether the field is present (even as null). */
  public boolean has(String field) {
    return object.has(field);
  }

  /** Adds a problem about a field. */
  public void problem(Kind kind, String field, String message) {
    problems.add(new SpecProblem(kind, nodeId, pathOf(field), message));
  }

  /** Reports every field not in {@code known}. */
  public void rejectUnknown(Set<String> known) {
    Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        problem(Kind.UNKNOWN_FIELD, name, "unknown field '" + name + "'");
      }
    }
  }

  private JsonNode value(String field, JsonNodeType type, String expected, boolean required) {
    JsonNode v = object.get(field);
    if (v == null) {
      if (required) {
        problem(Kind.MISSING_FIELD, field, "required field '" + field + "' is missing");
      }
      return null;
    }
    if (v.getNodeType() != type) {
      problem(Kind.INVALID_VALUE, field, "must be " + expected + ", was " + describe(v));
      return null;
    }
    return v;
  }

  /** A string field. */
  public String text(String field, boolean required) {
    JsonNode v = value(field, JsonNodeType.STRING, "a string", required);
    return v == null ? null : v.textValue();
  }

  /** A string field that may also be null or absent, meaning none. */
  public String optionalText(String field) {
    JsonNode v = object.get(field);
    return v == null || v.isNull() ? null : text(field, false);
  }

  /** An integer field that fits in an {@code int}. */
  public Integer integer(String field) {
    JsonNode v = value(field, JsonNodeType.NUMBER, "an integer", false);
    if (v == null) {
      return null;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt()) {
      problem(Kind.INVALID_VALUE, field, "must be a 32-bit integer, was " + Json.showNumber(v));
      return null;
    }
    return v.intValue();
  }

  /** A number field. */
  public Double number(String field) {
    JsonNode v = value(field, JsonNodeType.NUMBER, "a number", false);
    if (v == null) {
      return null;
    }
    if (!Double.isFinite(v.doubleValue())) {
      problem(Kind.INVALID_VALUE, field, "must be a finite number within the range of a double,"
          + " was " + Json.showNumber(v));
      return null;
    }
    return v.doubleValue();
  }

  /** A boolean field. */
  public Boolean bool(String field) {
    JsonNode v = value(field, JsonNodeType.BOOLEAN, "true or false", false);
    return v == null ? null : v.booleanValue();
  }

  /** An object field of the format's own structure (a scope, a retry policy), not copied. */
  public ObjectNode object(String field) {
    return (ObjectNode) value(field, JsonNodeType.OBJECT, "an object", false);
  }

  /**
   * An object field of free JSON, as a canonical copy (see {@link Json}) checked against {@link
   * dev.dagflow.json.JsonLimits} at {@code depth}, the level it will sit at in native DAG JSON.
   */
  public ObjectNode freeJson(String field, int depth) {
    ObjectNode o = object(field);
    return o == null ? null : canonical(field, o, depth);
  }

  /**
   * A canonical copy of free JSON read for {@code field}, to sit {@code depth} levels down in
   * native DAG JSON, or {@code null} after a problem naming the offending place.
   */
  public ObjectNode canonical(String field, ObjectNode o, int depth) {
    try {
      return Json.canonicalCopy(o, pathOf(field), depth);
    } catch (InvalidJsonException e) {
      problems.add(new SpecProblem(Kind.INVALID_VALUE, nodeId, e.path(), e.problem()));
      return null;
    }
  }

  /** An array field. */
  public ArrayNode array(String field, boolean required) {
    return (ArrayNode) value(field, JsonNodeType.ARRAY, "an array", required);
  }

  /** An ISO-8601 duration field such as {@code "PT30S"}. */
  public Duration duration(String field) {
    String s = text(field, false);
    if (s == null) {
      return null;
    }
    try {
      return Duration.parse(s);
    } catch (DateTimeParseException e) {
      problem(Kind.INVALID_VALUE, field,
          "must be an ISO-8601 duration such as \"PT30S\", was \"" + s + "\"");
      return null;
    }
  }

  /** An ISO-8601 instant field such as {@code "2026-01-01T00:00:00Z"}. */
  public Instant instant(String field) {
    String s = text(field, false);
    if (s == null) {
      return null;
    }
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      problem(Kind.INVALID_VALUE, field,
          "must be an ISO-8601 instant such as \"2026-01-01T00:00:00Z\", was \"" + s + "\"");
      return null;
    }
  }

  /** An enum field, written in any case. */
  public <E extends Enum<E>> E enumValue(String field, Class<E> type) {
    return enumValue(field, type, false);
  }

  /** An enum field, written in any case, perhaps required. */
  public <E extends Enum<E>> E enumValue(String field, Class<E> type, boolean required) {
    String s = text(field, required);
    return s == null ? null : parseEnum(s, type, field);
  }

  /** The field's raw value, or {@code null} if absent. */
  public JsonNode raw(String field) {
    return object.get(field);
  }

  /** Fields of an object nested under {@code field}, reported against the same node. */
  public Fields nested(String field, ObjectNode nestedObject) {
    return new Fields(nestedObject, pathOf(field), nodeId, problems);
  }

  /** Parses an enum constant in any case, or adds a problem naming the accepted values. */
  public <E extends Enum<E>> E parseEnum(String s, Class<E> type, String field) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(s)) {
        return e;
      }
    }
    problem(Kind.INVALID_VALUE, field, "must be one of " + names(type) + ", was \"" + s + "\"");
    return null;
  }

  /** The lower-case names of an enum's constants. */
  public static String names(Class<? extends Enum<?>> type) {
    return Arrays.toString(Arrays.stream(type.getEnumConstants())
        .map(e -> e.name().toLowerCase(Locale.ROOT)).toArray());
  }
}
