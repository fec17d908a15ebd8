package dev.dagflow.schedule;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.internal.Json;
import dev.dagflow.json.internal.Json.MalformedJsonException;
import dev.dagflow.trigger.OverlapPolicy;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Objects;
import java.util.Set;

/**
 * Reads and writes {@link Schedule}s as JSON, the form stores and the HTTP API use:
 *
 * <pre>{@code
 * {"id": "nightly-scan", "project": "acme", "template": "scan", "templateVersion": 3,
 *  "cron": "30 2 * * *", "zone": "Europe/Berlin", "params": {"depth": 2}, "enabled": true,
 *  "overlap": "SKIP", "misfire": "RUN_ALL", "misfireLimit": 10}
 * }</pre>
 *
 * <p>{@code id}, {@code template} and {@code cron} are required; {@code project} and {@code
 * templateVersion} are left out when absent, and the others have the builder's defaults. A
 * schedule written and read back is equal to the original. Every read either returns a valid
 * schedule or throws {@link InvalidScheduleException} naming the field: malformed JSON, an
 * unknown field, a wrong type, a bad value. Stateless and thread-safe.
 */
public final class ScheduleJson {
  private static final Set<String> FIELDS = Set.of("id", "project", "template",
      "templateVersion", "cron", "zone", "params", "enabled", "overlap", "misfire",
      "misfireLimit");

  private ScheduleJson() {}

  /** The schedule as compact JSON text. */
  public static String write(Schedule schedule) {
    try {
      return Json.MAPPER.writeValueAsString(toTree(schedule));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** The schedule as a JSON tree; the caller owns the tree. */
  public static ObjectNode toTree(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    ObjectNode json = Json.MAPPER.createObjectNode();
    json.put("id", schedule.id());
    schedule.project().ifPresent(p -> json.put("project", p));
    json.put("template", schedule.templateName());
    schedule.templateVersion().ifPresent(v -> json.put("templateVersion", v));
    json.put("cron", schedule.cron());
    json.put("zone", schedule.zone().getId());
    json.set("params", schedule.params());
    json.put("enabled", schedule.enabled());
    json.put("overlap", schedule.overlap().name());
    json.put("misfire", schedule.misfire().name());
    json.put("misfireLimit", schedule.misfireLimit());
    return json;
  }

  /**
   * Reads a schedule from JSON text.
   *
   * @throws InvalidScheduleException naming the field ({@code schedule} for malformed JSON or a
   *     document that is not an object)
   */
  public static Schedule read(String json) {
    Objects.requireNonNull(json, "json");
    JsonNode tree;
    try {
      tree = Json.readTree(json);
    } catch (MalformedJsonException e) {
      throw new InvalidScheduleException("schedule", "malformed JSON at " + e.where() + ": "
          + e.getMessage(), e);
    }
    if (tree == null) {
      throw new InvalidScheduleException("schedule", "the text holds no JSON document");
    }
    return read(tree);
  }

  /**
   * Reads a schedule from a JSON tree; the tree is not kept.
   *
   * @throws InvalidScheduleException naming the field
   */
  public static Schedule read(JsonNode json) {
    Objects.requireNonNull(json, "json");
    if (!json.isObject()) {
      throw new InvalidScheduleException("schedule", "must be an object, was "
          + Json.describe(json));
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw new InvalidScheduleException(Json.cut(name, 100), "is not a field of a schedule "
            + "(fields: " + String.join(", ", FIELDS.stream().sorted().toList()) + ")");
      }
    }
    Schedule.Builder b = Schedule.builder(text(json, "id"));
    if (has(json, "project")) {
      b.project(text(json, "project"));
    }
    String template = text(json, "template");
    if (has(json, "templateVersion")) {
      b.template(template, integer(json, "templateVersion"));
    } else {
      b.template(template);
    }
    b.cron(text(json, "cron"));
    if (has(json, "zone")) {
      b.zone(text(json, "zone"));
    }
    if (has(json, "params")) {
      JsonNode params = json.get("params");
      if (!params.isObject()) {
        throw new InvalidScheduleException("params", "must be an object, was "
            + Json.describe(params));
      }
      b.params((ObjectNode) params);
    }
    if (has(json, "enabled")) {
      JsonNode enabled = json.get("enabled");
      if (!enabled.isBoolean()) {
        throw new InvalidScheduleException("enabled", "must be true or false, was "
            + Json.describe(enabled));
      }
      b.enabled(enabled.booleanValue());
    }
    if (has(json, "overlap")) {
      b.overlap(constant(OverlapPolicy.class, json, "overlap"));
    }
    if (has(json, "misfireLimit")) {
      b.misfireLimit(integer(json, "misfireLimit"));
    }
    if (has(json, "misfire")) {
      b.misfire(constant(MisfirePolicy.class, json, "misfire"));
    }
    return b.build();
  }

  private static boolean has(JsonNode json, String field) {
    return json.has(field) && !json.get(field).isNull();
  }

  private static String text(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (value == null || value.isNull()) {
      throw new InvalidScheduleException(field, "is required");
    }
    if (!value.isTextual()) {
      throw new InvalidScheduleException(field, "must be a string, was " + Json.describe(value));
    }
    return value.textValue();
  }

  private static int integer(JsonNode json, String field) {
    JsonNode value = json.get(field);
    if (!value.isIntegralNumber() || !value.canConvertToInt()) {
      throw new InvalidScheduleException(field, "must be an integer, was "
          + Json.describe(value));
    }
    return value.intValue();
  }

  private static <E extends Enum<E>> E constant(Class<E> type, JsonNode json, String field) {
    String name = text(json, field);
    for (E e : type.getEnumConstants()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new InvalidScheduleException(field, "must be one of "
        + Arrays.toString(type.getEnumConstants()) + ", was '" + Json.cut(name, 100) + "'");
  }
}
