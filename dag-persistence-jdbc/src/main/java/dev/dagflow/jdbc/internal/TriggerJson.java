package dev.dagflow.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * Triggers and events as the JSON text of their rows. A trigger's filter is kept as its own JSON
 * text, read back by the same parser a filter given as text goes through; an event is the JSON of
 * {@link Event#document()}, rebuilt with {@link Event#builder}. Stateless.
 */
final class TriggerJson {
  private TriggerJson() {}

  static String write(EventTrigger trigger) {
    ObjectNode json = JsonCodec.MAPPER.createObjectNode();
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
    return JsonCodec.write(json);
  }

  static EventTrigger read(String text) {
    ObjectNode json = JsonCodec.readObject(text, "trigger");
    EventTrigger.Builder b = EventTrigger.builder(json.path("id").asText())
        .eventType(json.path("eventType").asText())
        .filter(json.path("filter").asText())
        .enabled(json.path("enabled").asBoolean())
        .overlap(OverlapPolicy.valueOf(json.path("overlap").asText()));
    if (json.hasNonNull("project")) {
      b.project(json.get("project").asText());
    }
    String template = json.path("template").asText();
    if (json.hasNonNull("templateVersion")) {
      b.template(template, json.get("templateVersion").asInt());
    } else {
      b.template(template);
    }
    Map<String, String> mapping = new TreeMap<>();
    Iterator<Map.Entry<String, JsonNode>> fields = json.path("mapping").fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> field = fields.next();
      mapping.put(field.getKey(), field.getValue().asText());
    }
    return b.mapping(mapping).build();
  }

  static String write(Event event) {
    return JsonCodec.write(event.document());
  }

  static Event readEvent(String text) {
    ObjectNode json = JsonCodec.readObject(text, "event");
    Event.Builder b = Event.builder(json.path("type").asText())
        .id(json.path("id").asText())
        .payload((ObjectNode) json.get("payload"))
        .depth(json.path("depth").asInt());
    if (json.hasNonNull("project")) {
      b.project(json.get("project").asText());
    }
    if (json.hasNonNull("time")) {
      b.time(Instant.parse(json.get("time").asText()));
    }
    if (json.hasNonNull("cause")) {
      b.cause(json.get("cause").asText());
    }
    return b.build();
  }
}
