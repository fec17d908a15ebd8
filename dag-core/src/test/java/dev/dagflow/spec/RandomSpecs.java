package dev.dagflow.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * Generates valid specs that use every feature of the model. Nodes are created in depth-first
 * order of the container tree and edges only point forward, never from a container into its own
 * subtree, which makes every generated spec valid; the node list is then shuffled.
 */
final class RandomSpecs {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String ID_CHARS =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.:-";

  private final SplittableRandom random;
  private final List<NodeSpec.Builder> nodes = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();
  private final List<List<Integer>> ancestors = new ArrayList<>();
  private final Set<String> used = new HashSet<>();

  private RandomSpecs(long seed) {
    this.random = new SplittableRandom(seed);
  }

  /** A valid spec of 1 to about 60 nodes, the same for the same seed. */
  static DagSpec generate(long seed) {
    return new RandomSpecs(seed).spec();
  }

  private DagSpec spec() {
    DagSpec.Builder dag = DagSpec.builder(id());
    if (random.nextBoolean()) {
      dag.name("Workflow \"" + random.nextInt(1000) + "\" ✓");
    }
    dag.specVersion(1 + random.nextInt(20));
    dag.scope(scope());
    if (random.nextBoolean()) {
      dag.priority(random.nextInt(-5, 6));
    }
    if (random.nextInt(3) == 0) {
      dag.policyName("policy-" + random.nextInt(10));
    }
    if (random.nextInt(3) == 0) {
      dag.metadata(object(2));
    }
    int roots = 1 + random.nextInt(12);
    for (int r = 0; r < roots && nodes.size() < 60; r++) {
      addSubtree(null, List.of(), 0);
    }
    List<NodeSpec.Builder> shuffled = new ArrayList<>(nodes);
    Collections.shuffle(shuffled, new Random(random.nextLong()));
    shuffled.forEach(dag::node);
    DagSpec spec = dag.build();
    if (random.nextInt(4) == 0) {
      List<String> targets = new ArrayList<>();
      for (int t = 1 + random.nextInt(3); t > 0; t--) {
        targets.add(spec.nodes().get(random.nextInt(spec.size())).id());
      }
      spec = spec.toBuilder().targets(targets).build();
    }
    return spec;
  }

  private void addSubtree(String parent, List<Integer> parentAncestors, int depth) {
    boolean container = depth < 4 && random.nextInt(4) == 0;
    String id = id();
    int position = nodes.size();
    NodeSpec.Builder node = container ? NodeSpec.container(id) : NodeSpec.task(id, taskType());
    if (container && random.nextBoolean()) {
      node.taskType(taskType());
    }
    if (parent != null) {
      node.parent(parent);
    }
    nodes.add(node);
    ids.add(id);
    ancestors.add(parentAncestors);
    decorate(node, position, parentAncestors);
    if (container) {
      List<Integer> mine = new ArrayList<>(parentAncestors);
      mine.add(position);
      int children = random.nextInt(5);
      for (int c = 0; c < children && nodes.size() < 60; c++) {
        addSubtree(id, mine, depth + 1);
      }
    }
  }

