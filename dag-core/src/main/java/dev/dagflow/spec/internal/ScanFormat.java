package dev.dagflow.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeKind;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The scan platform's workflow format: {@code {"nodes": [{"id", "task_type", "config",
 * "depends_on": ["id", …]}]}}, with an optional top-level {@code id} and {@code name}. Every node
 * is a task; every dependency is a success edge.
 */
public final class ScanFormat {
  /** The DAG id used when the document has none. */
  public static final String DEFAULT_ID = "scan-workflow";

  private static final Set<String> TOP = Set.of("id", "name", "nodes");
  private static final Set<String> NODE = Set.of("id", "task_type", "config", "depends_on");

  private ScanFormat() {}

  public static DagSpec read(JsonNode root, int maxNodes) {
    List<SpecProblem> problems = new ArrayList<>();
    Fields f = SpecReading.top(root, TOP, problems);
    String id = f.has("id") ? f.text("id", true) : DEFAULT_ID;
    DagSpec.Builder dag = DagSpec.builder(id == null ? "" : id).maxNodes(maxNodes);
    String name = f.text("name", false);
    if (name != null) {
      dag.name(name);
    }
    ArrayNode nodes = f.array("nodes", true);
    SpecReading.checkCount(id, nodes, maxNodes, problems);
    if (nodes != null) {
      for (int i = 0; i < nodes.size(); i++) {
        NodeSpec.Builder node = readNode(nodes.get(i), i, problems);
        if (node != null) {
          dag.node(node);
        }
      }
    }
    return SpecReading.build(id, dag, problems);
  }

  private static NodeSpec.Builder readNode(JsonNode element, int i, List<SpecProblem> problems) {
    Fields f = SpecReading.node(element, i, "id", NODE, problems);
    if (f == null) {
      return null;
    }
    String nodeId = f.nodeId();
    String taskType = f.text("task_type", true);
    NodeSpec.Builder node = NodeSpec.builder(nodeId == null ? "" : nodeId, NodeKind.TASK);
    if (taskType != null) {
      node.taskType(taskType);
    }
    ObjectNode config = f.freeJson("config", NativeDepths.CONFIG_DEPTH);
    if (config != null) {
      node.config(config);
    }
    ArrayNode deps = f.array("depends_on", false);
    if (deps != null) {
      for (int e = 0; e < deps.size(); e++) {
        JsonNode dep = deps.get(e);
        if (dep.isTextual()) {
          node.dependsOn(dep.textValue());
        } else {
          problems.add(new SpecProblem(Kind.INVALID_VALUE, nodeId,
              f.pathOf("depends_on[" + e + "]"),
              "must be a node id (a string), was " + Json.describe(dep)));
        }
      }
    }
    return nodeId == null ? null : node;
  }
}
