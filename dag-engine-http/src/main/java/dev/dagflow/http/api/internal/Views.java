package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.CriticalPath;
import dev.dagflow.engine.EdgeView;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.eval.Gate;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.log.LogEntry;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.PolicyJson;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleJson;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.spec.DagJson;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.RunSummary;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerCounters;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerJson;
import java.time.Instant;
import java.util.Optional;

/**
 * The JSON shapes of what the engine answers: runs, nodes, attempts, edges, templates, logs,
 * history, transitions, explanations, policies, triggers and schedules. Times are ISO-8601
 * text, absent values left out. Stateless.
 */
final class Views {
  static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Views() {}

  static ObjectNode summary(RunSummary r) {
    ObjectNode json = NODES.objectNode();
    json.put("runId", r.runId());
    json.put("specId", r.specId());
    json.put("state", r.state().name());
    r.project().ifPresent(p -> json.put("project", p));
    r.template().ifPresent(t -> json.put("template", t));
    if (r.template().isPresent()) {
      json.put("templateVersion", r.templateVersion());
    }
    json.put("scopeKey", r.scopeKey());
    json.put("priority", r.priority());
    json.put("createdAt", r.createdAt().toString());
    time(json, "startedAt", r.startedAt());
    time(json, "endedAt", r.endedAt());
    r.cause().ifPresent(c -> json.put("cause", c));
    return json;
  }

  /** A run without its nodes, edges, params and spec: what a change of it answers. */
  static ObjectNode summaryOf(RunView r) {
    ObjectNode json = NODES.objectNode();
    json.put("runId", r.runId());
    json.put("specId", r.spec().id());
    json.put("state", r.state().name());
    r.project().ifPresent(p -> json.put("project", p));
    json.put("progress", r.progress());
    time(json, "startedAt", r.startedAt());
    time(json, "endedAt", r.endedAt());
    return json;
  }

  /** A run with its critical path (as of now: read with the run's view, a moment later). */
  static ObjectNode run(RunView r, CriticalPath path) {
    ObjectNode json = run(r);
    ObjectNode critical = json.putObject("criticalPath");
    critical.put("totalMs", path.total().toMillis());
    ArrayNode steps = critical.putArray("steps");
    for (CriticalPath.Step step : path.steps()) {
      ObjectNode s = steps.addObject().put("nodeId", step.nodeId())
          .put("start", step.start().toString()).put("end", step.end().toString())
          .put("durationMs", step.duration().toMillis()).put("slackMs", step.slack().toMillis());
      step.after().ifPresent(a -> s.put("after", a));
    }
    ObjectNode slack = critical.putObject("slackMs");
    path.slack().forEach((id, d) -> slack.put(id, d.toMillis()));
    return json;
  }

  static ObjectNode run(RunView r) {
    ObjectNode json = NODES.objectNode();
    json.put("runId", r.runId());
    json.put("specId", r.spec().id());
    json.put("state", r.state().name());
    r.project().ifPresent(p -> json.put("project", p));
    r.template().ifPresent(t -> json.put("template", t));
    if (r.template().isPresent()) {
      json.put("templateVersion", r.templateVersion());
    }
    json.put("scopeKey", r.scopeKey());
    json.put("priority", r.priority());
    json.put("createdAt", r.createdAt().toString());
    time(json, "startedAt", r.startedAt());
    time(json, "endedAt", r.endedAt());
    r.duration().ifPresent(d -> json.put("durationMs", d.toMillis()));
    json.put("queueTimeMs", r.queueTime().toMillis());
    json.put("busyTimeMs", r.busyTime().toMillis());
    json.put("progress", r.progress());
    json.set("params", r.params());
    ArrayNode nodes = json.putArray("nodes");
    r.nodes().forEach(n -> nodes.add(node(n)));
    ArrayNode edges = json.putArray("edges");
    r.edges().forEach(e -> edges.add(edge(e)));
    json.set("spec", DagJson.toTree(r.spec()));
    return json;
  }

  static ObjectNode node(NodeView n) {
    ObjectNode json = NODES.objectNode();
    json.put("id", n.id());
    json.put("kind", n.kind().name());
    n.taskType().ifPresent(t -> json.put("taskType", t));
    n.parent().ifPresent(p -> json.put("parent", p));
    json.put("state", n.state().name());
    json.put("progress", n.progress());
    time(json, "startedAt", n.startedAt());
    time(json, "endedAt", n.endedAt());
    n.duration().ifPresent(d -> json.put("durationMs", d.toMillis()));
    n.result().ifPresent(v -> json.set("result", v));
    n.errorCode().ifPresent(c -> json.put("errorCode", c));
    n.errorMessage().ifPresent(m -> json.put("errorMessage", m));
    json.set("config", n.config());
    n.children().ifPresent(c -> {
      ObjectNode counts = json.putObject("children");
      counts.put("total", c.total());
      counts.put("completed", c.completed());
      counts.put("running", c.running());
      counts.put("failed", c.failed());
    });
    ArrayNode attempts = json.putArray("attempts");
    n.attempts().forEach(a -> attempts.add(attempt(a)));
    return json;
  }

