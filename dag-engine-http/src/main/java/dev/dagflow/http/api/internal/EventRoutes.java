package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.CHANGE;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerJson;
import java.util.List;
import java.util.Set;

/** Emitting an event of a project to the triggers: what each matching trigger did. */
final class EventRoutes {
  private final DagEngine engine;

  EventRoutes(DagEngine engine) {
    this.engine = engine;
  }

  List<Route> routes() {
    return List.of(new Route("POST", Paths.PROJECT + "/events", CHANGE,
        "Emit an event to the project's triggers", Set.of(), "Event", this::emit));
  }

  private ApiResponse emit(Call call) {
    Event event = TriggerJson.eventFromJson(ProjectBodies.inProject(call.object(),
        call.project()));
    List<TriggerFiring> firings = engine.emit(event);
    ObjectNode data = Views.NODES.objectNode();
    data.put("eventId", event.id());
    ArrayNode items = data.putArray("firings");
    firings.forEach(f -> items.add(Views.firing(f)));
    return Responses.ok(data);
  }
}