  private void decorate(NodeSpec.Builder node, int position, List<Integer> myAncestors) {
    int edges = position == 0 ? 0 : random.nextInt(4);
    Set<String> seen = new HashSet<>();
    for (int e = 0; e < edges; e++) {
      int upstream = random.nextInt(position);
      if (myAncestors.contains(upstream)) {
        continue;
      }
      EdgeType type = EdgeType.values()[random.nextInt(EdgeType.values().length)];
      if (!seen.add(type + ids.get(upstream))) {
        continue;
      }
      node.dependsOn(random.nextInt(3) == 0
          ? Edge.of(ids.get(upstream), type, filter("result"))
          : Edge.of(ids.get(upstream), type));
    }
    if (random.nextInt(3) == 0) {
      node.join(Join.ONE);
    }
    if (random.nextBoolean()) {
      node.config(object(3));
    }
    if (random.nextInt(3) == 0) {
      Duration initial = Duration.ofMillis(random.nextInt(10_000));
      node.retry(RetryPolicy.builder()
          .maxAttempts(1 + random.nextInt(5))
          .backoff(Backoff.values()[random.nextInt(3)])
          .initialDelay(initial)
          .multiplier(1 + random.nextInt(30) / 10.0)
          .maxDelay(initial.plusSeconds(random.nextInt(600)))
          .jitter(random.nextInt(11) / 10.0)
          .build());
    }
    if (random.nextInt(3) == 0) {
      node.timeout(Duration.ofMillis(1 + random.nextInt(3_600_000)));
    }
    if (random.nextInt(5) == 0) {
      node.notBefore(Instant.ofEpochSecond(1_700_000_000L + random.nextInt(100_000_000),
          random.nextInt(1_000_000_000)));
    }
    if (random.nextInt(5) == 0) {
      node.delay(Duration.ofSeconds(random.nextInt(86_400)));
    }
    if (random.nextInt(4) == 0) {
      node.activation(filter("params"));
    }
    if (random.nextInt(4) == 0) {
      node.priority(random.nextInt(-100, 101));
    }
  }

  private DagScope scope() {
    return switch (random.nextInt(5)) {
      case 0 -> DagScope.global();
      case 1 -> DagScope.project(id(), true);
      case 2 -> DagScope.project(id(), false);
      case 3 -> DagScope.user(id());
      default -> DagScope.dagType(id());
    };
  }

  private String id() {
    while (true) {
      int length = 1 + random.nextInt(random.nextInt(10) == 0 ? 128 : 12);
      StringBuilder s = new StringBuilder(length);
      for (int i = 0; i < length; i++) {
        s.append(ID_CHARS.charAt(random.nextInt(ID_CHARS.length())));
      }
      if (used.add(s.toString())) {
        return s.toString();
      }
    }
  }

  private String taskType() {
    String[] types = {"subdomain_scan", "dns_resolve", "port_scan", "red agent", "blue/agent", "ç"};
    return types[random.nextInt(types.length)];
  }

  /** A valid filter of 1 to 3 keys under {@code root}, in every value form. */
  private ObjectNode filter(String root) {
    ObjectNode f = JSON.objectNode();
    int keys = 1 + random.nextInt(3);
    for (int i = 0; i < keys; i++) {
      String path = root + ".k" + random.nextInt(10);
      switch (random.nextInt(5)) {
        case 0 -> f.put(path, random.nextInt(100));
        case 1 -> f.set(path, JSON.arrayNode().add("a").add(random.nextInt(5)).add(2.5));
        case 2 -> f.putObject(path).put("$gt", random.nextDouble());
        case 3 -> f.putObject(path).put("$exists", random.nextBoolean());
        default -> f.put(path, random.nextBoolean());
      }
    }
    return f;
  }

  private ObjectNode object(int depth) {
    ObjectNode o = JSON.objectNode();
    int fields = random.nextInt(4);
    for (int i = 0; i < fields; i++) {
      o.set("k" + random.nextInt(20) + (random.nextBoolean() ? ".path" : ""), value(depth));
    }
    return o;
  }

  private JsonNode value(int depth) {
    int kind = random.nextInt(depth > 0 ? 10 : 8);
    return switch (kind) {
      case 0 -> JSON.numberNode(random.nextInt());
      case 1 -> JSON.numberNode(random.nextLong());
      case 2 -> JSON.numberNode(random.nextDouble() * 1e6 - 5e5);
      case 3 -> JSON.textNode("s" + random.nextInt(100) + (random.nextBoolean() ? "\"\n\u00e9" : ""));
      case 4 -> JSON.booleanNode(random.nextBoolean());
      case 5 -> JSON.nullNode();
      case 6 -> JSON.numberNode(1.0);
      case 7 -> JSON.numberNode(new java.math.BigInteger("123456789012345678901234567890"));
      case 8 -> object(depth - 1);
      default -> {
        ArrayNode a = JSON.arrayNode();
        int n = random.nextInt(4);
        for (int i = 0; i < n; i++) {
          a.add(value(depth - 1));
        }
        yield a;
      }
    };
  }
}