  static ObjectNode attempt(AttemptRecord a) {
    ObjectNode json = NODES.objectNode();
    json.put("attempt", a.attempt());
    json.put("outcome", a.outcome().name());
    json.put("startedAt", a.startedAt().toString());
    time(json, "endedAt", a.endedAt());
    a.duration().ifPresent(d -> json.put("durationMs", d.toMillis()));
    time(json, "readyAt", a.readyAt());
    a.queueTime().ifPresent(d -> json.put("queueTimeMs", d.toMillis()));
    if (!a.usage().isEmpty()) {
      ObjectNode usage = json.putObject("usage");
      a.usage().forEach(usage::put);
    }
    a.result().ifPresent(v -> json.set("result", v));
    a.errorCode().ifPresent(c -> json.put("errorCode", c));
    a.errorMessage().ifPresent(m -> json.put("errorMessage", m));
    a.engineRef().ifPresent(r -> json.put("engineRef", r));
    json.put("idempotencyKey", a.idempotencyKey());
    return json;
  }

  static ObjectNode edge(EdgeView e) {
    ObjectNode json = NODES.objectNode();
    json.put("from", e.from());
    json.put("to", e.to());
    json.put("type", e.type().name());
    json.put("satisfied", e.satisfied());
    return json;
  }

  static ObjectNode template(DagTemplate t, boolean withSpec) {
    ObjectNode json = NODES.objectNode();
    json.put("name", t.name());
    json.put("version", t.version());
    t.project().ifPresent(p -> json.put("project", p));
    json.put("specId", t.spec().id());
    json.put("createdAt", t.createdAt().toString());
    if (withSpec) {
      json.set("spec", DagJson.toTree(t.spec()));
    }
    return json;
  }

  static ObjectNode explanation(NodeExplanation e) {
    ObjectNode json = NODES.objectNode();
    json.put("nodeId", e.nodeId());
    json.put("state", e.state().name());
    e.reason().ifPresent(r -> json.put("reason", r));
    ArrayNode gates = json.putArray("closedGates");
    for (Gate g : e.closedGates()) {
      gates.addObject().put("kind", g.kind().name()).put("description", g.description());
    }
    return json;
  }

  static ObjectNode log(LogEntry e) {
    ObjectNode json = NODES.objectNode();
    json.put("seq", e.seq());
    e.nodeId().ifPresent(n -> json.put("nodeId", n));
    json.put("attempt", e.attempt());
    json.put("level", e.level().name());
    json.put("message", e.message());
    json.put("time", e.time().toString());
    return json;
  }

  static ObjectNode history(HistoryEntry h) {
    ObjectNode json = NODES.objectNode();
    h.nodeId().ifPresent(n -> json.put("nodeId", n));
    json.put("action", h.action());
    json.put("operator", h.operator());
    json.set("oldValue", h.oldValue());
    json.set("newValue", h.newValue());
    json.put("time", h.time().toString());
    return json;
  }

  static ObjectNode transition(StateTransition t) {
    ObjectNode json = NODES.objectNode();
    json.put("nodeId", t.nodeId());
    json.put("attempt", t.attempt());
    json.put("from", t.from().name());
    json.put("to", t.to().name());
    json.put("reason", t.reason());
    json.put("trigger", t.trigger().name());
    t.operator().ifPresent(o -> json.put("operator", o));
    json.put("time", t.time().toString());
    return json;
  }

  static ObjectNode policy(ExecutionPolicy p) {
    ObjectNode json = PolicyJson.toJson(p);
    json.put("projectDefault", p.isProjectDefault());
    return json;
  }

  /** A trigger in its JSON form, with its filter as an object and its counters. */
  static ObjectNode trigger(EventTrigger t, Optional<TriggerCounters> counters) {
    ObjectNode json = TriggerJson.toJson(t);
    json.set("filter", t.filter().toJson());
    counters.ifPresent(c -> {
      ObjectNode out = json.putObject("counters");
      out.put("total", c.total());
      out.put("success", c.success());
      out.put("failed", c.failed());
      time(out, "lastFired", c.lastFired());
      c.lastError().ifPresent(e -> out.put("lastError", e));
    });
    return json;
  }

  /**
   * A schedule in its JSON form, with its state: the fire times that started a run, started
   * none on purpose or failed, the latest counted and the next armed one.
   */
  static ObjectNode schedule(Schedule s, ScheduleState state) {
    ObjectNode json = ScheduleJson.toJson(s);
    ObjectNode out = json.putObject("state");
    out.put("fired", state.fired());
    out.put("skipped", state.skipped());
    out.put("failed", state.failed());
    time(out, "lastFireTime", state.lastFireTime());
    time(out, "nextFireTime", state.nextFireTime());
    state.lastError().ifPresent(e -> out.put("lastError", e));
    return json;
  }

  static ObjectNode firing(TriggerFiring f) {
    ObjectNode json = NODES.objectNode();
    json.put("triggerId", f.triggerId());
    json.put("eventId", f.eventId());
    json.put("outcome", f.outcome().name());
    f.runId().ifPresent(r -> json.put("runId", r));
    f.reason().ifPresent(r -> json.put("reason", r));
    return json;
  }

  static void time(ObjectNode json, String field, Optional<Instant> time) {
    time.ifPresent(t -> json.put(field, t.toString()));
  }

}
