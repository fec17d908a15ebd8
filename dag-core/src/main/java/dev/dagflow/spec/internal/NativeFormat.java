package dev.dagflow.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.Ids;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.Join;
import dev.dagflow.spec.NodeKind;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/** dagflow's own JSON format, documented in {@code docs/json-format.md}. */
public final class NativeFormat {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Set<String> TOP =
      Set.of("id", "name", "version", "scope", "priority", "policy", "runDeadline", "targets",
          "metadata", "nodes");
  private static final Set<String> NODE = Set.of("id", "kind", "taskType", "parent", "config",
      "dependsOn", "join", "retry", "timeout", "notBefore", "delay", "activation", "priority");
  private static final Set<String> EDGE = Set.of("node", "type", "condition");
  private static final Set<String> SCOPE = Set.of("type", "id", "reuseWorker");
  private static final Set<String> RETRY =
      Set.of("maxAttempts", "backoff", "initialDelay", "multiplier", "maxDelay", "jitter");

  private NativeFormat() {}

  /** Reads a spec, reporting every bad field before any model check. */
  public static DagSpec read(JsonNode root, int maxNodes) {
    List<SpecProblem> problems = new ArrayList<>();
    Fields f = SpecReading.top(root, TOP, problems);
    String id = f.text("id", true);
    DagSpec.Builder dag = DagSpec.builder(id == null ? "" : id).maxNodes(maxNodes);
    set(f.text("name", false), dag::name);
    set(f.integer("version"), dag::specVersion);
    set(readScope(f), dag::scope);
    set(f.integer("priority"), dag::priority);
    set(f.text("policy", false), dag::policyName);
    set(f.duration("runDeadline"), dag::runDeadline);
    set(readTargets(f), dag::targets);
    set(f.freeJson("metadata", NativeDepths.METADATA_DEPTH), dag::metadata);
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

  /** {@code targets}: an array of node ids; null if absent or wrong (a problem is added). */
  private static List<String> readTargets(Fields f) {
    ArrayNode array = f.array("targets", false);
    if (array == null) {
      return null;
    }
    List<String> ids = new ArrayList<>(array.size());
    for (int i = 0; i < array.size(); i++) {
      JsonNode id = array.get(i);
      if (!id.isTextual()) {
        f.problem(SpecProblem.Kind.INVALID_VALUE, "targets[" + i + "]",
            "a target must be a node id (a string), was " + id.getNodeType());
        return null;
      }
      ids.add(id.asText());
    }
    return ids;
  }

  private static DagScope readScope(Fields f) {
    JsonNode raw = f.raw("scope");
    if (raw == null) {
      return null;
    }
    if (raw.isTextual()) {
      if (raw.textValue().equalsIgnoreCase("global")) {
        return DagScope.global();
      }
      f.problem(Kind.INVALID_VALUE, "scope",
          "a scope given as a string must be \"global\"; others need an object with type and id");
      return null;
    }
    ObjectNode o = f.object("scope");
    if (o == null) {
      return null;
    }
    Fields s = f.nested("scope", o);
    s.rejectUnknown(SCOPE);
    DagScope.Kind kind = s.enumValue("type", DagScope.Kind.class, true);
    String scopeId = s.text("id", kind != null && kind != DagScope.Kind.GLOBAL);
    Boolean reuse = s.bool("reuseWorker");
    if (kind == null) {
      return null;
    }
    if (reuse != null && kind != DagScope.Kind.PROJECT) {
      s.problem(Kind.INVALID_VALUE, "reuseWorker", "only a project scope has reuseWorker");
      return null;
    }
    if (kind == DagScope.Kind.GLOBAL) {
      if (scopeId != null) {
        s.problem(Kind.INVALID_VALUE, "id", "the global scope has no id");
      }
      return DagScope.global();
    }
    if (scopeId == null) {
      return null;
    }
    if (!Ids.isValid(scopeId)) {
      s.problem(Kind.INVALID_ID, "id", "scope id '" + scopeId + "' does not match " + Ids.PATTERN);
      return null;
    }
    return switch (kind) {
      case PROJECT -> DagScope.project(scopeId, reuse == null || reuse);
      case USER -> DagScope.user(scopeId);
      case TYPE -> DagScope.dagType(scopeId);
      case GLOBAL -> DagScope.global();
    };
  }

  private static NodeSpec.Builder readNode(JsonNode element, int i, List<SpecProblem> problems) {
    Fields f = SpecReading.node(element, i, "id", NODE, problems);
    if (f == null) {
      return null;
    }
    String nodeId = f.nodeId();
    NodeKind kind = f.enumValue("kind", NodeKind.class);
    NodeSpec.Builder node = NodeSpec.builder(nodeId == null ? "" : nodeId,
        kind == null ? NodeKind.TASK : kind);
    set(f.text("taskType", false), node::taskType);
    set(f.text("parent", false), node::parent);
    set(f.freeJson("config", NativeDepths.CONFIG_DEPTH), node::config);
    ArrayNode deps = f.array("dependsOn", false);
    if (deps != null) {
      for (int e = 0; e < deps.size(); e++) {
        set(readEdge(deps.get(e), f.pathOf("dependsOn[" + e + "]"), nodeId, problems),
            node::dependsOn);
      }
    }
    set(f.enumValue("join", Join.class), node::join);
    set(readRetry(f, problems), node::retry);
    set(f.duration("timeout"), node::timeout);
    set(f.instant("notBefore"), node::notBefore);
    set(f.duration("delay"), node::delay);
    set(f.freeJson("activation", NativeDepths.ACTIVATION_DEPTH), node::activation);
    set(f.integer("priority"), node::priority);
    return nodeId == null ? null : node;
  }

  private static Edge readEdge(JsonNode element, String path, String nodeId,
      List<SpecProblem> problems) {
    if (element.isTextual()) {
      return Edge.on(element.textValue());
    }
    if (!element.isObject()) {
      problems.add(new SpecProblem(Kind.INVALID_VALUE, nodeId, path,
          "must be a node id or an object {node, type, condition}, was " + Json.describe(element)));
      return null;
    }
    Fields f = new Fields((ObjectNode) element, path, nodeId, problems);
    f.rejectUnknown(EDGE);
    String upstream = f.text("node", true);
    EdgeType type = f.enumValue("type", EdgeType.class);
    ObjectNode condition = f.freeJson("condition", NativeDepths.CONDITION_DEPTH);
    if (upstream == null || (f.has("type") && type == null)
        || (f.has("condition") && condition == null)) {
      return null;
    }
    EdgeType t = type == null ? EdgeType.SUCCESS : type;
    return condition == null ? Edge.of(upstream, t) : Edge.of(upstream, t, condition);
  }

  private static RetryPolicy readRetry(Fields node, List<SpecProblem> problems) {
    ObjectNode o = node.object("retry");
    if (o == null) {
      return null;
    }
    Fields f = node.nested("retry", o);
    f.rejectUnknown(RETRY);
    RetryPolicy.Builder b = RetryPolicy.builder();
    int before = problems.size();
    guarded(f, "maxAttempts", f.integer("maxAttempts"), b::maxAttempts);
    guarded(f, "backoff", f.enumValue("backoff", Backoff.class), b::backoff);
    guarded(f, "initialDelay", f.duration("initialDelay"), b::initialDelay);
    guarded(f, "multiplier", f.number("multiplier"), b::multiplier);
    guarded(f, "maxDelay", f.duration("maxDelay"), b::maxDelay);
    guarded(f, "jitter", f.number("jitter"), b::jitter);
    if (problems.size() > before) {
      return null;
    }
    try {
      return b.build();
    } catch (IllegalArgumentException e) {
      problems.add(new SpecProblem(Kind.INVALID_RETRY, node.nodeId(), node.pathOf("retry"),
          e.getMessage()));
      return null;
    }
  }

  private static <T> void guarded(Fields f, String field, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (IllegalArgumentException e) {
      f.problem(Kind.INVALID_RETRY, field, e.getMessage());
    }
  }

  private static <T> void set(T value, Consumer<T> setter) {
    if (value != null) {
      setter.accept(value);
    }
  }

  /** The spec as a JSON tree; fields at their default values are left out. */
  public static ObjectNode write(DagSpec spec) {
    ObjectNode top = JSON.objectNode();
    top.put("id", spec.id());
    if (!spec.name().equals(spec.id())) {
      top.put("name", spec.name());
    }
    top.put("version", spec.specVersion());
    if (!spec.scope().equals(DagScope.global())) {
      ObjectNode scope = top.putObject("scope");
      scope.put("type", spec.scope().kindName());
      scope.put("id", spec.scope().id().orElseThrow());
      if (spec.scope().kind() == DagScope.Kind.PROJECT) {
        scope.put("reuseWorker", spec.scope().reuseWorker());
      }
    }
    if (spec.priority() != 0) {
      top.put("priority", spec.priority());
    }
    spec.policyName().ifPresent(p -> top.put("policy", p));
    spec.runDeadline().ifPresent(d -> top.put("runDeadline", d.toString()));
    if (!spec.targets().isEmpty()) {
      ArrayNode targets = top.putArray("targets");
      spec.targets().forEach(targets::add);
    }
    ObjectNode metadata = spec.metadata();
    if (!metadata.isEmpty()) {
      top.set("metadata", metadata);
    }
    ArrayNode nodes = top.putArray("nodes");
    for (NodeSpec node : spec.nodes()) {
      nodes.add(writeNode(node));
    }
    return top;
  }

  private static ObjectNode writeNode(NodeSpec node) {
    ObjectNode o = JSON.objectNode();
    o.put("id", node.id());
    if (node.isContainer()) {
      o.put("kind", lower(node.kind()));
    }
    node.taskType().ifPresent(t -> o.put("taskType", t));
    node.parent().ifPresent(p -> o.put("parent", p));
    if (node.hasConfig()) {
      o.set("config", node.config());
    }
    if (!node.edges().isEmpty()) {
      ArrayNode deps = o.putArray("dependsOn");
      for (Edge edge : node.edges()) {
        if (edge.type() == EdgeType.SUCCESS && !edge.hasCondition()) {
          deps.add(edge.upstream());
        } else {
          ObjectNode e = deps.addObject();
          e.put("node", edge.upstream());
          e.put("type", lower(edge.type()));
          edge.condition().ifPresent(c -> e.set("condition", c));
        }
      }
    }
    if (node.join() != Join.ALL) {
      o.put("join", lower(node.join()));
    }
    node.retry().ifPresent(r -> {
      ObjectNode retry = o.putObject("retry");
      retry.put("maxAttempts", r.maxAttempts());
      retry.put("backoff", lower(r.backoff()));
      retry.put("initialDelay", r.initialDelay().toString());
      retry.put("multiplier", r.multiplier());
      retry.put("maxDelay", r.maxDelay().toString());
      retry.put("jitter", r.jitter());
    });
    node.timeout().map(Duration::toString).ifPresent(t -> o.put("timeout", t));
    node.notBefore().ifPresent(t -> o.put("notBefore", t.toString()));
    node.delay().map(Duration::toString).ifPresent(d -> o.put("delay", d));
    node.activation().ifPresent(a -> o.set("activation", a));
    if (node.priority() != 0) {
      o.put("priority", node.priority());
    }
    return o;
  }

  private static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }
}
