package dev.dagflow.http.engine;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A remote task as the engine reports it, in a status answer or a webhook callback: {@code
 * {"status", "progress"?, "result"?, "error"?, "agents": [...]?}}. Immutable; the result is
 * not copied.
 *
 * @param taskId the engine's id of the task ({@code engine_task_id})
 * @param status its state
 * @param progress 0 to 100; empty if the engine does not say
 * @param result its result; empty if it has none
 * @param error its error; empty if it has none
 * @param agents its agents in the engine's order; empty if it lists none
 */
public record TaskStatus(String taskId, RemoteStatus status, Optional<Integer> progress,
    Optional<JsonNode> result, Optional<RemoteError> error, List<AgentStatus> agents) {

  public TaskStatus {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(progress, "progress");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(error, "error");
    agents = List.copyOf(agents);
  }

  /** The agent with the engine id {@code agentId}. */
  public Optional<AgentStatus> agent(String agentId) {
    return agents.stream().filter(a -> a.agentId().equals(agentId)).findFirst();
  }

  /** The agent running the submitted node {@code nodeId}. */
  public Optional<AgentStatus> agentOfNode(String nodeId) {
    return agents.stream().filter(a -> a.nodeId().equals(Optional.of(nodeId))).findFirst();
  }
}
