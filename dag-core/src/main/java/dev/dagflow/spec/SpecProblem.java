package dev.dagflow.spec;

import dev.dagflow.json.internal.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * One problem found in a DAG spec: what kind it is, the node it concerns (if any), where in the
 * spec it is, and a message for people.
 *
 * <p>Immutable and thread-safe.
 */
public final class SpecProblem {
  /** The kinds of problem. */
  public enum Kind {
    /** The text is not well-formed JSON. */
    MALFORMED_JSON,
    /** A field the format does not define. */
    UNKNOWN_FIELD,
    /** A required field is absent. */
    MISSING_FIELD,
    /** A field has the wrong JSON type or a value out of range. */
    INVALID_VALUE,
    /** An id does not match {@code [A-Za-z0-9_.:-]{1,128}}. */
    INVALID_ID,
    /** The DAG has no node. */
    EMPTY_DAG,
    /** The DAG has more nodes than the configured limit. */
    TOO_MANY_NODES,
    /** Two nodes share an id. */
    DUPLICATE_NODE,
    /** A task node without a task type. */
    MISSING_TASK_TYPE,
    /** An edge names a node that does not exist. */
    UNKNOWN_UPSTREAM,
    /** An edge from a node to itself. */
    SELF_EDGE,
    /** The same edge (upstream and type) listed twice on one node. */
    DUPLICATE_EDGE,
    /** Edges (with container membership) that form a cycle. */
    CYCLE,
    /** A parent that does not exist. */
    UNKNOWN_PARENT,
    /** A parent that is a task, not a container. */
    PARENT_NOT_CONTAINER,
    /** Containers that contain each other. */
    CONTAINER_CYCLE,
    /** An edge between a node and one of its own ancestor containers. */
    EDGE_WITHIN_HIERARCHY,
    /** A timeout that is zero, negative, or longer than 100 years. */
    INVALID_TIMEOUT,
    /** A delay that is negative or longer than 100 years. */
    INVALID_DELAY,
    /** A not-before time after the year 9999. */
    INVALID_NOT_BEFORE,
    /** A retry policy with a value out of range, such as fewer than one attempt. */
    INVALID_RETRY,
    /**
     * An edge condition or activation condition that is not a valid filter, or that reads a path
     * starting outside its document (see {@link dev.dagflow.filter.Filter}, "What a filter
     * sees").
     */
    INVALID_FILTER,
    /** A target ({@link DagSpec#targets()}) that names no node of the DAG. */
    UNKNOWN_TARGET
  }

  private static final int SHOWN_ID = 140;
  private static final int SHOWN_PATH = 200;
  private static final int SHOWN_MESSAGE = 500;

  private final Kind kind;
  private final String nodeId;
  private final String path;
  private final String message;

  /**
   * Creates a problem.
   *
   * @param nodeId the node concerned, or {@code null} for the DAG as a whole
   * @param path where in the spec, such as {@code nodes[3].timeout}; empty for the whole spec
   */
  public SpecProblem(Kind kind, String nodeId, String path, String message) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.nodeId = nodeId;
    this.path = Objects.requireNonNull(path, "path");
    this.message = Objects.requireNonNull(message, "message");
  }

  /** The kind of problem. */
  public Kind kind() {
    return kind;
  }

  /** The node the problem concerns; empty when it concerns the DAG as a whole. */
  public Optional<String> nodeId() {
    return Optional.ofNullable(nodeId);
  }

  /** Where in the spec the problem is, such as {@code nodes[3].dependsOn[0]}; may be empty. */
  public String path() {
    return path;
  }

  /** What is wrong, for people. */
  public String message() {
    return message;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SpecProblem p
        && kind == p.kind
        && Objects.equals(nodeId, p.nodeId)
        && path.equals(p.path)
        && message.equals(p.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, nodeId, path, message);
  }

  /**
   * {@code node 'b' at nodes[1].dependsOn[0]: edge to unknown node 'x'}, with a long node id,
   * path or message cut short (their accessors keep them whole): an invalid id may be megabytes
   * long, and a message is for reading.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (nodeId != null) {
      s.append("node '").append(Json.cut(nodeId, SHOWN_ID)).append('\'');
    }
    if (!path.isEmpty()) {
      s.append(s.length() > 0 ? " at " : "").append(Json.cut(path, SHOWN_PATH));
    }
    return s.append(s.length() > 0 ? ": " : "").append(Json.cut(message, SHOWN_MESSAGE))
        .toString();
  }
}
