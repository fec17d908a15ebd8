package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The OpenAPI 3 document of the route table: each route's path, method, summary, path and query
 * parameters, headers, request body and responses, so that the document cannot list a route
 * the server does not answer, nor miss one. Bodies are described loosely (their full forms are
 * in docs/http-api.md); every answer is the {@code {"code","message","data"}} envelope.
 */
final class OpenApi {
  private static final Pattern PARAM = Pattern.compile("\\{([a-z]+)}");
  private static final Map<String, String> QUERY = Map.of(
      "status", "run states, comma-separated or repeated (RUNNING, COMPLETED, ...)",
      "template", "only runs of this template",
      "since", "only runs created at or after this ISO-8601 instant",
      "page", "page number, from 0",
      "size", "page size, 1 to 1000 (default 50)",
      "node", "only lines of this node",
      "level", "least level: DEBUG, INFO, WARN or ERROR",
      "cursor", "the nextCursor of the previous page (0: from the first line)",
      "limit", "most lines, 1 to 10000 (default 1000)");
  private static final Map<String, String> BODIES = Map.of(
      "TemplatePublish", "{\"name\"?: string, \"format\"?: native|scan|simulation, "
          + "\"spec\": a DAG spec}",
      "RunStart", "{\"version\"?: integer, \"params\"?: object, \"targets\"?: [string]}; the body "
          + "may be left out",
      "Policy", "an execution policy in the form of dev.dagflow.policy.PolicyJson, with "
          + "\"projectDefault\"?: boolean",
      "Trigger", "an event trigger in the form of dev.dagflow.trigger.TriggerJson",
      "Schedule", "a cron schedule in the form of dev.dagflow.schedule.ScheduleJson",
      "Event", "{\"type\": string, \"id\"?, \"payload\"?: object, \"time\"?, \"cause\"?}",
      "ConfigPatch", "a JSON merge patch object");

  private OpenApi() {}

  static ObjectNode document(List<Route> routes) {
    ObjectNode doc = Views.NODES.objectNode();
    doc.put("openapi", "3.0.3");
    doc.putObject("info").put("title", "dagflow REST API").put("version", "v1")
        .put("description", "Runs, templates, policies, triggers, schedules and events "
            + "of a dagflow engine, scoped by project. See docs/http-api.md.");
    // the mount point, relative to where the document is served: {mount}/api/v1/openapi.json
    doc.putArray("servers").addObject().put("url", "../..");
    ObjectNode paths = doc.putObject("paths");
    for (Route r : routes) {
      ObjectNode path = paths.has(r.template()) ? (ObjectNode) paths.get(r.template())
          : paths.putObject(r.template());
      path.set(r.method().toLowerCase(Locale.ROOT), operation(r));
    }
    ObjectNode components = doc.putObject("components");
    components.putObject("securitySchemes").putObject("bearer").put("type", "http")
        .put("scheme", "bearer");
    ObjectNode envelope = components.putObject("schemas").putObject("Envelope")
        .put("type", "object");
    ObjectNode props = envelope.putObject("properties");
    props.putObject("code").put("type", "integer").put("description", "the HTTP status");
    props.putObject("message").put("type", "string");
    props.putObject("data").put("description", "the answer; for an error {\"error\", "
        + "\"field\"?, ...}");
    envelope.putArray("required").add("code").add("message").add("data");
    return doc;
  }

