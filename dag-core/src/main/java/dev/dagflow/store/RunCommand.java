package dev.dagflow.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * An operation asked of a run by an engine instance that does not own it, stored for the owner
 * to apply exactly once: the owner writes its {@link CommandOutcome} in the same write as the
 * operation's effects. Immutable; {@link #patch()} hands out a copy.
 *
 * @param id unique in the store
 * @param nodeId the node, for {@link Kind#STOP_NODE}, {@link Kind#RETRY} and {@link
 *     Kind#UPDATE_CONFIG}; empty for the others
 * @param patch the config patch of {@link Kind#UPDATE_CONFIG}; empty for the others
 * @param operator who asked
 * @param createdAt when it was asked, on the asking engine's clock
 * @param outcome what the owner did with it; empty while it waits
 * @param takenBy the owner that took it to apply it ({@link RunStore#takeCommand}); empty while
 *     nobody has
 */
public record RunCommand(String id, String runId, Kind kind, Optional<String> nodeId,
    Optional<ObjectNode> patch, String operator, Instant createdAt,
    Optional<CommandOutcome> outcome, Optional<String> takenBy) {

  /** What a command asks for: the control operations of {@code DagEngine}. */
  public enum Kind {
    STOP, STOP_NODE, PAUSE, RESUME, RETRY, UPDATE_CONFIG;

    /** Whether a command of this kind names a node. */
    public boolean hasNode() {
      return this == STOP_NODE || this == RETRY || this == UPDATE_CONFIG;
    }
  }

  public RunCommand {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(patch, "patch");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(takenBy, "takenBy");
    if (kind.hasNode() != nodeId.isPresent()) {
      throw new IllegalArgumentException("a " + kind + " command "
          + (kind.hasNode() ? "needs" : "takes no") + " nodeId");
    }
    if ((kind == Kind.UPDATE_CONFIG) != patch.isPresent()) {
      throw new IllegalArgumentException("a " + kind + " command "
          + (kind == Kind.UPDATE_CONFIG ? "needs" : "takes no") + " patch");
    }
    patch = patch.map(ObjectNode::deepCopy);
  }

  /** A new command, waiting for its owner. */
  public static RunCommand of(String id, String runId, Kind kind, Optional<String> nodeId,
      Optional<ObjectNode> patch, String operator, Instant createdAt) {
    return new RunCommand(id, runId, kind, nodeId, patch, operator, createdAt, Optional.empty(),
        Optional.empty());
  }

  @Override
  public Optional<ObjectNode> patch() {
    return patch.map(ObjectNode::deepCopy);
  }

  /** This command with {@code done} as its outcome. */
  public RunCommand withOutcome(CommandOutcome done) {
    return new RunCommand(id, runId, kind, nodeId, patch, operator, createdAt,
        Optional.of(done), takenBy);
  }

  /** This command taken by {@code owner} to apply it. */
  public RunCommand takenBy(String owner) {
    return new RunCommand(id, runId, kind, nodeId, patch, operator, createdAt, outcome,
        Optional.of(owner));
  }
}
