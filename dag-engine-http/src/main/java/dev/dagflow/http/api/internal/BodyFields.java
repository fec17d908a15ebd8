package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fields of a request body the API itself defines (not those of a spec, policy or trigger,
 * which their codecs read): an unknown field, a wrong type or a value out of range is a 400
 * naming the field. A {@code null} value counts as absent.
 */
final class BodyFields {
  private final ObjectNode body;

  private BodyFields(ObjectNode body) {
    this.body = body;
  }

  static BodyFields of(ObjectNode body, Set<String> known) {
    Iterator<String> names = body.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!known.contains(name)) {
        throw ApiException.badField(name, "is not a field of this body; known fields: "
            + new TreeSet<>(known));
      }
    }
    return new BodyFields(body);
  }

  Optional<JsonNode> value(String name) {
    JsonNode v = body.get(name);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v);
  }

  Optional<String> string(String name) {
    return value(name).map(v -> {
      if (!v.isTextual()) {
        throw wrongType(name, "a string", v);
      }
      return v.textValue();
    });
  }

  Optional<Integer> integer(String name, int min, int max) {
    return value(name).map(v -> {
      if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < min
          || v.intValue() > max) {
        throw wrongType(name, "a whole number from " + min + " to " + max, v);
      }
      return v.intValue();
    });
  }

  Optional<Boolean> bool(String name) {
    return value(name).map(v -> {
      if (!v.isBoolean()) {
        throw wrongType(name, "true or false", v);
      }
      return v.booleanValue();
    });
  }

  Optional<ObjectNode> object(String name) {
    return value(name).map(v -> {
      if (!v.isObject()) {
        throw wrongType(name, "a JSON object", v);
      }
      return (ObjectNode) v;
    });
  }

  /** An array of strings, such as node ids; each element named by its index when it is not. */
  Optional<List<String>> strings(String name) {
    return value(name).map(v -> {
      if (!v.isArray()) {
        throw wrongType(name, "an array of strings", v);
      }
      List<String> out = new ArrayList<>(v.size());
      for (int i = 0; i < v.size(); i++) {
        if (!v.get(i).isTextual()) {
          throw wrongType(name + "[" + i + "]", "a string", v.get(i));
        }
        out.add(v.get(i).textValue());
      }
      return out;
    });
  }

  ObjectNode requiredObject(String name) {
    return object(name).orElseThrow(() -> ApiException.badField(name, "is required"));
  }

  static ApiException wrongType(String name, String expected, JsonNode got) {
    return ApiException.badField(name, "must be " + expected + ", got " + describe(got));
  }

  static String describe(JsonNode v) {
    return switch (v.getNodeType()) {
      case STRING -> "a string";
      case NUMBER -> v.toString().length() > 40 ? "a number of " + v.toString().length()
          + " characters" : "the number " + v;
      case BOOLEAN -> v.toString();
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case NULL -> "null";
      default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
