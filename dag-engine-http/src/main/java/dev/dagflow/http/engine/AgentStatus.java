package dev.dagflow.http.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;
import java.util.Optional;

/**
 * One agent of a remote task, as an element of the {@code agents} array of a status answer:
 * {@code {"engine_agent_id", "node_id"?, "status", "progress"?, "result"?, "error"?}}. An agent
 * runs one node of what was submitted (its {@code body} entry's {@code id}); its logs are read
 * by its {@code engine_agent_id}. Immutable; the result is not copied.
 *
 * @param agentId the engine's id of the agent ({@code engine_agent_id})
 * @param nodeId the submitted node it runs ({@code node_id}); empty if the engine does not say
 * @param status its state
 * @param progress 0 to 100; empty if the engine does not say
 * @param result its result; empty if it has none
 * @param error its error; empty if it has none
 */
public record AgentStatus(String agentId, Optional<String> nodeId, RemoteStatus status,
    Optional<Integer> progress, Optional<JsonNode> result, Optional<RemoteError> error) {

  public AgentStatus {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(error, "error");
  }
}
