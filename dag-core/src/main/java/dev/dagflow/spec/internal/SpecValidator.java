package dev.dagflow.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.filter.FilterException;
import dev.dagflow.internal.FilterDocument;
import dev.dagflow.internal.Ids;
import dev.dagflow.internal.SpecGraph;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.NodeKind;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a whole DAG and collects every problem found. Runs in O(N + E) time over flat int
 * arrays, without recursion, so a million-node chain is as safe as a wide graph.
 *
 * <p>Cycles are looked for in the graph of start and end events: a node starts after each
 * upstream ends, a child starts after its container starts, and a container ends after each child
 * ends. A cycle there is a run that could never finish, whether it is made of edges alone or
 * passes through container membership. Edges between a node and its own ancestor container are
 * reported on their own and left out of that graph.
 */
public final class SpecValidator {
  /** The longest timeout, delay or retry wait accepted: 100 years, far from any overflow. */
  public static final Duration MAX_DURATION = Duration.ofDays(36_500);

  /** The latest not-before time accepted. */
  public static final Instant MAX_INSTANT = Instant.parse("9999-12-31T23:59:59.999Z");

  /** The default limit on the number of nodes in one DAG. */
  public static final int DEFAULT_MAX_NODES = 1_000_000;

  private final List<NodeSpec> nodes;
  private final BitSet unchecked;
  private final List<SpecProblem> problems;
  private final int n;
  private IdIndex index;
  private int[] parent;
  private boolean hasHierarchy;
  private int[] pre;
  private int[] post;

  private SpecValidator(List<NodeSpec> nodes, BitSet unchecked, List<SpecProblem> problems) {
    this.nodes = nodes;
    this.unchecked = unchecked;
    this.problems = problems;
    this.n = nodes.size();
  }

  /**
   * Checks the nodes of a DAG and adds every problem found to {@code problems}.
   *
   * @param unchecked positions of the nodes whose own values ({@link #checkNode}) are still to
   *     be checked; the others were checked when they were built, and are not checked twice
   * @return the index from node id to position (first occurrence of a duplicate id wins) and
   *     the resolved graph; meaningful only when no problem was added
   */
  public static Result validate(List<NodeSpec> nodes, BitSet unchecked, int maxNodes,
      List<SpecProblem> problems) {
    SpecValidator v = new SpecValidator(nodes, unchecked, problems);
    if (nodes.isEmpty()) {
      problems.add(new SpecProblem(Kind.EMPTY_DAG, null, "nodes", "the DAG has no node"));
      return new Result(new IdIndex(0), null);
    }
    if (nodes.size() > maxNodes) {
      problems.add(new SpecProblem(Kind.TOO_MANY_NODES, null, "nodes",
          nodes.size() + " nodes exceed the limit of " + maxNodes));
      return new Result(new IdIndex(0), null);
    }
    v.indexNodes();
    v.resolveParents();
    v.breakContainerCycles();
    v.numberHierarchy();
    int[] pairs = v.resolveEdges();
    v.checkAcyclic(pairs);
    int[] upstream = new int[pairs.length / 2];
    for (int k = 0; k < upstream.length; k++) {
      upstream[k] = pairs[2 * k];
    }
    return new Result(v.index, new SpecGraph(v.hasHierarchy ? v.parent : null, upstream));
  }

  /** What validation leaves behind for a valid spec. */
  public record Result(IdIndex index, SpecGraph graph) {}

