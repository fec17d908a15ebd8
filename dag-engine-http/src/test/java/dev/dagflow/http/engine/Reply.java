package dev.dagflow.http.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One scripted answer of the {@link FakeEngine}: a task status (with log lines the engine
 * writes before it answers), an HTTP error, or a raw body.
 */
final class Reply {
  static final ObjectMapper JSON = new ObjectMapper();

  final String status;
  final Integer progress;
  final JsonNode result;
  final JsonNode error;
  final int code;
  final String retryAfter;
  final String raw;
  final List<EngineLine> lines = new ArrayList<>();
  /** Agents besides the task's own, with the lines the engine writes to each. */
  final Map<String, List<EngineLine>> others = new LinkedHashMap<>();
  /** When not empty, the agents listed instead of the task's own and {@link #others}. */
  final List<ObjectNode> agents = new ArrayList<>();

  private Reply(String status, Integer progress, JsonNode result, JsonNode error, int code,
      String retryAfter, String raw) {
    this.status = status;
    this.progress = progress;
    this.result = result;
    this.error = error;
    this.code = code;
    this.retryAfter = retryAfter;
    this.raw = raw;
  }

  static Reply running(int progress) {
    return new Reply("running", progress, null, null, 200, null, null);
  }

  static Reply completed(JsonNode result) {
    return new Reply("completed", 100, result, null, 200, null, null);
  }

  static Reply failed(String code, String message) {
    ObjectNode error = JSON.createObjectNode().put("code", code).put("message", message);
    return new Reply("failed", null, null, error, 200, null, null);
  }

  /** A status with any value, known or not. */
  static Reply status(String status) {
    return new Reply(status, null, null, null, 200, null, null);
  }

  static Reply http(int code) {
    return new Reply(null, null, null, null, code, null, null);
  }

  static Reply http(int code, String retryAfter) {
    return new Reply(null, null, null, null, code, retryAfter, null);
  }

  /** A 200 with this body as it is: garbage, or JSON of the wrong shape. */
  static Reply raw(String body) {
    return new Reply(null, null, null, null, 200, null, body);
  }

  /** The engine writes these lines to the task's agent log before it answers. */
  Reply withLines(EngineLine... more) {
    lines.addAll(List.of(more));
    return this;
  }

  /** The task has agent {@code agentId} too, and the engine writes these lines to its log. */
  Reply withAgent(String agentId, EngineLine... more) {
    others.computeIfAbsent(agentId, k -> new ArrayList<>()).addAll(List.of(more));
    return this;
  }

  /** An agent's status: {@code {"engine_agent_id", "node_id", "status"}}, to add fields to. */
  static ObjectNode agent(String agentId, String nodeId, String status) {
    return JSON.createObjectNode().put("engine_agent_id", agentId).put("node_id", nodeId)
        .put("status", status);
  }

  /**
   * Lists {@code agent} (see {@link #agent}) in the status, instead of the task's own agent,
   * and the engine writes these lines to its log before it answers.
   */
  Reply withAgentStatus(ObjectNode agent, EngineLine... more) {
    agents.add(agent);
    others.computeIfAbsent(agent.get("engine_agent_id").asText(), k -> new ArrayList<>())
        .addAll(List.of(more));
    return this;
  }

  boolean isStatus() {
    return status != null;
  }

  /** The status body for task {@code id} with one agent. */
  ObjectNode body(String taskId, String agentId, String nodeId) {
    ObjectNode body = JSON.createObjectNode().put("status", status);
    if (!agents.isEmpty()) {
      ArrayNode list = body.putArray("agents");
      agents.forEach(a -> list.add(a.deepCopy()));
      if (progress != null) {
        body.put("progress", progress);
      }
      if (result != null) {
        body.set("result", result);
      }
      if (error != null) {
        body.set("error", error);
      }
      return body;
    }
    ObjectNode agent = body.putArray("agents").addObject().put("engine_agent_id", agentId)
        .put("node_id", nodeId).put("status", status);
    if (progress != null) {
      body.put("progress", progress);
      agent.put("progress", progress);
    }
    others.keySet().forEach(id -> body.withArray("agents").addObject()
        .put("engine_agent_id", id).put("status", status));
    if (result != null) {
      body.set("result", result);
    }
    if (error != null) {
      body.set("error", error);
    }
    return body;
  }
}