  private static ObjectNode operation(Route r) {
    ObjectNode op = Views.NODES.objectNode();
    op.put("summary", r.summary());
    op.put("operationId", operationId(r));
    op.putArray("tags").add(tag(r.template()));
    if (r.access() == Route.Access.PUBLIC) {
      op.putArray("security");
    } else {
      op.putArray("security").addObject().putArray("bearer");
    }
    ArrayNode params = op.putArray("parameters");
    Matcher m = PARAM.matcher(r.template());
    while (m.find()) {
      ObjectNode p = params.addObject().put("name", m.group(1)).put("in", "path")
          .put("required", true);
      p.putObject("schema").put("type", m.group(1).equals("version") ? "integer" : "string");
    }
    for (String q : new TreeSet<>(r.query())) {
      ObjectNode p = params.addObject().put("name", q).put("in", "query")
          .put("required", false).put("description", QUERY.getOrDefault(q, q));
      p.putObject("schema").put("type", Set.of("page", "size", "cursor", "limit").contains(q)
          ? "integer" : "string");
    }
    if (r.body().equals("RunStart")) {
      header(params, "Idempotency-Key", "makes the start idempotent in the project: the same "
          + "key answers the run it started (201 again), by the Idempotency-Strategy");
      header(params, "Idempotency-Strategy", "RETURN_EXISTING (default), FAIL (409 if the key "
          + "named a run) or FAIL_ON_RUNNING (409 while that run has not ended)");
    }
    if (r.template().endsWith("/events") && r.method().equals("GET")) {
      header(params, "Last-Event-ID", "the id of the last event received: resumes after it");
    }
    if (!r.body().isEmpty()) {
      ObjectNode body = op.putObject("requestBody")
          .put("required", !r.body().equals("RunStart"))
          .put("description", BODIES.getOrDefault(r.body(), r.body()));
      body.putObject("content").putObject("application/json").putObject("schema")
          .put("type", "object");
    }
    ObjectNode responses = op.putObject("responses");
    String ok = r.method().equals("POST") && (r.template().endsWith("/runs")
        || r.template().endsWith("/templates") || r.template().endsWith("/policies")
        || r.template().endsWith("/triggers") || r.template().endsWith("/schedules"))
        ? "201" : "200";
    if (r.template().endsWith("/events") && r.method().equals("GET")) {
      responses.putObject("200").put("description", "a text/event-stream of transition, log "
          + "and end events").putObject("content").putObject("text/event-stream");
    } else if (r.access() == Route.Access.PUBLIC) {
      responses.putObject("200").put("description", "the document or asset");
    } else {
      envelope(responses, ok, "success");
    }
    if (r.access() != Route.Access.PUBLIC) {
      envelope(responses, "400", "a bad field, parameter or body, named in the message");
      envelope(responses, "401", "no bearer token, or one that is not valid");
      if (r.access() == Route.Access.CHANGE) {
        envelope(responses, "403", "the principal may only read the project");
      }
      envelope(responses, "404", "no such project, run, node, template, policy, trigger or "
          + "schedule in the project");
      if (r.access() == Route.Access.CHANGE) {
        envelope(responses, "409", "the state refuses the change, or the name is taken");
      }
      if (!r.body().isEmpty()) {
        envelope(responses, "413", "the body is larger than the limit");
      }
    } else {
      responses.putObject("404").put("description", "no such asset");
    }
    return op;
  }

  private static void header(ArrayNode params, String name, String description) {
    params.addObject().put("name", name).put("in", "header").put("required", false)
        .put("description", description).putObject("schema").put("type", "string");
  }

  private static void envelope(ObjectNode responses, String status, String description) {
    responses.putObject(status).put("description", description).putObject("content")
        .putObject("application/json").putObject("schema")
        .put("$ref", "#/components/schemas/Envelope");
  }

  private static String tag(String template) {
    String[] s = template.split("/");
    return s.length > 5 ? s[5] : "api";
  }

  private static String operationId(Route r) {
    StringBuilder id = new StringBuilder(r.method().toLowerCase(Locale.ROOT));
    for (String s : r.template().split("/")) {
      if (s.isEmpty() || s.equals("api") || s.equals("v1")) {
        continue;
      }
      String word = s.startsWith("{") ? "By" + cap(s.substring(1, s.length() - 1)) : cap(s);
      id.append(word.replaceAll("[^A-Za-z0-9]", ""));
    }
    return id.toString();
  }

  private static String cap(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }
}
