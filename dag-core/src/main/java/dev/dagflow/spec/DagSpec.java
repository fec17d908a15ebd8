package dev.dagflow.spec;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.Ids;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.internal.SpecGraph;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.internal.GraphExport;
import dev.dagflow.spec.internal.TargetClosure;
import dev.dagflow.spec.internal.IdIndex;
import dev.dagflow.spec.internal.SpecValidator;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A workflow: an id, a name, a spec version, a {@link DagScope scope}, a priority, the nodes in
 * the order they were given, an optional execution policy name, and free metadata.
 *
 * <pre>{@code
 * DagSpec spec = DagSpec.builder("scan")
 *     .node(NodeSpec.task("subdomain", "subdomain_scan"))
 *     .node(NodeSpec.task("dns", "dns_resolve").dependsOn("subdomain"))
 *     .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe. A spec that exists is valid: {@link Builder#build()} and
 * {@link DagJson} check the whole graph and throw {@link InvalidDagException} with every problem
 * found.
 */
public final class DagSpec {
  private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

  private final String id;
  private final String name;
  private final int version;
  private final DagScope scope;
  private final int priority;
  private final String policy;
  private final Duration runDeadline;
  private final List<String> targets;
  private final ObjectNode metadata;
  private final List<NodeSpec> nodes;
  private final IdIndex index;
  private final SpecGraph graph;

  static {
    SpecGraph.register(DagSpec.class, spec -> spec.graph);
  }

  private DagSpec(Builder b, List<NodeSpec> nodes, IdIndex index, SpecGraph graph) {
    this.id = b.id;
    this.name = b.name == null ? b.id : b.name;
    this.version = b.version;
    this.scope = b.scope;
    this.priority = b.priority;
    this.policy = b.policy;
    this.runDeadline = b.runDeadline;
    this.targets = List.copyOf(b.targets);
    this.metadata = b.metadata;
    this.nodes = nodes;
    this.index = index;
    this.graph = targets.isEmpty() ? graph
        : graph.withTargets(TargetClosure.notNeeded(this), TargetClosure.reason(targets));
  }

  /** A builder of a DAG with the given id, which must match {@code [A-Za-z0-9_.:-]{1,128}}. */
  public static Builder builder(String id) {
    return new Builder(id);
  }

  /**
   * Reads a spec from JSON in the native format (see {@code docs/json-format.md}).
   *
   * @throws InvalidDagException naming every bad field and node
   */
  public static DagSpec fromJson(String json) {
    return DagJson.read(json);
  }

  /** A builder holding this spec's values and nodes. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.name = name;
    b.version = version;
    b.scope = scope;
    b.priority = priority;
    b.policy = policy;
    b.runDeadline = runDeadline;
    b.targets.addAll(targets);
    b.metadata = metadata;
    b.nodes.addAll(nodes);
    return b;
  }

  /** The DAG's id. */
  public String id() {
    return id;
  }

  /** The display name; the id unless one was set. */
  public String name() {
    return name;
  }

  /**
   * The spec's own version label (JSON {@code version}), 1 or more, set by its author. It is
   * not a template version: a {@link dev.dagflow.template.DagTemplate} numbers the specs saved
   * under its name on its own.
   */
  public int specVersion() {
    return version;
  }

  /** The worker pool scope; {@link DagScope#global()} unless one was set. */
  public DagScope scope() {
    return scope;
  }

  /**
   * How long a run of this DAG may take from its start, over its policy's {@code runDeadline};
   * empty to take the policy's (JSON {@code runDeadline}).
   */
  public Optional<Duration> runDeadline() {
    return Optional.ofNullable(runDeadline);
  }

  /**
   * The target nodes (JSON {@code targets}): when not empty, a run runs only what they need, and
   * every other node ends SKIPPED at the run's start with the reason {@code not needed for
   * target …}. What a target needs: itself, its subtree if it is a container, every node
   * upstream of a needed node through any edge type (a needed container with its whole
   * subtree), and the containers enclosing needed nodes. Empty (the default) runs everything.
   * In the order given, without repeats.
   */
  public List<String> targets() {
    return targets;
  }

  /** The run priority: ready nodes of a higher-priority run go first. Default 0. */
  public int priority() {
    return priority;
  }

  /**
   * The name of the execution policy the runs of this DAG use (JSON {@code policy}), if any: it
   * comes after a node's own settings and before its project's default policy.
   */
  public Optional<String> policyName() {
    return Optional.ofNullable(policy);
  }

  /** A copy of the free metadata; an empty object when none was set. */
  public ObjectNode metadata() {
    return metadata.deepCopy();
  }

  /** The nodes in the order they were given; unmodifiable. */
  public List<NodeSpec> nodes() {
    return nodes;
  }

  /** The number of nodes. */
  public int size() {
    return nodes.size();
  }

  /** The node with the given id, if there is one. */
  public Optional<NodeSpec> node(String nodeId) {
    int i = index.get(Objects.requireNonNull(nodeId, "nodeId"));
    return i < 0 ? Optional.empty() : Optional.of(nodes.get(i));
  }

  /**
   * The position of a node in {@link #nodes()}, or -1 if there is none with this id; constant
   * time, for callers that keep per-node state in arrays.
   */
  public int indexOf(String nodeId) {
    return index.get(Objects.requireNonNull(nodeId, "nodeId"));
  }

  /** This spec as JSON in the native format, pretty-printed. */
  public String toJson() {
    return DagJson.write(this);
  }

  /** A Mermaid flowchart of the DAG, containers as subgraphs. */
  public String toMermaid() {
    return GraphExport.mermaid(this, Map.of(), Map.of());
  }

  /**
   * A Mermaid flowchart coloured by node state; {@code RunView.toMermaid()} draws a run this way.
   *
   * @param states the name of the state ({@code NodeState.name()}) per node id; nodes without an
   *     entry, or with a name that is not a node state, are drawn uncoloured
   */
  public String toMermaid(Map<String, String> states) {
    return GraphExport.mermaid(this, Objects.requireNonNull(states, "states"), Map.of());
  }

  /**
   * A Mermaid flowchart coloured by node state, with a path drawn in red: its nodes outlined
   * thick, its edges thick. {@code RunView.toMermaid(CriticalPath)} draws a run's critical path
   * this way.
   *
   * @param states as {@link #toMermaid(Map)} takes them
   * @param path each node on the path mapped to the one before it: an upstream, whose edge into
   *     it is drawn thick too, its container, or its own id if none; ids not in the spec are
   *     ignored
   */
  public String toMermaid(Map<String, String> states, Map<String, String> path) {
    return GraphExport.mermaid(this, Objects.requireNonNull(states, "states"),
        Objects.requireNonNull(path, "path"));
  }

  /** A Graphviz DOT digraph of the DAG, containers as clusters. */
  public String toDot() {
    return GraphExport.dot(this, Map.of(), Map.of());
  }

  /**
   * A Graphviz DOT digraph coloured by node state; {@code RunView.toDot()} draws a run this way.
   *
   * @param states the name of the state ({@code NodeState.name()}) per node id; nodes without an
   *     entry, or with a name that is not a node state, are drawn uncoloured
   */
  public String toDot(Map<String, String> states) {
    return GraphExport.dot(this, Objects.requireNonNull(states, "states"), Map.of());
  }

  /**
   * A Graphviz DOT digraph coloured by node state, with a path drawn in red: its nodes (and the
   * clusters of its containers) outlined thick, its edges thick. {@code
   * RunView.toDot(CriticalPath)} draws a run's critical path this way.
   *
   * @param states as {@link #toDot(Map)} takes them
   * @param path as {@link #toMermaid(Map, Map)} takes it
   */
  public String toDot(Map<String, String> states, Map<String, String> path) {
    return GraphExport.dot(this, Objects.requireNonNull(states, "states"),
        Objects.requireNonNull(path, "path"));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DagSpec d
        && id.equals(d.id)
        && name.equals(d.name)
        && version == d.version
        && priority == d.priority
        && scope.equals(d.scope)
        && Objects.equals(policy, d.policy)
        && Objects.equals(runDeadline, d.runDeadline)
        && targets.equals(d.targets)
        && metadata.equals(d.metadata)
        && nodes.equals(d.nodes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, name, version, scope, priority, policy, runDeadline, targets,
        metadata, nodes);
  }

  @Override
  public String toString() {
    return "DagSpec{" + id + " spec-version " + version + ", " + nodes.size() + " nodes, "
        + scope + '}';
  }

  /**
   * Builds a {@link DagSpec}. Setters reject {@code null}; {@link #build()} checks everything at
   * once. Not thread-safe; the built spec shares nothing with the builder.
   */
  public static final class Builder {
    private final String id;
    private String name;
    private int version = 1;
    private DagScope scope = DagScope.global();
    private int priority;
    private String policy;
    private Duration runDeadline;
    private final List<String> targets = new ArrayList<>(0);
    private ObjectNode metadata = EMPTY;
    private int maxNodes = SpecValidator.DEFAULT_MAX_NODES;
    private final List<NodeSpec> nodes = new ArrayList<>();
    /** Positions of nodes added as builders, whose own values {@link #build()} must check. */
    private final BitSet unchecked = new BitSet();

    private Builder(String id) {
      this.id = Objects.requireNonNull(id, "id");
    }

    /** Sets the display name. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** Sets the spec's own version label (JSON {@code version}); must be at least 1. */
    public Builder specVersion(int version) {
      this.version = version;
      return this;
    }

    /** Sets the worker pool scope. */
    public Builder scope(DagScope scope) {
      this.scope = Objects.requireNonNull(scope, "scope");
      return this;
    }

    /** Sets the run priority. */
    public Builder priority(int priority) {
      this.priority = priority;
      return this;
    }

    /**
     * Sets how long a run may take from its start (JSON {@code runDeadline}), over the policy's:
     * when it passes, the run's running attempts end TIMED_OUT, the nodes not started STOPPED,
     * and the run FAILED. Positive, at most 100 years ({@link #build()} checks).
     */
    public Builder runDeadline(Duration deadline) {
      this.runDeadline = Objects.requireNonNull(deadline, "runDeadline");
      return this;
    }

    /**
     * Limits runs to these target nodes and what they need (JSON {@code targets}); see {@link
     * DagSpec#targets()}. Replaces the targets set before; an empty list runs everything. A
     * repeated id counts once; an id that names no node is a problem {@link #build()} reports.
     */
    public Builder targets(Collection<String> nodeIds) {
      Set<String> ids = new LinkedHashSet<>();
      for (String nodeId : nodeIds) {
        ids.add(Objects.requireNonNull(nodeId, "targets"));
      }
      targets.clear();
      targets.addAll(ids);
      return this;
    }

    /** Names the execution policy the runs of this DAG use (JSON {@code policy}). */
    public Builder policyName(String policyName) {
      this.policy = Objects.requireNonNull(policyName, "policyName");
      return this;
    }

    /**
     * Sets the free metadata (copied).
     *
     * @throws InvalidJsonException naming {@code metadata} (and the place in it) if it holds a
     *     value that is not JSON or breaks a {@link JsonLimits} limit where it sits in DAG JSON
     */
    public Builder metadata(ObjectNode metadata) {
      this.metadata = Json.canonicalCopy(Objects.requireNonNull(metadata, "metadata"), "metadata",
          NativeDepths.METADATA_DEPTH);
      return this;
    }

    /**
     * Sets the most nodes this DAG may have; default 1,000,000.
     *
     * @throws IllegalArgumentException if not positive
     */
    public Builder maxNodes(int maxNodes) {
      if (maxNodes < 1) {
        throw new IllegalArgumentException("maxNodes must be >= 1, was " + maxNodes);
      }
      this.maxNodes = maxNodes;
      return this;
    }

    /** Adds a node (already checked on its own by {@link NodeSpec.Builder#build()}). */
    public Builder node(NodeSpec node) {
      nodes.add(Objects.requireNonNull(node, "node"));
      return this;
    }

    /** Adds the node the builder describes as it is now; it is checked by {@link #build()}. */
    public Builder node(NodeSpec.Builder node) {
      NodeSpec unverified = Objects.requireNonNull(node, "node").buildUnchecked();
      unchecked.set(nodes.size());
      nodes.add(unverified);
      return this;
    }

    /** Adds nodes, in order. */
    public Builder nodes(Collection<NodeSpec> nodes) {
      for (NodeSpec node : Objects.requireNonNull(nodes, "nodes")) {
        node(node);
      }
      return this;
    }

    /**
     * The spec.
     *
     * @throws InvalidDagException listing every problem: bad ids, duplicates, unknown upstreams
     *     or parents, self edges, cycles (with their path), containers that contain each other,
     *     edges to a node's own container, bad timeouts, too many nodes, no node at all
     */
    public DagSpec build() {
      List<SpecProblem> problems = new ArrayList<>(0);
      if (!Ids.isValid(id)) {
        problems.add(new SpecProblem(SpecProblem.Kind.INVALID_ID, null, "id",
            "DAG id '" + id + "' does not match " + Ids.PATTERN));
      }
      if (version < 1) {
        problems.add(new SpecProblem(SpecProblem.Kind.INVALID_VALUE, null, "version",
            "version must be >= 1, was " + version));
      }
      if (runDeadline != null && (runDeadline.isZero() || runDeadline.isNegative()
          || runDeadline.compareTo(SpecValidator.MAX_DURATION) > 0)) {
        problems.add(new SpecProblem(SpecProblem.Kind.INVALID_TIMEOUT, null, "runDeadline",
            "runDeadline must be positive and at most 100 years, was " + runDeadline));
      }
      List<NodeSpec> copy = Collections.unmodifiableList(new ArrayList<>(nodes));
      SpecValidator.Result checked = SpecValidator.validate(copy, unchecked, maxNodes, problems);
      boolean indexed = !copy.isEmpty() && copy.size() <= maxNodes;
      for (int i = 0; indexed && i < targets.size(); i++) {
        if (checked.index().get(targets.get(i)) < 0) {
          problems.add(new SpecProblem(SpecProblem.Kind.UNKNOWN_TARGET, null,
              "targets[" + i + "]", "target '" + targets.get(i) + "' is not a node of the DAG"));
        }
      }
      if (!problems.isEmpty()) {
        throw new InvalidDagException(id, problems);
      }
      return new DagSpec(this, copy, checked.index(), checked.graph());
    }
  }
}
