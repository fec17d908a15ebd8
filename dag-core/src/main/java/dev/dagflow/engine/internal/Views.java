package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.ContainerCounts;
import dev.dagflow.engine.EdgeView;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.eval.Filter;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds {@link RunView}s from stored records. */
final class Views {
  private Views() {
  }

  static RunView run(RunRecord run, List<NodeRecord> nodeRecords, List<AttemptRecord> attempts) {
    DagSpec spec = run.spec();
    int n = spec.size();
    NodeRecord[] records = new NodeRecord[n];
    for (NodeRecord r : nodeRecords) {
      records[spec.indexOf(r.nodeId())] = r;
    }
    for (int v = 0; v < n; v++) {
      if (records[v] == null) {
        records[v] = NodeRecord.pending(run.runId(), spec.nodes().get(v).id());
      }
    }
    Map<String, List<AttemptRecord>> attemptsByNode = new HashMap<>();
    for (AttemptRecord a : attempts) {
      attemptsByNode.computeIfAbsent(a.nodeId(), k -> new ArrayList<>()).add(a);
    }
    int[][] counts = childCounts(spec, records);
    List<NodeView> nodes = new ArrayList<>(n);
    int ended = 0;
    for (int v = 0; v < n; v++) {
      NodeSpec node = spec.nodes().get(v);
      NodeRecord r = records[v];
      ended += r.state().isTerminal() ? 1 : 0;
      int[] c = counts[v];
      Optional<ContainerCounts> children = node.isContainer()
          ? Optional.of(new ContainerCounts(c[0], c[1], c[2], c[3])) : Optional.empty();
      int progress = node.isContainer()
          ? (r.state().isTerminal() || c[0] == 0 ? (r.state() == NodeState.COMPLETED ? 100 : 0)
              : c[4] * 100 / c[0])
          : r.progress();
      if (node.isContainer() && r.state().isTerminal()) {
        progress = 100;
      }
      nodes.add(new NodeView(node.id(), node.kind(), node.taskType(), node.parent(), r.state(),
          attemptsByNode.getOrDefault(node.id(), List.of()), progress, r.startedAt(),
          r.endedAt(), r.result().map(JsonNode::deepCopy), r.errorCode(), r.errorMessage(),
          r.config().orElse(node.config()).deepCopy(), children));
    }
    List<EdgeView> edges = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      NodeSpec node = spec.nodes().get(v);
      for (Edge e : node.edges()) {
        NodeRecord up = records[spec.indexOf(e.upstream())];
        edges.add(new EdgeView(e.upstream(), node.id(), e.type(), satisfied(e, up)));
      }
    }
    return new RunView(run.runId(), spec, run.params().deepCopy(), run.state(), run.scopeKey(),
        run.project(), run.template(), run.templateVersion(), run.priority(), run.createdAt(),
        run.startedAt(), run.endedAt(), n == 0 ? 100 : ended * 100 / n, nodes, edges);
  }

  /** Per container: total, completed, running, failed, ended children. */
  private static int[][] childCounts(DagSpec spec, NodeRecord[] records) {
    int n = spec.size();
    int[][] counts = new int[n][5];
    for (int v = 0; v < n; v++) {
      Optional<String> parent = spec.nodes().get(v).parent();
      if (parent.isEmpty()) {
        continue;
      }
      int[] c = counts[spec.indexOf(parent.get())];
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
    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.set("result", upstream.result().orElse(NullNode.instance));
    doc.put("state", s.name());
    return Filter.parse(e.condition().get()).matches(doc);
  }
}