  /**
   * The checks that concern one node alone: id, task type, timeout and delay.
   *
   * @param position the node's position in its DAG, or -1 when it stands alone
   */
  public static void checkNode(NodeSpec node, int position, List<SpecProblem> problems) {
    String id = node.id();
    if (!Ids.isValid(id)) {
      problems.add(new SpecProblem(Kind.INVALID_ID, id, path(position, "id"),
          "id '" + id + "' does not match " + Ids.PATTERN));
    }
    if (node.kind() == NodeKind.TASK && node.taskType().isEmpty()) {
      problems.add(new SpecProblem(Kind.MISSING_TASK_TYPE, id, path(position, "taskType"),
          "a task node needs a task type"));
    }
    if (node.taskType().isPresent() && node.taskType().get().isBlank()) {
      problems.add(new SpecProblem(Kind.INVALID_VALUE, id, path(position, "taskType"),
          "task type must not be blank"));
    }
    Duration timeout = node.timeout().orElse(null);
    if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
      problems.add(new SpecProblem(Kind.INVALID_TIMEOUT, id, path(position, "timeout"),
          "timeout must be positive, was " + timeout));
    } else if (timeout != null && timeout.compareTo(MAX_DURATION) > 0) {
      problems.add(new SpecProblem(Kind.INVALID_TIMEOUT, id, path(position, "timeout"),
          "timeout must be at most 100 years (" + MAX_DURATION + "), was " + timeout));
    }
    Instant notBefore = node.notBefore().orElse(null);
    if (notBefore != null && notBefore.isAfter(MAX_INSTANT)) {
      problems.add(new SpecProblem(Kind.INVALID_NOT_BEFORE, id, path(position, "notBefore"),
          "not-before time must be before the year 10000, was " + notBefore));
    }
    node.activation().ifPresent(a -> checkFilter(a, FilterDocument.ACTIVATION, id,
        path(position, "activation"), problems));
    List<Edge> edges = node.edges();
    for (int e = 0; e < edges.size(); e++) {
      if (edges.get(e).hasCondition()) {
        checkFilter(edges.get(e).condition().get(), FilterDocument.EDGE_CONDITION, id,
            path(position, "dependsOn[" + e + "].condition"), problems);
      }
    }
    Duration delay = node.delay().orElse(null);
    if (delay != null && delay.isNegative()) {
      problems.add(new SpecProblem(Kind.INVALID_DELAY, id, path(position, "delay"),
          "delay must not be negative, was " + delay));
    } else if (delay != null && delay.compareTo(MAX_DURATION) > 0) {
      problems.add(new SpecProblem(Kind.INVALID_DELAY, id, path(position, "delay"),
          "delay must be at most 100 years (" + MAX_DURATION + "), was " + delay));
    }
  }

  /** A filter that does not parse, or one problem per path that starts outside its document. */
  private static void checkFilter(JsonNode filter, FilterDocument document, String nodeId,
      String path, List<SpecProblem> problems) {
    Filter parsed;
    try {
      parsed = Filter.parse(filter);
    } catch (FilterException e) {
      String at = e.path().isEmpty() ? path : path + "." + e.path();
      problems.add(new SpecProblem(Kind.INVALID_FILTER, nodeId, at, e.problem()));
      return;
    }
    for (String outside : document.outside(parsed.paths())) {
      problems.add(new SpecProblem(Kind.INVALID_FILTER, nodeId, path, document.problem(outside)));
    }
  }

  /** {@code nodes[3].timeout}, or {@code timeout} for a node outside a DAG. */
  public static String path(int position, String field) {
    if (position < 0) {
      return field;
    }
    return field.isEmpty() ? "nodes[" + position + "]" : "nodes[" + position + "]." + field;
  }

  private void indexNodes() {
    index = new IdIndex(n);
    for (int i = 0; i < n; i++) {
      NodeSpec node = nodes.get(i);
      if (unchecked.get(i)) {
        checkNode(node, i, problems);
      }
      int first = index.putIfAbsent(node.id(), i);
      if (first >= 0) {
        problems.add(new SpecProblem(Kind.DUPLICATE_NODE, node.id(), path(i, "id"),
            "duplicate node id '" + node.id() + "', first used at " + path(first, "")));
      }
    }
  }

  private void resolveParents() {
    parent = new int[n];
    for (int i = 0; i < n; i++) {
      NodeSpec node = nodes.get(i);
      parent[i] = -1;
      if (node.parent().isEmpty()) {
        continue;
      }
      String p = node.parent().get();
      int pi = index.get(p);
      if (pi < 0) {
        problems.add(new SpecProblem(Kind.UNKNOWN_PARENT, node.id(), path(i, "parent"),
            "parent '" + p + "' is not a node of this DAG"));
      } else if (!nodes.get(pi).isContainer()) {
        problems.add(new SpecProblem(Kind.PARENT_NOT_CONTAINER, node.id(), path(i, "parent"),
            "parent '" + p + "' is a task, not a container"));
      } else {
        parent[i] = pi;
        hasHierarchy = true;
      }
    }
  }

  /** Finds chains of parents that loop, reports each loop once and cuts it. */
  private void breakContainerCycles() {
    if (!hasHierarchy) {
      return;
    }
    byte[] state = new byte[n]; // 0 unseen, 1 on the current chain, 2 done
    int[] chain = new int[16];
    for (int start = 0; start < n; start++) {
      int len = 0;
      int v = start;
      while (v >= 0 && state[v] == 0) {
        state[v] = 1;
        if (len == chain.length) {
          chain = Arrays.copyOf(chain, len * 2);
        }
        chain[len++] = v;
        v = parent[v];
      }
      if (v >= 0 && state[v] == 1) {
        int from = len - 1;
        while (chain[from] != v) {
          from--;
        }
        StringBuilder loop = new StringBuilder();
        for (int k = from; k < len; k++) {
          loop.append(nodes.get(chain[k]).id()).append(" -> ");
        }
        loop.append(nodes.get(v).id());
        for (int k = from; k < len; k++) {
          parent[chain[k]] = -1;
        }
        String id = nodes.get(v).id();
        problems.add(new SpecProblem(Kind.CONTAINER_CYCLE, id, path(index.get(id), "parent"),
            "containers contain each other: " + loop + " (each inside the next)"));
      }
      for (int k = 0; k < len; k++) {
        state[chain[k]] = 2;
      }
    }
  }

  /** Numbers the containment forest in pre- and post-order, for O(1) ancestor tests. */
  private void numberHierarchy() {
    if (!hasHierarchy) {
      return;
    }
    int[] childStart = new int[n + 1];
    for (int i = 0; i < n; i++) {
      if (parent[i] >= 0) {
        childStart[parent[i] + 1]++;
      }
    }
    for (int i = 0; i < n; i++) {
      childStart[i + 1] += childStart[i];
    }
    int[] children = new int[childStart[n]];
    int[] fill = Arrays.copyOf(childStart, n);
    for (int i = 0; i < n; i++) {
      if (parent[i] >= 0) {
        children[fill[parent[i]]++] = i;
      }
    }
    pre = new int[n];
    post = new int[n];
    int[] stack = new int[n];
    int[] next = new int[n];
    int clock = 0;
    for (int root = 0; root < n; root++) {
      if (parent[root] >= 0) {
        continue;
      }
      int top = 0;
      stack[0] = root;
      next[root] = childStart[root];
      pre[root] = clock++;
      while (top >= 0) {
        int v = stack[top];
        if (next[v] < childStart[v + 1]) {
          int c = children[next[v]++];
          stack[++top] = c;
          next[c] = childStart[c];
          pre[c] = clock++;
        } else {
          post[v] = clock++;
          top--;
        }
      }
    }
  }

  private boolean isAncestor(int a, int b) {
    return pre[a] < pre[b] && post[b] < post[a];
  }

  /**
   * Resolves every edge, reporting unknown, self, duplicate and in-hierarchy edges.
   *
   * @return the valid edges as pairs {@code [up0, down0, up1, down1, …]}
   */
  private int[] resolveEdges() {
    int total = 0;
    for (int i = 0; i < n; i++) {
      total += nodes.get(i).edges().size();
    }
    int[] pairs = new int[total * 2];
    int count = 0;
    for (int i = 0; i < n; i++) {
      NodeSpec node = nodes.get(i);
      List<Edge> edges = node.edges();
      Set<String> seen = edges.size() > 8 ? new HashSet<>() : null;
      for (int e = 0; e < edges.size(); e++) {
        Edge edge = edges.get(e);
        int u = index.get(edge.upstream());
        if (u >= 0 && u != i && !isDuplicate(edges, e, seen)
            && !(hasHierarchy && (isAncestor(u, i) || isAncestor(i, u)))) {
          pairs[count++] = u;
          pairs[count++] = i;
          continue;
        }
        String where = path(i, "dependsOn[" + e + "]");
        if (u < 0) {
          problems.add(new SpecProblem(Kind.UNKNOWN_UPSTREAM, node.id(), where,
              "depends on unknown node '" + edge.upstream() + "'"));
        } else if (u == i) {
          problems.add(new SpecProblem(Kind.SELF_EDGE, node.id(), where,
              "depends on itself"));
        } else if (isDuplicate(edges, e, null)) {
          problems.add(new SpecProblem(Kind.DUPLICATE_EDGE, node.id(), where,
              "depends on '" + edge.upstream() + "' with type " + edge.type() + " twice"));
        } else {
          String relation = isAncestor(u, i) ? "its own container" : "a node inside it";
          problems.add(new SpecProblem(Kind.EDGE_WITHIN_HIERARCHY, node.id(), where,
              "depends on '" + edge.upstream() + "', " + relation
                  + ": a container only ends after its children, so this edge could never be "
                  + "satisfied"));
        }
      }
    }
    return count == pairs.length ? pairs : Arrays.copyOf(pairs, count);
  }

  /** Whether an earlier edge of the node has the same upstream and type (conditions aside). */
  private static boolean isDuplicate(List<Edge> edges, int e, Set<String> seen) {
    Edge edge = edges.get(e);
    if (seen != null) {
      return !seen.add(edge.type().ordinal() + ":" + edge.upstream());
    }
    for (int k = 0; k < e; k++) {
      Edge other = edges.get(k);
      if (other.type() == edge.type() && other.upstream().equals(edge.upstream())) {
        return true;
      }
    }
    return false;
  }

  private void checkAcyclic(int[] edgePairs) {
    new CycleFinder(nodes, parent, hasHierarchy, edgePairs, problems).run();
  }
}
