package dev.dagflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A run as it stands: its state, the spec it started from, every node and every edge. A
 * snapshot: it does not change as the run goes on.
 *
 * @param spec the full snapshot of the spec the run started from
 * @param idempotencyKey the key the run was submitted with (see {@link
 *     SubmitRequest#idempotencyKey()}); empty for none
 * @param progress 0 to 100: the share of nodes ended
 * @param nodes every node, in the spec's order
 * @param edges every edge, in the spec's order
 */
public record RunView(String runId, DagSpec spec, ObjectNode params, RunState state,
    String scopeKey, Optional<String> project, Optional<String> template, int templateVersion,
    Optional<String> idempotencyKey, int priority, Instant createdAt,
    Optional<Instant> startedAt, Optional<Instant> endedAt, int progress, List<NodeView> nodes,
    List<EdgeView> edges) {

  public RunView {
    nodes = List.copyOf(nodes);
    edges = List.copyOf(edges);
  }

  /** The node with this id; empty if the spec has none. */
  public Optional<NodeView> node(String nodeId) {
    int i = spec.indexOf(nodeId);
    return i < 0 ? Optional.empty() : Optional.of(nodes.get(i));
  }

  /** Every node's state by id, in the spec's order. */
  public Map<String, NodeState> nodeStates() {
    return nodes.stream().collect(Collectors.toMap(NodeView::id, NodeView::state,
        (a, b) -> a, java.util.LinkedHashMap::new));
  }

  /** The run's DAG as a Mermaid flowchart, each node coloured by its state. */
  public String toMermaid() {
    return spec.toMermaid(stateNames());
  }

  /** The run's DAG as a Graphviz DOT digraph, each node coloured by its state. */
  public String toDot() {
    return spec.toDot(stateNames());
  }

  /**
   * The run's DAG as a Mermaid flowchart, each node coloured by its state, and {@code path}
   * drawn in red: its nodes outlined thick, the edges along it thick.
   *
   * @param path a critical path of this run ({@link #criticalPath})
   */
  public String toMermaid(CriticalPath path) {
    return spec.toMermaid(stateNames(), links(path));
  }

  /**
   * The run's DAG as a Graphviz DOT digraph, each node coloured by its state, and {@code path}
   * drawn in red: its nodes (and containers' clusters) outlined thick, the edges along it thick.
   *
   * @param path a critical path of this run ({@link #criticalPath})
   */
  public String toDot(CriticalPath path) {
    return spec.toDot(stateNames(), links(path));
  }

  private static Map<String, String> links(CriticalPath path) {
    Map<String, String> links = new LinkedHashMap<>();
    for (CriticalPath.Step step : path.steps()) {
      links.put(step.nodeId(), step.after().orElse(step.nodeId()));
    }
    return links;
  }

  /**
   * The chain of nodes that decided how long the run took, with every started node's slack, as
   * {@link CriticalPath} defines them. {@link DagEngine#criticalPath} reads the run and draws it
   * for the engine's time source now.
   *
   * @param now the time nodes not ended count up to, and the end of a run not ended; for an
   *     ended run only its nodes' own times count
   * @throws NullPointerException if {@code now} is null
   */
  public CriticalPath criticalPath(Instant now) {
    return CriticalPaths.of(this, Objects.requireNonNull(now, "now"));
  }

  private Map<String, String> stateNames() {
    return nodes.stream().collect(Collectors.toMap(NodeView::id, n -> n.state().name(),
        (a, b) -> a));
  }

  /**
   * How long its nodes waited, in total, from READY to the start of their attempts (for limits
   * on nodes or runs, priorities, or busy workers); attempts with no known ready time count
   * nothing.
   */
  public Duration queueTime() {
    Duration total = Duration.ZERO;
    for (NodeView n : nodes) {
      for (AttemptRecord a : n.attempts()) {
        total = total.plus(a.queueTime().orElse(Duration.ZERO));
      }
    }
    return total;
  }

  /** How long its attempts ran, in total, those that have ended. */
  public Duration busyTime() {
    Duration total = Duration.ZERO;
    for (NodeView n : nodes) {
      for (AttemptRecord a : n.attempts()) {
        total = total.plus(a.duration().orElse(Duration.ZERO));
      }
    }
    return total;
  }

  /** How long the run took; empty until it ended. */
  public Optional<Duration> duration() {
    return startedAt.flatMap(start -> endedAt.map(end -> Duration.between(start, end)));
  }

}
