package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.CHANGE;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import java.util.List;
import java.util.Set;

/**
 * Changing runs: stop, pause and resume a run; retry and stop a node; patch a node's config.
 * Each answers the run as it stands after the change. The principal is the operator recorded.
 */
final class RunControlRoutes {
  private final DagEngine engine;

  RunControlRoutes(DagEngine engine) {
    this.engine = engine;
  }

  List<Route> routes() {
    return List.of(
        new Route("POST", Paths.RUN + "/stop", CHANGE, "Stop a run", Set.of(), "",
            call -> run(call, (id, op) -> engine.stop(id, op))),
        new Route("POST", Paths.RUN + "/pause", CHANGE, "Pause a running run", Set.of(), "",
            call -> run(call, (id, op) -> engine.pause(id, op))),
        new Route("POST", Paths.RUN + "/resume", CHANGE, "Resume a paused run", Set.of(), "",
            call -> run(call, (id, op) -> engine.resume(id, op))),
        new Route("POST", Paths.NODE + "/retry", CHANGE,
            "Run a failed, timed-out or stopped node again", Set.of(), "",
            call -> node(call, (id, node, op) -> engine.retry(id, node, op))),
        new Route("POST", Paths.NODE + "/stop", CHANGE, "Stop a node and its subtree",
            Set.of(), "", call -> node(call, (id, node, op) -> engine.stopNode(id, node, op))),
        new Route("PATCH", Paths.NODE + "/config", CHANGE,
            "Merge a JSON merge patch into a node's config", Set.of(), "ConfigPatch",
            this::patch));
  }

  private interface RunOperation {
    void apply(String runId, String operator);
  }

  private interface NodeOperation {
    void apply(String runId, String nodeId, String operator);
  }

  private ApiResponse run(Call call, RunOperation operation) {
    RunView run = RunAccess.run(engine, call);
    operation.apply(run.runId(), call.operator());
    return Responses.ok(Views.summaryOf(engine.get(run.runId())));
  }

  private ApiResponse node(Call call, NodeOperation operation) {
    RunView run = RunAccess.node(engine, call);
    String node = call.path("node");
    operation.apply(run.runId(), node, call.operator());
    return Responses.ok(Views.node(engine.get(run.runId()).node(node).orElseThrow()));
  }

  private ApiResponse patch(Call call) {
    JsonNode body = call.json();
    if (!body.isObject()) {
      throw ApiException.badField("body", "must be a JSON merge patch object, got "
          + BodyFields.describe(body));
    }
    RunView run = RunAccess.node(engine, call);
    String node = call.path("node");
    engine.updateNodeConfig(run.runId(), node, (ObjectNode) body, call.operator());
    return Responses.ok(Views.node(engine.get(run.runId()).node(node).orElseThrow()));
  }
}
