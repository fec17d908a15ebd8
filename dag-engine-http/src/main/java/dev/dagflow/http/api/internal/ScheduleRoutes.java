package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.CHANGE;
import static dev.dagflow.http.api.internal.Route.Access.READ;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleJson;
import dev.dagflow.schedule.ScheduleRegistry;
import dev.dagflow.schedule.UnknownScheduleException;
import dev.dagflow.template.UnknownTemplateException;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A project's cron schedules: list, create, read, replace, delete, in the JSON form of {@link
 * ScheduleJson}, each answered with its state (counters, last and next fire time). Schedule
 * ids are shared by every project: an id another project (or the global scope) holds is a
 * conflict.
 */
final class ScheduleRoutes {
  private static final String SCHEDULES = Paths.PROJECT + "/schedules";
  private static final String SCHEDULE = SCHEDULES + "/{id}";

  private final ScheduleRegistry schedules;
  /** Check and save as one step among this API's callers. */
  private final Object saves = new Object();

  ScheduleRoutes(DagEngine engine) {
    this.schedules = engine.schedules();
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", SCHEDULES, READ, "List the project's schedules with their state",
            Set.of(), "", this::list),
        new Route("POST", SCHEDULES, CHANGE, "Create a schedule", Set.of(), "Schedule",
            this::create),
        new Route("GET", SCHEDULE, READ, "One schedule with its counters and next fire time",
            Set.of(), "", this::get),
        new Route("PUT", SCHEDULE, CHANGE, "Create or replace a schedule (its counters stay)",
            Set.of(), "Schedule", this::put),
        new Route("DELETE", SCHEDULE, CHANGE, "Delete a schedule", Set.of(), "",
            this::delete));
  }

  private ApiResponse list(Call call) {
    ArrayNode items = Views.NODES.arrayNode();
    for (Schedule s : schedules.list()) {
      if (s.project().equals(Optional.of(call.project()))) {
        try {
          items.add(view(s));
        } catch (UnknownScheduleException e) {
          // deleted since the list was read: no longer one of the project's schedules
        }
      }
    }
    return Responses.ok(items);
  }

  private ApiResponse create(Call call) {
    Schedule schedule = ScheduleJson.fromJson(ProjectBodies.inProject(call.object(),
        call.project()));
    synchronized (saves) {
      if (schedules.get(schedule.id()).isPresent()) {
        throw ApiException.conflict("id", "a schedule with id '" + schedule.id()
            + "' exists; replace it with PUT on its own path");
      }
      save(schedule);
    }
    return Responses.created(view(schedule));
  }

  private ApiResponse get(Call call) {
    return Responses.ok(view(find(call)));
  }

  private ApiResponse put(Call call) {
    String id = call.path("id");
    Schedule schedule = ScheduleJson.fromJson(ProjectBodies.inProject(
        ProjectBodies.withId(call.object(), "id", id), call.project()));
    boolean created;
    synchronized (saves) {
      Optional<Schedule> old = schedules.get(id);
      if (old.isPresent() && !old.get().project().equals(Optional.of(call.project()))) {
        throw ApiException.conflict("id", "the id '" + id + "' is taken outside this project");
      }
      created = old.isEmpty();
      save(schedule);
    }
    return created ? Responses.created(view(schedule)) : Responses.ok(view(schedule));
  }

  private ApiResponse delete(Call call) {
    Schedule schedule = find(call);
    schedules.delete(schedule.id());
    ObjectNode data = Views.NODES.objectNode();
    data.put("deleted", schedule.id());
    return Responses.ok(data);
  }

  private void save(Schedule schedule) {
    try {
      schedules.save(schedule);
    } catch (UnknownTemplateException e) {
      throw ApiException.badField("template", e.getMessage());
    }
  }

  private ObjectNode view(Schedule schedule) {
    return Views.schedule(schedule, schedules.state(schedule.id()));
  }

  private Schedule find(Call call) {
    String id = call.path("id");
    return schedules.get(id).filter(s -> s.project().equals(Optional.of(call.project())))
        .orElseThrow(() -> ApiException.notFound("schedule '" + Query.cut(id) + "'"));
  }
}
