package dev.dagflow.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeKind;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The simulation platform's workflow format: nodes with {@code nodeId}, {@code nodeType}
 * ({@code container}/{@code box} or {@code agent}/{@code task}), {@code parentId}, {@code
 * dependencies: [{sourceNodeId, type, condition}]}, {@code isRoot}, {@code children}, {@code
 * containerName}, {@code agentLoad}, {@code agentConfig}, {@code pin} and {@code activation}.
 * The document is an array of nodes or an object with {@code nodes} and an optional {@code
 * workflowId} (or {@code id}) and {@code name}. See {@code docs/json-format.md} for the mapping.
 */
public final class SimulationFormat {
  /** The DAG id used when the document has none. */
  public static final String DEFAULT_ID = "simulation-workflow";

  private static final Set<String> TOP = Set.of("workflowId", "id", "name", "nodes");
  private static final Set<String> NODE = Set.of("nodeId", "nodeType", "parentId", "dependencies",
      "isRoot", "children", "containerName", "agentLoad", "agentConfig", "pin", "activation");
  private static final Set<String> DEPENDENCY = Set.of("sourceNodeId", "type", "condition");

  private SimulationFormat() {}

  public static DagSpec read(JsonNode root, int maxNodes) {
    List<SpecProblem> problems = new ArrayList<>();
    String id = DEFAULT_ID;
    String name = null;
    ArrayNode nodes;
    if (root.isArray()) {
      nodes = (ArrayNode) root;
    } else {
      Fields f = SpecReading.top(root, TOP, problems);
      if (f.has("workflowId") && f.has("id")) {
        f.problem(Kind.INVALID_VALUE, "id", "give workflowId or id, not both");
      }
      String field = f.has("workflowId") ? "workflowId" : "id";
      if (f.has(field)) {
        id = f.text(field, true);
      }
      name = f.text("name", false);
      nodes = f.array("nodes", true);
    }
    DagSpec.Builder dag = DagSpec.builder(id == null ? "" : id).maxNodes(maxNodes);
    if (name != null) {
      dag.name(name);
    }
    SpecReading.checkCount(id, nodes, maxNodes, problems);
    if (nodes != null) {
      Map<String, NodeSpec.Builder> byId = new LinkedHashMap<>();
      Map<String, String> declaredParents = new LinkedHashMap<>();
      List<String[]> childLinks = new ArrayList<>();
      Set<String> roots = new HashSet<>();
      for (int i = 0; i < nodes.size(); i++) {
        readNode(nodes.get(i), i, problems, byId, declaredParents, childLinks, roots);
      }
      applyChildren(childLinks, byId, declaredParents, roots, problems);
      byId.values().forEach(dag::node);
    }
    return SpecReading.build(id, dag, problems);
  }

  private static void readNode(JsonNode element, int i, List<SpecProblem> problems,
      Map<String, NodeSpec.Builder> byId, Map<String, String> parents, List<String[]> childLinks,
      Set<String> roots) {
    Fields f = SpecReading.node(element, i, "nodeId", NODE, problems);
    if (f == null) {
      return;
    }
    String nodeId = f.nodeId();
    NodeKind kind = kind(f);
    NodeSpec.Builder node = NodeSpec.builder(nodeId == null ? "" : nodeId,
        kind == null ? NodeKind.TASK : kind);

    String parentId = f.optionalText("parentId");
    Boolean isRoot = f.bool("isRoot");
    if (Boolean.TRUE.equals(isRoot) && nodeId != null) {
      roots.add(nodeId);
    }
    if (parentId != null && !parentId.isEmpty()) {
      if (Boolean.TRUE.equals(isRoot)) {
        f.problem(Kind.INVALID_VALUE, "isRoot",
            "a root node cannot have parentId '" + parentId + "'");
      }
      node.parent(parentId);
      if (nodeId != null) {
        parents.put(nodeId, parentId);
      }
    }

    String agentLoad = f.text("agentLoad", false);
    if (agentLoad != null) {
      node.taskType(agentLoad);
    } else if (kind == NodeKind.TASK && !f.has("agentLoad")) {
      f.problem(Kind.MISSING_FIELD, "agentLoad", "an agent needs agentLoad, its task type");
    }
    ObjectNode config = agentConfig(f);
    String containerName = f.text("containerName", false);
    if (containerName != null) {
      if (config.has("containerName")) {
        f.problem(Kind.INVALID_VALUE, "containerName", "agentConfig also has a containerName");
      }
      config.put("containerName", containerName);
    }
    if (!config.isEmpty()) {
      node.config(config);
    }
    readPin(f, node);
    ObjectNode activation = f.freeJson("activation", NativeDepths.ACTIVATION_DEPTH);
    if (activation != null) {
      node.activation(activation);
    }
    readDependencies(f, node, problems);
    ArrayNode children = f.array("children", false);
    if (children != null) {
      for (int c = 0; c < children.size(); c++) {
        JsonNode child = children.get(c);
        if (child.isTextual()) {
          childLinks.add(new String[] {nodeId, child.textValue(), f.pathOf("children[" + c + "]")});
        } else {
          problems.add(new SpecProblem(Kind.INVALID_VALUE, nodeId, f.pathOf("children[" + c + "]"),
              "must be a node id (a string), was " + Json.describe(child)));
        }
      }
    }
    if (nodeId != null && byId.putIfAbsent(nodeId, node) != null) {
      problems.add(new SpecProblem(Kind.DUPLICATE_NODE, nodeId, f.pathOf("nodeId"),
          "duplicate node id '" + nodeId + "'"));
    }
  }

