package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunRecord;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.InvalidEventException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.BitSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The events the engine emits about its runs, so that workflows can chain: their payloads carry
 * the run, its template and its result, their project is the run's, and their chain depth is one
 * more than the run's. A payload that would break an event's limits leaves its results (or
 * result and error message) out and says {@code "truncated": true}.
 *
 * <p>Their ids are made from what they tell, never drawn at random, so that an event emitted
 * again for the same thing (after a takeover, say) has the same id and a trigger's
 * processed-event check recognises it: {@code <type>/<runId>/<ending>} for a run's ending,
 * {@code <type>/<runId>/<nodeId>/<attempt>} for a node's, {@code chain.limit_reached/<eventId>}
 * for a cut chain. {@code /} is in no run or node id, so the parts cannot run into each other.
 * An id that would be longer than {@link Event#MAX_ID_LENGTH} becomes {@code <type>#} and the
 * SHA-256 of the long id in hex.
 */
final class EngineEvents {
  /** The most node results a run event carries. */
  static final int MAX_RESULTS = 100;

  private EngineEvents() {
  }

  /**
   * {@code run.completed} or {@code run.failed}: the payload's {@code results} holds the results
   * of the run's final nodes (those no edge leaves), at most {@link #MAX_RESULTS}. {@code ending}
   * tells this ending from the run's others: the number of node transitions the run had when
   * it ended, which every re-opening raises.
   */
  static Event runEnded(String type, RunRecord run, List<NodeRecord> nodes, long ending,
      Instant now) {
    ObjectNode payload = base(run);
    payload.put("state", run.state().name());
    // values are set as they are: the event's builder copies its payload (Event.Builder.payload)
    payload.set("params", run.params());
    DagSpec spec = run.spec();
    BitSet hasDependents = new BitSet(spec.size());
    for (NodeSpec node : spec.nodes()) {
      for (Edge e : node.edges()) {
        hasDependents.set(spec.indexOf(e.upstream()));
      }
    }
    ObjectNode results = payload.putObject("results");
    for (NodeRecord r : nodes) {
      if (results.size() < MAX_RESULTS && r.state() == NodeState.COMPLETED
          && !hasDependents.get(spec.indexOf(r.nodeId()))) {
        results.set(r.nodeId(), r.result().orElse(JsonNodeFactory.instance.nullNode()));
      }
    }
    return event(type, id(type, run.runId(), Long.toString(ending)), run, payload, now,
        "results", "params");
  }

  /** {@code node.completed} or {@code node.failed}, with the node's result or error. */
  static Event nodeEnded(RunRecord run, NodeSpec node, NodeState state, int attempt,
      JsonNode result, String errorCode, String errorMessage, Instant now) {
    ObjectNode payload = base(run);
    payload.put("nodeId", node.id());
    node.taskType().ifPresent(t -> payload.put("taskType", t));
    payload.put("state", state.name());
    payload.put("attempt", attempt);
    if (state == NodeState.COMPLETED) {
      payload.set("result", result == null ? JsonNodeFactory.instance.nullNode() : result);
    } else {
      payload.put("errorCode", errorCode == null ? state.name() : errorCode);
      payload.put("errorMessage", errorMessage == null ? "" : errorMessage);
    }
    String type = state == NodeState.COMPLETED ? "node.completed" : "node.failed";
    return event(type, id(type, run.runId(), node.id(), Integer.toString(attempt)), run,
        payload, now, "result", "errorMessage");
  }

  /**
   * The id of an engine event of {@code type} about {@code parts}: see the class comment.
   * Deterministic, and at most {@link Event#MAX_ID_LENGTH} characters.
   */
  static String id(String type, String... parts) {
    StringBuilder b = new StringBuilder(type);
    for (String part : parts) {
      b.append('/').append(part);
    }
    if (b.length() <= Event.MAX_ID_LENGTH) {
      return b.toString();
    }
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(b.toString().getBytes(StandardCharsets.UTF_8));
      // '#' where a short id has '/': a hashed id is never also a short one
      return type + "#" + HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform has SHA-256", e);
    }
  }

  private static ObjectNode base(RunRecord run) {
    ObjectNode payload = JsonNodeFactory.instance.objectNode();
    payload.put("runId", run.runId());
    payload.put("dagId", run.spec().id());
    run.template().ifPresent(t -> payload.put("template", t));
    if (run.template().isPresent()) {
      payload.put("templateVersion", run.templateVersion());
    }
    return payload;
  }

  /**
   * The event, with {@code bulky} fields of its payload left out (and {@code "truncated": true}
   * in their place) if the payload as it is breaks an event's limits: a run's values meet their
   * own limits, not an event's ({@link Event#MAX_PAYLOAD_BYTES}, and a result nests one level
   * deeper in an event than in its run), and building the event must not fail the step.
   */
  private static Event event(String type, String id, RunRecord run, ObjectNode payload,
      Instant now, String... bulky) {
    Event.Builder b = Event.builder(type).id(id)
        .time(now).cause(run.runId()).depth(run.chainDepth() + 1);
    Optional<String> project = run.project();
    project.ifPresent(b::project);
    try {
      b.payload(payload);
    } catch (InvalidEventException tooLarge) {
      for (String field : bulky) {
        payload.remove(field);
      }
      b.payload(payload.put("truncated", true));
    }
    return b.build();
  }
}
