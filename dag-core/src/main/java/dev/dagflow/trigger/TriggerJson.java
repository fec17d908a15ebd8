package dev.dagflow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.JsonFields;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JSON forms of an {@link EventTrigger} and an {@link Event}. A trigger is {@code {"id",
 * "project", "eventType", "filter", "template", "templateVersion", "mapping", "enabled",
 * "overlap"}}, its filter written as the filter's JSON text (a string), so that it reads back
 * through the parser a filter given as text goes through; read, the filter may also be a JSON
 * object. An event is its {@link Event#document() document}. Counters are not part of a
 * trigger's form.
 *
 * <p>Stateless and thread-safe. What {@code toJson} writes, {@code fromJson} reads back equal.
 */
public final class TriggerJson {
  private static final Set<String> TRIGGER_FIELDS = Set.of("id", "project", "eventType",
      "filter", "template", "templateVersion", "mapping", "enabled", "overlap");
  private static final Set<String> EVENT_FIELDS = Set.of("id", "type", "project", "payload",
      "time", "cause", "depth");

  private TriggerJson() {}

  /** The trigger as a new JSON object. */
  public static ObjectNode toJson(EventTrigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("id", trigger.id());
    trigger.project().ifPresent(p -> json.put("project", p));
    json.put("eventType", trigger.eventType());
    json.put("filter", trigger.filter().toString());
    json.put("template", trigger.templateName());
    trigger.templateVersion().ifPresent(v -> json.put("templateVersion", v));
    ObjectNode mapping = json.putObject("mapping");
    trigger.mapping().forEach(mapping::put);
    json.put("enabled", trigger.enabled());
    json.put("overlap", trigger.overlap().name());
    return json;
  }

  /**
   * The trigger {@code json} describes. {@code id}, {@code eventType} and {@code template} are
   * required; {@code enabled} defaults to true, {@code overlap} to {@code ALLOW}, the filter to
   * one that matches every event. {@code json} is not changed.
   *
   * @throws InvalidTriggerException naming the field of the first problem: not an object, an
   *     unknown field, a missing or mistyped one, a bad filter, mapping or template
   */
  public static EventTrigger fromJson(JsonNode json) {
    try {
      JsonFields f = JsonFields.of(json, "", TRIGGER_FIELDS);
      EventTrigger.Builder b = EventTrigger.builder(f.requiredString("id"));
      f.string("project").ifPresent(b::project);
      f.string("eventType").ifPresent(b::eventType);
      f.value("filter").ifPresent(filter -> {
        if (filter.isTextual()) {
          b.filter(filter.textValue());
        } else if (filter.isObject()) {
          b.filter(filter);
        } else {
          throw new InvalidJsonException("filter", "must be a filter object or its JSON text");
        }
      });
      String template = f.requiredString("template");
      f.integer("templateVersion").ifPresentOrElse(v -> b.template(template, v),
          () -> b.template(template));
      f.object("mapping").ifPresent(m -> {
        Map<String, String> mapping = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> fields = m.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          if (!field.getValue().isTextual()) {
            throw new InvalidJsonException("mapping." + field.getKey(),
                "must be a path into the event document, as a string");
          }
          mapping.put(field.getKey(), field.getValue().textValue());
        }
        b.mapping(mapping);
      });
      f.bool("enabled").ifPresent(b::enabled);
      f.constant("overlap", OverlapPolicy.class).ifPresent(b::overlap);
      return b.build();
    } catch (InvalidJsonException e) {
      throw new InvalidTriggerException(e.path(), e.problem(), e);
    }
  }

  /** The event as a new JSON object: its {@link Event#document()}. */
  public static ObjectNode toJson(Event event) {
    return Objects.requireNonNull(event, "event").document();
  }

  /**
   * The event {@code json} describes, in the form of {@link Event#document()}. Only {@code type}
   * is required; without an {@code id} one is drawn, without {@code payload} it is empty.
   *
   * @throws InvalidEventException naming the field of the first problem
   */
  public static Event eventFromJson(JsonNode json) {
    try {
      JsonFields f = JsonFields.of(json, "", EVENT_FIELDS);
      Event.Builder b = Event.builder(f.requiredString("type"));
      f.string("id").ifPresent(b::id);
      f.string("project").ifPresent(b::project);
      f.object("payload").ifPresent(b::payload);
      f.instant("time").ifPresent(b::time);
      f.string("cause").ifPresent(b::cause);
      f.integer("depth").ifPresent(b::depth);
      return b.build();
    } catch (InvalidJsonException e) {
      throw new InvalidEventException(e.path(), e.problem(), e);
    }
  }
}