  private static NodeKind kind(Fields f) {
    String type = f.text("nodeType", true);
    if (type == null) {
      return null;
    }
    switch (type.toLowerCase(Locale.ROOT)) {
      case "container", "box" -> {
        return NodeKind.CONTAINER;
      }
      case "agent", "task" -> {
        return NodeKind.TASK;
      }
      default -> {
        f.problem(Kind.INVALID_VALUE, "nodeType",
            "must be one of [container, box, agent, task], was \"" + type + "\"");
        return null;
      }
    }
  }

  /** {@code agentConfig} is an object, or a string holding one (as some exports store it). */
  private static ObjectNode agentConfig(Fields f) {
    JsonNode raw = f.raw("agentConfig");
    if (raw == null || raw.isNull()) {
      return Json.MAPPER.createObjectNode();
    }
    // either way it becomes the node's config: checked where that sits in native DAG JSON
    if (raw.isTextual()) {
      JsonNode parsed;
      try {
        parsed = Json.readTree(raw.textValue());
      } catch (Json.MalformedJsonException e) {
        f.problem(Kind.INVALID_VALUE, "agentConfig", "a string agentConfig must hold a JSON"
            + " object; at " + e.where() + ": " + e.getMessage());
        return Json.MAPPER.createObjectNode();
      }
      if (parsed instanceof ObjectNode o) {
        ObjectNode copy = f.canonical("agentConfig", o, NativeDepths.CONFIG_DEPTH);
        return copy == null ? Json.MAPPER.createObjectNode() : copy;
      }
      f.problem(Kind.INVALID_VALUE, "agentConfig", "a string agentConfig must hold a JSON object");
      return Json.MAPPER.createObjectNode();
    }
    ObjectNode o = f.freeJson("agentConfig", NativeDepths.CONFIG_DEPTH);
    return o == null ? Json.MAPPER.createObjectNode() : o;
  }

  /** {@code pin}: an ISO instant or epoch milliseconds (not before), or an ISO duration (delay). */
  private static void readPin(Fields f, NodeSpec.Builder node) {
    JsonNode pin = f.raw("pin");
    if (pin == null || pin.isNull()) {
      return;
    }
    if (pin.isIntegralNumber() && pin.canConvertToLong()) {
      node.notBefore(Instant.ofEpochMilli(pin.longValue()));
      return;
    }
    if (pin.isTextual()) {
      String s = pin.textValue();
      try {
        if (s.startsWith("P") || s.startsWith("-P")) {
          node.delay(Duration.parse(s));
        } else {
          node.notBefore(Instant.parse(s));
        }
        return;
      } catch (DateTimeParseException e) {
        // reported below
      }
    }
    f.problem(Kind.INVALID_VALUE, "pin", "must be an ISO-8601 instant, epoch milliseconds or an "
        + "ISO-8601 duration, was " + Json.describe(pin));
  }

  private static void readDependencies(Fields f, NodeSpec.Builder node,
      List<SpecProblem> problems) {
    ArrayNode deps = f.array("dependencies", false);
    if (deps == null) {
      return;
    }
    for (int e = 0; e < deps.size(); e++) {
      String path = f.pathOf("dependencies[" + e + "]");
      ObjectNode o = Fields.asObject(deps.get(e), path, f.nodeId(), problems);
      if (o == null) {
        continue;
      }
      Fields d = new Fields(o, path, f.nodeId(), problems);
      d.rejectUnknown(DEPENDENCY);
      String source = d.text("sourceNodeId", true);
      EdgeType type = d.enumValue("type", EdgeType.class);
      ObjectNode condition = d.freeJson("condition", NativeDepths.CONDITION_DEPTH);
      if (source == null || (d.has("type") && type == null)
          || (d.has("condition") && condition == null)) {
        continue;
      }
      EdgeType t = type == null ? EdgeType.SUCCESS : type;
      node.dependsOn(condition == null ? Edge.of(source, t) : Edge.of(source, t, condition));
    }
  }

  /** A parent's {@code children} list sets the parent of children that name none. */
  private static void applyChildren(List<String[]> links, Map<String, NodeSpec.Builder> byId,
      Map<String, String> parents, Set<String> roots, List<SpecProblem> problems) {
    for (String[] link : links) {
      String parent = link[0];
      String child = link[1];
      if (parent == null) {
        continue;
      }
      NodeSpec.Builder node = byId.get(child);
      if (node == null) {
        problems.add(new SpecProblem(Kind.INVALID_VALUE, parent, link[2],
            "children names unknown node '" + child + "'"));
        continue;
      }
      String declared = parents.get(child);
      if (roots.contains(child)) {
        problems.add(new SpecProblem(Kind.INVALID_VALUE, parent, link[2],
            "children names '" + child + "', which is a root (isRoot: true)"));
      } else if (declared == null) {
        node.parent(parent);
        parents.put(child, parent);
      } else if (!declared.equals(parent)) {
        problems.add(new SpecProblem(Kind.INVALID_VALUE, parent, link[2],
            "children names '" + child + "', whose parentId is '" + declared + "'"));
      }
    }
  }
}
