package dev.dagflow.json.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the fields of a JSON object strictly, for the public JSON forms of dag-core's values
 * (policies, triggers, events): a field of the wrong type, out of range or not known is an
 * {@link InvalidJsonException} naming its path. A {@code null} value counts as absent. Stateless.
 */
public final class JsonFields {
  private final ObjectNode object;
  private final String prefix;

  private JsonFields(ObjectNode object, String prefix) {
    this.object = object;
    this.prefix = prefix;
  }

  /**
   * The fields of {@code value}, which must be an object holding no field but {@code known};
   * {@code path} names it in messages (empty for a whole document).
   */
  public static JsonFields of(JsonNode value, String path, Set<String> known) {
    if (value == null || !value.isObject()) {
      throw new InvalidJsonException(path, "must be a JSON object, got " + Json.describe(value));
    }
    String prefix = path.isEmpty() ? "" : path + ".";
    Iterator<String> names = value.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw new InvalidJsonException(prefix + name, "is not a field here; known fields: "
            + new TreeSet<>(known));
      }
    }
    return new JsonFields((ObjectNode) value, prefix);
  }

  /** The path of field {@code name}, for messages. */
  public String path(String name) {
    return prefix + name;
  }

  /** The raw value of the field; empty if absent or null. */
  public Optional<JsonNode> value(String name) {
    JsonNode v = object.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  /** A string field. */
  public Optional<String> string(String name) {
    return value(name).map(v -> {
      if (!v.isTextual()) {
        throw wrongType(name, "a string", v);
      }
      return v.textValue();
    });
  }

  /** A string field that must be present. */
  public String requiredString(String name) {
    return string(name).orElseThrow(() -> new InvalidJsonException(path(name), "is required"));
  }

  /** An integral number field that fits an {@code int}. */
  public Optional<Integer> integer(String name) {
    return value(name).map(v -> {
      if (!v.isIntegralNumber() || !v.canConvertToInt()) {
        throw wrongType(name, "an integer from " + Integer.MIN_VALUE + " to "
            + Integer.MAX_VALUE, v);
      }
      return v.intValue();
    });
  }

  /** A number field that fits a finite {@code double}. */
  public Optional<Double> decimal(String name) {
    return value(name).map(v -> {
      if (!v.isNumber() || !Double.isFinite(v.doubleValue())) {
        throw wrongType(name, "a finite number", v);
      }
      return v.doubleValue();
    });
  }

  /** A boolean field. */
  public Optional<Boolean> bool(String name) {
    return value(name).map(v -> {
      if (!v.isBoolean()) {
        throw wrongType(name, "true or false", v);
      }
      return v.booleanValue();
    });
  }

  /** A duration written as ISO-8601 text, such as {@code PT30S}. */
  public Optional<Duration> duration(String name) {
    return string(name).map(s -> {
      try {
        return Duration.parse(s);
      } catch (DateTimeParseException e) {
        throw new InvalidJsonException(path(name), "must be an ISO-8601 duration such as "
            + "PT30S, got \"" + Json.cut(s, 60) + "\"");
      }
    });
  }

  /** An instant written as ISO-8601 text, such as {@code 2026-01-01T00:00:00Z}. */
  public Optional<Instant> instant(String name) {
    return string(name).map(s -> {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e) {
        throw new InvalidJsonException(path(name), "must be an ISO-8601 instant such as "
            + "2026-01-01T00:00:00Z, got \"" + Json.cut(s, 60) + "\"");
      }
    });
  }

  /** An enum constant written as its name, upper or lower case. */
  public <E extends Enum<E>> Optional<E> constant(String name, Class<E> type) {
    return string(name).map(s -> {
      try {
        return Enum.valueOf(type, s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new InvalidJsonException(path(name), "must be one of "
            + Arrays.toString(type.getEnumConstants()) + ", got \""
            + Json.cut(s, 60) + "\"");
      }
    });
  }

  /** An object field. */
  public Optional<ObjectNode> object(String name) {
    return value(name).map(v -> {
      if (!v.isObject()) {
        throw wrongType(name, "a JSON object", v);
      }
      return (ObjectNode) v;
    });
  }

  /** An array field whose items are all strings. */
  public Optional<List<String>> strings(String name) {
    return value(name).map(v -> {
      if (!v.isArray()) {
        throw wrongType(name, "an array of strings", v);
      }
      List<String> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        JsonNode item = v.get(i);
        if (!item.isTextual()) {
          throw new InvalidJsonException(path(name) + "[" + i + "]",
              "must be a string, got " + Json.describe(item));
        }
        out.add(item.textValue());
      }
      return out;
    });
  }

  private InvalidJsonException wrongType(String name, String expected, JsonNode got) {
    return new InvalidJsonException(path(name), "must be " + expected + ", got "
        + Json.describe(got));
  }
}
