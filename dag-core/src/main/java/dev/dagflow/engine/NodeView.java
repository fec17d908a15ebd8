package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.NodeKind;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.AttemptRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A node of a run as it stands: state, attempts, progress, times, result or error, and for a
 * container the counts of its children. A snapshot: it does not change as the run goes on.
 *
 * @param attempts every attempt, oldest first
 * @param progress 0 to 100; for a container, the share of its children ended
 * @param config the node's config with live updates applied (policy defaults aside)
 * @param children for a container, its children's counts; empty for a task
 */
public record NodeView(String id, NodeKind kind, Optional<String> taskType,
    Optional<String> parent, NodeState state, List<AttemptRecord> attempts, int progress,
    Optional<Instant> startedAt, Optional<Instant> endedAt, Optional<JsonNode> result,
    Optional<String> errorCode, Optional<String> errorMessage, ObjectNode config,
    Optional<ContainerCounts> children) {

  public NodeView {
    attempts = List.copyOf(attempts);
  }

  /** How long it ran, from its first start to its end; empty until it ended. */
  public Optional<Duration> duration() {
    return startedAt.flatMap(start -> endedAt.map(end -> Duration.between(start, end)));
  }
}
