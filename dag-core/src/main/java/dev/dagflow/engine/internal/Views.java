package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.ContainerCounts;
import dev.dagflow.engine.EdgeView;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.filter.Filter;
import dev.dagflow.internal.FilterDocument;
import dev.dagflow.internal.SpecGraph;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunRecord;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Builds {@link RunView}s from stored records; the config they show, the spec's and the live one,
 * has its secret values redacted.
 */
final class Views {
  private static final int[] NO_CHILDREN = new int[5];
  private Views() {
  }

  static RunView run(RunRecord run, List<NodeRecord> nodeRecords, List<AttemptRecord> attempts,
      SecretKeys secrets) {
    DagSpec spec = run.spec();
    int n = spec.size();
    NodeRecord[] records = new NodeRecord[n];
    for (int i = 0; i < nodeRecords.size(); i++) {
      NodeRecord r = nodeRecords.get(i);
      // stores tend to list records in the spec's order: try the position first
      int v = i < n && spec.nodes().get(i).id().equals(r.nodeId()) ? i : spec.indexOf(r.nodeId());
      records[v] = r;
    }
    for (int v = 0; v < n; v++) {
      if (records[v] == null) {
        records[v] = NodeRecord.pending(run.runId(), spec.nodes().get(v).id());
      }
    }
    SpecGraph graph = SpecGraph.of(spec);
    int[][] counts = childCounts(spec, graph, records);
    // the store lists attempts keyed by node id, numbers in order per node; grouped here by
    // id, whatever order (and collation) the store lists the nodes in
    List<List<AttemptRecord>> byNode = new ArrayList<>(n);
    for (int v = 0; v < n; v++) {
      byNode.add(null);
    }
    for (int i = 0; i < attempts.size(); ) {
      String nodeId = attempts.get(i).nodeId();
      int v = spec.indexOf(nodeId);
      if (v < 0) {
        throw new IllegalStateException("the run store listed an attempt of node '" + nodeId
            + "' of run " + run.runId() + ", which is not in its spec");
      }
      int from = i;
      while (i < attempts.size() && attempts.get(i).nodeId().equals(nodeId)) {
        i++;
      }
      List<AttemptRecord> group = attempts.subList(from, i);
      if (byNode.get(v) != null) { // listed apart from its others: merged, by number
        List<AttemptRecord> merged = new ArrayList<>(byNode.get(v));
        merged.addAll(group);
        merged.sort(Comparator.comparingInt(AttemptRecord::attempt));
        group = merged;
      }
      byNode.set(v, group);
    }
    List<NodeView> nodes = new ArrayList<>(n);
    int ended = 0;
    for (int v = 0; v < n; v++) {
      NodeSpec node = spec.nodes().get(v);
      NodeRecord r = records[v];
      ended += r.state().isTerminal() ? 1 : 0;
      int[] c = counts[v] == null ? NO_CHILDREN : counts[v];
      Optional<ContainerCounts> children = node.isContainer()
          ? Optional.of(new ContainerCounts(c[0], c[1], c[2], c[3])) : Optional.empty();
      int progress = node.isContainer()
          ? (r.state().isTerminal() || c[0] == 0 ? (r.state() == NodeState.COMPLETED ? 100 : 0)
              : c[4] * 100 / c[0])
          : r.progress();
      if (node.isContainer() && r.state().isTerminal()) {
        progress = 100;
      }
      ObjectNode config = r.config().isPresent() ? r.config().get().deepCopy() : node.config();
      config = secrets.redact(config);
      nodes.add(new NodeView(node.id(), node.kind(), node.taskType(), node.parent(), r.state(),
          byNode.get(v) == null ? List.of() : byNode.get(v), progress, r.startedAt(), r.endedAt(),
          r.result().map(JsonNode::deepCopy), r.errorCode(), r.errorMessage(), config,
          children));
    }
    List<EdgeView> edges = new ArrayList<>();
    int edge = 0;
    for (int v = 0; v < n; v++) {
      NodeSpec node = spec.nodes().get(v);
      for (Edge e : node.edges()) {
        NodeRecord up = records[graph.upstream(edge++)];
        edges.add(new EdgeView(e.upstream(), node.id(), e.type(), satisfied(e, up)));
      }
    }
    return new RunView(run.runId(), Redaction.spec(spec, secrets), run.params().deepCopy(),
        run.state(), run.scopeKey(), run.project(), run.template(), run.templateVersion(),
        run.idempotencyKey(), run.priority(), run.createdAt(), run.startedAt(), run.endedAt(),
        n == 0 ? 100 : ended * 100 / n, nodes, edges);
  }

  /** Per container: total, completed, running, failed, ended children. */
  private static int[][] childCounts(DagSpec spec, SpecGraph graph, NodeRecord[] records) {
    int n = spec.size();
    int[][] counts = new int[n][];
    for (int v = 0; v < n; v++) {
      int p = graph.parent(v);
      if (p < 0) {
        continue;
      }
      if (counts[p] == null) {
        counts[p] = new int[5];
      }
      int[] c = counts[p];
      NodeState s = records[v].state();
      c[0]++;
      c[1] += s == NodeState.COMPLETED ? 1 : 0;
      c[2] += s == NodeState.RUNNING || s == NodeState.INITIALIZING ? 1 : 0;
      c[3] += s == NodeState.FAILED || s == NodeState.TIMED_OUT ? 1 : 0;
      c[4] += s.isTerminal() ? 1 : 0;
    }
    return counts;
  }

  private static boolean satisfied(Edge e, NodeRecord upstream) {
    NodeState s = upstream.state();
    boolean typeOk = switch (e.type()) {
      case SUCCESS -> s == NodeState.COMPLETED;
      case FINISH -> s.isTerminal();
      case FAILURE -> s == NodeState.FAILED || s == NodeState.TIMED_OUT;
      case ANY -> !e.hasCondition() || s.isTerminal();
    };
    if (!typeOk || !e.hasCondition()) {
      return typeOk;
    }
    return Filter.parse(e.condition().get()).matches(
        FilterDocument.edgeCondition(upstream.result().orElse(NullNode.instance), s.name()));
  }
}
