package dev.dagflow.spec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.internal.SpecValidator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of a DAG: a task, or a container of other nodes.
 *
 * <p>A node has an id unique in its DAG; a kind; a task type, the key of the executor that runs
 * it (required for tasks, optional for containers); an optional parent container; a config
 * object handed to its executor; its incoming edges and how they {@link Join join}; and optional
 * retry policy, per-attempt timeout, not-before time, delay after the run starts, activation
 * condition (a filter over {@code {"params": <the run's parameters>}}) and priority. Values left
 * unset here come from the execution policy when the node runs.
 *
 * <p>Immutable and thread-safe. JSON values (config, activation) are copied in and out.
 */
public final class NodeSpec {
  private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

  private final String id;
  private final NodeKind kind;
  private final String taskType;
  private final String parent;
  private final ObjectNode config;
  private final List<Edge> edges;
  private final Join join;
  private final RetryPolicy retry;
  private final Duration timeout;
  private final Instant notBefore;
  private final Duration delay;
  private final ObjectNode activation;
  private final int priority;

  private NodeSpec(Builder b) {
    this.id = b.id;
    this.kind = b.kind;
    this.taskType = b.taskType;
    this.parent = b.parent;
    this.config = b.config;
    this.edges = List.copyOf(b.edges);
    this.join = b.join;
    this.retry = b.retry;
    this.timeout = b.timeout;
    this.notBefore = b.notBefore;
    this.delay = b.delay;
    this.activation = b.activation;
    this.priority = b.priority;
  }

  /** A builder of a task node run by the executor registered for {@code taskType}. */
  public static Builder task(String id, String taskType) {
    return new Builder(id, NodeKind.TASK).taskType(taskType);
  }

  /** A builder of a container node without a task type. */
  public static Builder container(String id) {
    return new Builder(id, NodeKind.CONTAINER);
  }

  /** A builder of a node of the given kind, with nothing else set. */
  public static Builder builder(String id, NodeKind kind) {
    return new Builder(id, kind);
  }

  /** A builder holding this node's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id, kind);
    b.taskType = taskType;
    b.parent = parent;
    b.config = config;
    b.edges.addAll(edges);
    b.join = join;
    b.retry = retry;
    b.timeout = timeout;
    b.notBefore = notBefore;
    b.delay = delay;
    b.activation = activation;
    b.priority = priority;
    return b;
  }

  /** The node's id, unique within its DAG. */
  public String id() {
    return id;
  }

  /** Task or container. */
  public NodeKind kind() {
    return kind;
  }

  /** Whether this node is a container. */
  public boolean isContainer() {
    return kind == NodeKind.CONTAINER;
  }

  /** The executor key; always present on a task, optional on a container. */
  public Optional<String> taskType() {
    return Optional.ofNullable(taskType);
  }

  /** The id of the container this node belongs to; empty for a top-level node. */
  public Optional<String> parent() {
    return Optional.ofNullable(parent);
  }

  /** A copy of the node's config; an empty object when none was set. */
  public ObjectNode config() {
    return config.deepCopy();
  }

  /** Whether the config has no field. */
  public boolean hasConfig() {
    return !config.isEmpty();
  }

  /** The incoming edges, in the order given; unmodifiable. */
  public List<Edge> edges() {
    return edges;
  }

  /** How the incoming edges combine. */
  public Join join() {
    return join;
  }

  /** The node's own retry policy; empty to use the execution policy's. */
  public Optional<RetryPolicy> retry() {
    return Optional.ofNullable(retry);
  }

  /** The timeout of each attempt; empty to use the execution policy's. */
  public Optional<Duration> timeout() {
    return Optional.ofNullable(timeout);
  }

  /** The node is not started before this time. */
  public Optional<Instant> notBefore() {
    return Optional.ofNullable(notBefore);
  }

  /** The node is not started before this long after its run started. */
  public Optional<Duration> delay() {
    return Optional.ofNullable(delay);
  }

  /**
   * A copy of the activation condition; if it does not match, the node is skipped. It reads
   * {@code {"params": <the run's parameters>}}, so its paths start with {@code params} (see
   * {@link dev.dagflow.filter.Filter}, "What a filter sees").
   */
  public Optional<ObjectNode> activation() {
    return activation == null ? Optional.empty() : Optional.of(activation.deepCopy());
  }

  /** Higher runs first among ready nodes of the same run priority. Default 0. */
  public int priority() {
    return priority;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeSpec n
        && id.equals(n.id)
        && kind == n.kind
        && priority == n.priority
        && join == n.join
        && Objects.equals(taskType, n.taskType)
        && Objects.equals(parent, n.parent)
        && config.equals(n.config)
        && edges.equals(n.edges)
        && Objects.equals(retry, n.retry)
        && Objects.equals(timeout, n.timeout)
        && Objects.equals(notBefore, n.notBefore)
        && Objects.equals(delay, n.delay)
        && Objects.equals(activation, n.activation);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, kind, taskType, parent, config, edges, join, retry, timeout,
        notBefore, delay, activation, priority);
  }

  @Override
  public String toString() {
    return "NodeSpec{" + id + ", " + kind + (taskType == null ? "" : ", " + taskType)
        + (parent == null ? "" : ", in " + parent)
        + (edges.isEmpty() ? "" : ", after " + edges) + '}';
  }

  /**
   * Builds a {@link NodeSpec}. Setters reject {@code null}; values are checked as a whole by
   * {@link #build()} (or by {@link DagSpec.Builder#build()} when the builder is added to a DAG).
   * Not thread-safe.
   */
  public static final class Builder {
    private final String id;
    private NodeKind kind;
    private String taskType;
    private String parent;
    private ObjectNode config = EMPTY;
    private final List<Edge> edges = new ArrayList<>(2);
    private Join join = Join.ALL;
    private RetryPolicy retry;
    private Duration timeout;
    private Instant notBefore;
    private Duration delay;
    private ObjectNode activation;
    private int priority;

    private Builder(String id, NodeKind kind) {
      this.id = Objects.requireNonNull(id, "id");
      this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Sets the kind. */
    public Builder kind(NodeKind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** Sets the executor key. */
    public Builder taskType(String taskType) {
      this.taskType = Objects.requireNonNull(taskType, "taskType");
      return this;
    }

    /** Places the node in a container. */
    public Builder parent(String parentId) {
      this.parent = Objects.requireNonNull(parentId, "parentId");
      return this;
    }

    /**
     * Sets the config (copied).
     *
     * @throws InvalidJsonException naming {@code config} (and the place in it) if it holds a
     *     value that is not JSON or breaks a {@link JsonLimits} limit where it sits in DAG JSON
     */
    public Builder config(ObjectNode config) {
      this.config = Json.canonicalCopy(Objects.requireNonNull(config, "config"), "config",
          NativeDepths.CONFIG_DEPTH);
      return this;
    }

    /** Adds a {@link EdgeType#SUCCESS} edge from each of the given nodes. */
    public Builder dependsOn(String... upstreams) {
      for (String upstream : upstreams) {
        edges.add(Edge.on(upstream));
      }
      return this;
    }

    /** Adds an edge of the given type from {@code upstream}. */
    public Builder dependsOn(String upstream, EdgeType type) {
      edges.add(Edge.of(upstream, type));
      return this;
    }

    /** Adds an edge. */
    public Builder dependsOn(Edge edge) {
      edges.add(Objects.requireNonNull(edge, "edge"));
      return this;
    }

    /** Replaces the edges with the given ones. */
    public Builder edges(Collection<Edge> edges) {
      List<Edge> copy = new ArrayList<>(Objects.requireNonNull(edges, "edges"));
      copy.forEach(e -> Objects.requireNonNull(e, "edge"));
      this.edges.clear();
      this.edges.addAll(copy);
      return this;
    }

    /** Sets how the edges combine; default {@link Join#ALL}. */
    public Builder join(Join join) {
      this.join = Objects.requireNonNull(join, "join");
      return this;
    }

    /** Sets the node's own retry policy. */
    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** Sets the timeout of each attempt; must be positive. */
    public Builder timeout(Duration timeout) {
      this.timeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The node is not started before this time. */
    public Builder notBefore(Instant notBefore) {
      this.notBefore = Objects.requireNonNull(notBefore, "notBefore");
      return this;
    }

    /** The node is not started before this long after its run started; must not be negative. */
    public Builder delay(Duration delay) {
      this.delay = Objects.requireNonNull(delay, "delay");
      return this;
    }

    /**
     * Sets the activation condition (copied), a filter over {@code {"params": <the run's
     * parameters>}}: {@code {"params.env": "prod"}}. Checked by {@link #build()}, which refuses
     * a filter that does not parse or has a path not starting with {@code params}.
     *
     * @throws InvalidJsonException naming {@code activation} (and the place in it) if it holds a
     *     value that is not JSON or breaks a {@link JsonLimits} limit where it sits in DAG JSON
     */
    public Builder activation(ObjectNode activation) {
      this.activation = Json.canonicalCopy(Objects.requireNonNull(activation, "activation"),
          "activation", NativeDepths.ACTIVATION_DEPTH);
      return this;
    }

    /** Sets the priority among ready nodes; default 0. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * The node, checked on its own (id, task type, timeout, delay, and its edge conditions and
     * activation: valid filters whose paths start in their documents); the edges' upstreams
     * and the parent are checked when it is part of a {@link DagSpec}.
     *
     * @throws InvalidDagException listing every problem of this node
     */
    public NodeSpec build() {
      NodeSpec node = new NodeSpec(this);
      List<SpecProblem> problems = new ArrayList<>(0);
      SpecValidator.checkNode(node, -1, problems);
      if (!problems.isEmpty()) {
        throw new InvalidDagException(null, problems);
      }
      return node;
    }

    /** The node without checks; {@link DagSpec.Builder#build()} checks it with the rest. */
    NodeSpec buildUnchecked() {
      return new NodeSpec(this);
    }

    @Override
    public String toString() {
      return "NodeSpec.Builder{" + id + ", " + kind + ", edges="
          + Arrays.toString(edges.toArray()) + '}';
    }
  }
}
