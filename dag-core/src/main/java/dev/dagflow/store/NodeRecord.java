package dev.dagflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.state.NodeState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The stored state of one node of a run. A node without a record is PENDING with no attempt.
 *
 * @param attempt the number of its latest attempt, 0 before the first
 * @param attemptBase the attempt number its retry budget counts from: raised by a manual retry
 * @param progress 0 to 100
 * @param waitUntil for a WAITING node that waits for a retry backoff, when it may start again
 * @param config its config as changed by live updates; empty while it has the spec's
 */
public record NodeRecord(String runId, String nodeId, NodeState state, int attempt,
    int attemptBase, int progress, Optional<Instant> startedAt, Optional<Instant> endedAt,
    Optional<Instant> waitUntil, Optional<JsonNode> result, Optional<String> errorCode,
    Optional<String> errorMessage, Optional<ObjectNode> config) {

  public NodeRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(state, "state");
    if (attempt < 0 || attemptBase < 0 || attemptBase > attempt) {
      throw new IllegalArgumentException(
          "attempt " + attempt + " and attemptBase " + attemptBase + " out of range");
    }
    if (progress < 0 || progress > 100) {
      throw new IllegalArgumentException("progress must be 0 to 100, got " + progress);
    }
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(waitUntil, "waitUntil");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
    Objects.requireNonNull(config, "config");
  }

  /** A node that has not started: PENDING, no attempt. */
  public static NodeRecord pending(String runId, String nodeId) {
    return new NodeRecord(runId, nodeId, NodeState.PENDING, 0, 0, 0, Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
        Optional.empty());
  }
}
