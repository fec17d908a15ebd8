package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.CHANGE;
import static dev.dagflow.http.api.internal.Route.Access.READ;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.template.UnknownTemplateException;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerJson;
import dev.dagflow.trigger.TriggerRegistry;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A project's event triggers: list, create, read (with counters), replace, delete, in the JSON
 * form of {@link TriggerJson} with the filter as an object. Trigger ids are shared by every
 * project: an id another project (or the global scope) holds is a conflict.
 */
final class TriggerRoutes {
  private static final String TRIGGERS = Paths.PROJECT + "/triggers";
  private static final String TRIGGER = TRIGGERS + "/{id}";

  private final TriggerRegistry triggers;
  /** Check and save as one step among this API's callers. */
  private final Object saves = new Object();

  TriggerRoutes(DagEngine engine) {
    this.triggers = engine.triggers();
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", TRIGGERS, READ, "List the project's triggers", Set.of(), "",
            this::list),
        new Route("POST", TRIGGERS, CHANGE, "Create a trigger", Set.of(), "Trigger",
            this::create),
        new Route("GET", TRIGGER, READ, "One trigger with its counters", Set.of(), "",
            this::get),
        new Route("PUT", TRIGGER, CHANGE, "Create or replace a trigger (its counters stay)",
            Set.of(), "Trigger", this::put),
        new Route("DELETE", TRIGGER, CHANGE, "Delete a trigger", Set.of(), "", this::delete));
  }

  private ApiResponse list(Call call) {
    ArrayNode items = Views.NODES.arrayNode();
    for (EventTrigger t : triggers.list()) {
      if (t.project().equals(Optional.of(call.project()))) {
        items.add(Views.trigger(t, Optional.empty()));
      }
    }
    return Responses.ok(items);
  }

  private ApiResponse create(Call call) {
    EventTrigger trigger = TriggerJson.fromJson(ProjectBodies.inProject(call.object(),
        call.project()));
    synchronized (saves) {
      if (triggers.get(trigger.id()).isPresent()) {
        throw ApiException.conflict("id", "a trigger with id '" + trigger.id()
            + "' exists; replace it with PUT on its own path");
      }
      save(trigger);
    }
    return Responses.created(view(trigger));
  }

  private ApiResponse get(Call call) {
    return Responses.ok(view(find(call)));
  }

  private ApiResponse put(Call call) {
    String id = call.path("id");
    EventTrigger trigger = TriggerJson.fromJson(ProjectBodies.inProject(
        ProjectBodies.withId(call.object(), "id", id), call.project()));
    boolean created;
    synchronized (saves) {
      Optional<EventTrigger> old = triggers.get(id);
      if (old.isPresent() && !old.get().project().equals(Optional.of(call.project()))) {
        throw ApiException.conflict("id", "the id '" + id + "' is taken outside this project");
      }
      created = old.isEmpty();
      save(trigger);
    }
    return created ? Responses.created(view(trigger)) : Responses.ok(view(trigger));
  }

  private ApiResponse delete(Call call) {
    EventTrigger trigger = find(call);
    triggers.delete(trigger.id());
    ObjectNode data = Views.NODES.objectNode();
    data.put("deleted", trigger.id());
    return Responses.ok(data);
  }

  private void save(EventTrigger trigger) {
    try {
      triggers.save(trigger);
    } catch (UnknownTemplateException e) {
      throw ApiException.badField("template", e.getMessage());
    }
  }

  private ObjectNode view(EventTrigger trigger) {
    return Views.trigger(trigger, Optional.of(triggers.counters(trigger.id())));
  }

  private EventTrigger find(Call call) {
    String id = call.path("id");
    return triggers.get(id).filter(t -> t.project().equals(Optional.of(call.project())))
        .orElseThrow(() -> ApiException.notFound("trigger '" + Query.cut(id) + "'"));
  }
}
