package dev.dagflow.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.JsonFields;
import dev.dagflow.trigger.OverlapPolicy;
import java.util.Objects;
import java.util.Set;

/**
 * The JSON form of a {@link Schedule}: {@code {"id", "project", "template", "templateVersion",
 * "cron", "zone", "params", "enabled", "overlap", "misfire", "misfireLimit"}}, the zone as its
 * id ({@code "Europe/Berlin"}), the policies as their names. {@code project} and {@code
 * templateVersion} are left out when absent. What a schedule has done ({@link ScheduleState})
 * is not part of its form.
 *
 * <p>Stateless and thread-safe. What {@code toJson} writes, {@code fromJson} reads back equal.
 */
public final class ScheduleJson {
  private static final Set<String> FIELDS = Set.of("id", "project", "template",
      "templateVersion", "cron", "zone", "params", "enabled", "overlap", "misfire",
      "misfireLimit");

  private ScheduleJson() {}

  /** The schedule as a new JSON object. */
  public static ObjectNode toJson(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    ObjectNode json = JsonNodeFactory.instance.objectNode();
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
   * The schedule {@code json} describes. {@code id}, {@code template} and {@code cron} are
   * required; the others have the defaults of {@link Schedule.Builder} (zone UTC, no params,
   * enabled, overlap {@code ALLOW}, misfire {@code RUN_ONCE}, limit 10). {@code json} is not
   * changed.
   *
   * @throws InvalidScheduleException naming the field of the first problem ({@code schedule}
   *     when the value is not an object): an unknown field, a missing or mistyped one, a bad
   *     cron expression, zone, policy or limit
   */
  public static Schedule fromJson(JsonNode json) {
    try {
      JsonFields f = JsonFields.of(json, "", FIELDS);
      Schedule.Builder b = Schedule.builder(f.requiredString("id"));
      f.string("project").ifPresent(b::project);
      String template = f.requiredString("template");
      f.integer("templateVersion").ifPresentOrElse(v -> b.template(template, v),
          () -> b.template(template));
      b.cron(f.requiredString("cron"));
      f.string("zone").ifPresent(b::zone);
      f.object("params").ifPresent(b::params);
      f.bool("enabled").ifPresent(b::enabled);
      f.constant("overlap", OverlapPolicy.class).ifPresent(b::overlap);
      f.integer("misfireLimit").ifPresent(b::misfireLimit);
      f.constant("misfire", MisfirePolicy.class).ifPresent(b::misfire);
      return b.build();
    } catch (InvalidJsonException e) {
      throw new InvalidScheduleException(e.path().isEmpty() ? "schedule" : e.path(),
          e.problem(), e);
    }
  }
}
