package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.state.NodeState;
import java.util.Objects;
import java.util.Optional;

/**
 * How an upstream node of the node being run stands, as {@link NodeContext#upstreams()} gives
 * it: a notify on a FINISH edge learns from it why its upstream ended. Immutable, except that
 * {@link #result()} is a copy the caller may change.
 *
 * @param nodeId the upstream's id
 * @param state its state when {@code upstreams()} was called (an upstream on an edge whose gate
 *     does not wait for it, such as another of a {@link
 *     dev.dagflow.spec.Join#ONE ONE} join, may not have ended)
 * @param result a COMPLETED upstream's result; empty otherwise, and when it returned none
 * @param errorCode a FAILED or TIMED_OUT upstream's error code, or the reason code of a STOPPED
 *     or SKIPPED one where the engine recorded one; empty otherwise
 * @param errorMessage the message with {@code errorCode}, secrets scrubbed
 */
public record UpstreamOutcome(String nodeId, NodeState state, Optional<JsonNode> result,
    Optional<String> errorCode, Optional<String> errorMessage) {

  /** Checks that no argument is null. */
  public UpstreamOutcome {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
  }
}
