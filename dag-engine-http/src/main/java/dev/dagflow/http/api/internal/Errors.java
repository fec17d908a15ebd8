package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.CommandTimeoutException;
import dev.dagflow.engine.IdempotencyConflictException;
import dev.dagflow.engine.InvalidSubmitRequestException;
import dev.dagflow.engine.NodeOperationException;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.engine.UnknownNodeException;
import dev.dagflow.engine.UnknownRunException;
import dev.dagflow.engine.UnknownTaskTypeException;
import dev.dagflow.filter.FilterException;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.policy.UnknownPolicyException;
import dev.dagflow.schedule.InvalidScheduleException;
import dev.dagflow.schedule.UnknownScheduleException;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.state.IllegalTransitionException;
import dev.dagflow.store.StoreException;
import dev.dagflow.template.InvalidTemplateException;
import dev.dagflow.template.UnknownTemplateException;
import dev.dagflow.trigger.InvalidEventException;
import dev.dagflow.trigger.InvalidTriggerException;
import dev.dagflow.trigger.UnknownTriggerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps what the engine throws onto HTTP: bad input 400 naming the field (a spec's every
 * problem listed), unknown things 404, state conflicts 409, a store or an owner that does not
 * answer 503, and anything else 500 with a generic message, logged with its stack.
 */
final class Errors {
  private static final Logger LOG = LoggerFactory.getLogger(Errors.class);

  private Errors() {}

  static ApiException map(RuntimeException e) {
    if (e instanceof ApiException api) {
      return api;
    }
    if (e instanceof InvalidDagException dag) {
      ObjectNode details = Views.NODES.objectNode();
      ArrayNode problems = details.putArray("problems");
      for (SpecProblem p : dag.problems()) {
        ObjectNode json = problems.addObject();
        json.put("kind", p.kind().name());
        p.nodeId().ifPresent(n -> json.put("nodeId", n));
        json.put("path", p.path());
        json.put("message", p.message());
      }
      String field = dag.problems().isEmpty() ? "spec"
          : join("spec", dag.problems().get(0).path());
      return new ApiException(400, "INVALID_SPEC", field, dag.getMessage(), details);
    }
    if (e instanceof InvalidJsonException json) {
      return ApiException.badField(json.path(), json.problem());
    }
    if (e instanceof InvalidSubmitRequestException s) {
      return ApiException.badField(s.field(), unprefixed(s.field(), e.getMessage()));
    }
    if (e instanceof InvalidTriggerException t) {
      return ApiException.badField(t.field(), unprefixed(t.field(), e.getMessage()));
    }
    if (e instanceof InvalidScheduleException s) {
      return ApiException.badField(s.field(), unprefixed(s.field(), e.getMessage()));
    }
    if (e instanceof InvalidEventException ev) {
      return ApiException.badField(ev.field(), unprefixed(ev.field(), e.getMessage()));
    }
    if (e instanceof FilterException f) {
      return ApiException.badField(join("filter", f.path()), f.problem());
    }
    if (e instanceof UnknownTaskTypeException t) {
      ObjectNode details = Views.NODES.objectNode();
      ObjectNode types = details.putObject("typesByNode");
      t.typesByNode().forEach(types::put);
      return new ApiException(400, "UNKNOWN_TASK_TYPE", "spec.nodes", e.getMessage(), details);
    }
    if (e instanceof UnknownPolicyException p) {
      return ApiException.badField("policy", e.getMessage());
    }
    if (e instanceof InvalidTemplateException t) {
      return ApiException.conflict("name", e.getMessage());
    }
    if (e instanceof UnknownRunException || e instanceof UnknownNodeException
        || e instanceof UnknownTemplateException || e instanceof UnknownTriggerException
        || e instanceof UnknownScheduleException) {
      return ApiException.of(404, "NOT_FOUND", null, e.getMessage());
    }
    if (e instanceof IdempotencyConflictException c) {
      ObjectNode details = Views.NODES.objectNode().put("existingRunId", c.existingRunId())
          .put("strategy", c.strategy().name());
      return new ApiException(409, "CONFLICT", "Idempotency-Key", e.getMessage(), details);
    }
    if (e instanceof RunStateException r) {
      ObjectNode details = Views.NODES.objectNode().put("runId", r.runId());
      if (r.state() != null) {
        details.put("state", r.state().name());
      }
      return new ApiException(409, "CONFLICT", null, e.getMessage(), details);
    }
    if (e instanceof NodeOperationException n) {
      ObjectNode details = Views.NODES.objectNode().put("runId", n.runId())
          .put("nodeId", n.nodeId());
      if (n.state() != null) {
        details.put("state", n.state().name());
      }
      return new ApiException(409, "CONFLICT", null, e.getMessage(), details);
    }
    if (e instanceof IllegalTransitionException t) {
      ObjectNode details = Views.NODES.objectNode().put("from", t.from().name())
          .put("to", t.to().name());
      t.nodeId().ifPresent(n -> details.put("nodeId", n));
      return new ApiException(409, "CONFLICT", null, e.getMessage(), details);
    }
    if (e instanceof CommandTimeoutException) {
      return ApiException.of(503, "UNAVAILABLE", null, e.getMessage());
    }
    if (e instanceof StoreException) {
      LOG.warn("a store failed under an API call", e);
      return ApiException.of(503, "UNAVAILABLE", null, "the store did not answer; try again");
    }
    if (e instanceof IllegalStateException && e.getMessage() != null
        && (e.getMessage().contains("engine is closed")
        || e.getMessage().contains("engine not started"))) {
      return ApiException.of(503, "UNAVAILABLE", null, "the engine is not running");
    }
    if (e instanceof IllegalArgumentException) {
      // the builders of dagflow's values name the field in their message
      return ApiException.of(400, "BAD_REQUEST", null, e.getMessage());
    }
    LOG.error("an API call failed", e);
    return ApiException.of(500, "INTERNAL", null, "the server failed; see its log");
  }

  /** {@code message} without the {@code field: } it starts with, which the answer adds. */
  private static String unprefixed(String field, String message) {
    String prefix = field + ": ";
    return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
  }

  private static String join(String prefix, String path) {
    if (path == null || path.isEmpty()) {
      return prefix;
    }
    return path.startsWith("[") ? prefix + path : prefix + "." + path;
  }
}
