package dev.dagflow.http.api.internal;

import static dev.dagflow.http.api.internal.Route.Access.READ;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Reading runs: the listing, one run, why a node waits, its logs, history and transitions. */
final class RunRoutes {
  /** The end of time for a listing "since": what every store can hold. */
  private static final Instant END = Instant.parse("9999-12-31T23:59:59Z");
  private static final int DEFAULT_LOG_LIMIT = 1_000;

  private final DagEngine engine;

  RunRoutes(DagEngine engine) {
    this.engine = engine;
  }

  List<Route> routes() {
    return List.of(
        new Route("GET", Paths.PROJECT + "/runs", READ,
            "List the project's runs, newest first, by status, template and creation time",
            Set.of("status", "template", "since", "page", "size"), "", this::list),
        new Route("GET", Paths.RUN, READ, "A run with its nodes, attempts, progress, "
            + "container counts and edges", Set.of(), "", this::get),
        new Route("GET", Paths.NODE + "/explain", READ, "Why a node is not running",
            Set.of(), "", this::explain),
        new Route("GET", Paths.RUN + "/logs", READ, "A run's log lines after a cursor",
            Set.of("node", "level", "since", "cursor", "limit"), "", this::logs),
        new Route("GET", Paths.RUN + "/history", READ, "Who changed what in a run",
            Set.of(), "", this::history),
        new Route("GET", Paths.RUN + "/transitions", READ, "Every node state change of a run",
            Set.of(), "", this::transitions));
  }

  private ApiResponse list(Call call) {
    Query q = call.query();
    RunQuery query = RunQuery.all().project(call.project());
    List<RunState> states = q.constants("status", RunState.class);
    if (!states.isEmpty()) {
      query = query.states(states.toArray(RunState[]::new));
    }
    query = q.string("template").map(query::template).orElse(query);
    Instant since = q.instant("since").orElse(null);
    if (since != null) {
      if (!since.isBefore(END)) {
        throw ApiException.badField("since", "must be before " + END);
      }
      query = query.created(since, END);
    }
    int page = q.integer("page", 0, 1_000_000, 0);
    int size = q.integer("size", 1, RunQuery.MAX_PAGE_SIZE, 50);
    Page<RunSummary> result = engine.list(query.page(page, size));
    ObjectNode data = Views.NODES.objectNode();
    ArrayNode items = data.putArray("items");
    result.items().forEach(r -> items.add(Views.summary(r)));
    data.put("page", result.page());
    data.put("size", result.size());
    data.put("total", result.total());
    data.put("hasNext", result.hasNext());
    return Responses.ok(data);
  }

  private ApiResponse get(Call call) {
    RunView run = RunAccess.run(engine, call);
    return Responses.ok(Views.run(run, engine.criticalPath(run.runId())));
  }

  private ApiResponse explain(Call call) {
    RunView run = RunAccess.node(engine, call);
    return Responses.ok(Views.explanation(engine.explain(run.runId(), call.path("node"))));
  }

  private ApiResponse logs(Call call) {
    RunView run = RunAccess.run(engine, call);
    Query q = call.query();
    LogQuery query = LogQuery.of(run.runId());
    String node = q.string("node").orElse(null);
    if (node != null) {
      if (run.node(node).isEmpty()) {
        throw ApiException.badField("node", "run '" + run.runId() + "' has no node '"
            + Query.cut(node) + "'");
      }
      query = query.node(node);
    }
    query = query.minLevel(q.string("level").map(l -> Query.constant("level", l, LogLevel.class))
        .orElse(LogLevel.DEBUG));
    query = q.instant("since").map(query::since).orElse(query);
    long cursor = q.number("cursor", 0, Long.MAX_VALUE).orElse(0L);
    query = query.afterSequence(cursor)
        .limit(q.integer("limit", 1, LogQuery.MAX_LIMIT, DEFAULT_LOG_LIMIT));
    List<LogEntry> lines = engine.logs(query);
    ObjectNode data = Views.NODES.objectNode();
    ArrayNode items = data.putArray("items");
    lines.forEach(l -> items.add(Views.log(l)));
    data.put("nextCursor", lines.isEmpty() ? cursor : lines.get(lines.size() - 1).seq());
    return Responses.ok(data);
  }

  private ApiResponse history(Call call) {
    RunView run = RunAccess.run(engine, call);
    ArrayNode items = Views.NODES.arrayNode();
    engine.history(run.runId()).forEach(h -> items.add(Views.history(h)));
    return Responses.ok(items);
  }

  private ApiResponse transitions(Call call) {
    RunView run = RunAccess.run(engine, call);
    ArrayNode items = Views.NODES.arrayNode();
    engine.transitions(run.runId()).forEach(t -> items.add(Views.transition(t)));
    return Responses.ok(items);
  }
}
