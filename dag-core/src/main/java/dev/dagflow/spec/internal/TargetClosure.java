package dev.dagflow.spec.internal;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.NodeSpec;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the targets of a spec ({@link DagSpec#targets()}) need: the target itself, as a unit;
 * a unit's upstream nodes through any edge type, as units; a unit container's children, as
 * units; and the containers enclosing a needed node, which are needed to start it (with their
 * upstreams, as units) but do not make their other children needed. In O(N + E), without
 * recursion. {@code DagSpec} computes it once, when it is built, and keeps it in its {@link
 * dev.dagflow.internal.SpecGraph}, where the evaluator and the engine read it.
 */
public final class TargetClosure {
  private static final int SHOWN_TARGETS = 5;

  private TargetClosure() {}

  /** The positions of the nodes the targets do not need; empty if the spec has no targets. */
  public static BitSet notNeeded(DagSpec spec) {
    BitSet skip = new BitSet(0);
    if (spec.targets().isEmpty()) {
      return skip;
    }
    int n = spec.size();
    List<NodeSpec> nodes = spec.nodes();
    int[] parent = new int[n];
    int[] childCount = new int[n + 1];
    for (int v = 0; v < n; v++) {
      parent[v] = nodes.get(v).parent().map(spec::indexOf).orElse(-1);
      if (parent[v] >= 0) {
        childCount[parent[v] + 1]++;
      }
    }
    for (int v = 0; v < n; v++) {
      childCount[v + 1] += childCount[v]; // now the start of each node's children
    }
    int[] children = new int[childCount[n]];
    int[] fill = Arrays.copyOf(childCount, n);
    for (int v = 0; v < n; v++) {
      if (parent[v] >= 0) {
        children[fill[parent[v]]++] = v;
      }
    }
    boolean[] unit = new boolean[n];
    boolean[] needed = new boolean[n];
    int[] stack = new int[n];
    int top = 0;
    for (String target : spec.targets()) {
      top = mark(spec.indexOf(target), unit, needed, stack, top);
    }
    while (top > 0) {
      int v = stack[--top];
      top = markUpstream(spec, nodes.get(v), unit, needed, stack, top);
      for (int k = childCount[v]; k < childCount[v + 1]; k++) {
        top = mark(children[k], unit, needed, stack, top);
      }
      for (int p = parent[v]; p >= 0 && !needed[p]; p = parent[p]) {
        needed[p] = true; // enclosing: started, its other children not needed
        top = markUpstream(spec, nodes.get(p), unit, needed, stack, top);
      }
    }
    for (int v = 0; v < n; v++) {
      if (!needed[v]) {
        skip.set(v);
      }
    }
    return skip;
  }

  /** The reason a node the targets do not need is skipped with: {@code not needed for …}. */
  public static String reason(List<String> targets) {
    String shown = targets.stream().limit(SHOWN_TARGETS).map(t -> "'" + t + "'")
        .collect(Collectors.joining(", "));
    String more = targets.size() > SHOWN_TARGETS
        ? " and " + (targets.size() - SHOWN_TARGETS) + " more" : "";
    return "not needed for target" + (targets.size() == 1 ? " " : "s ") + shown + more;
  }

  private static int markUpstream(DagSpec spec, NodeSpec node, boolean[] unit,
      boolean[] needed, int[] stack, int top) {
    for (Edge e : node.edges()) {
      top = mark(spec.indexOf(e.upstream()), unit, needed, stack, top);
    }
    return top;
  }

  /** Marks {@code v} needed as a unit and pushes it, once. */
  private static int mark(int v, boolean[] unit, boolean[] needed, int[] stack, int top) {
    if (unit[v]) {
      return top;
    }
    unit[v] = true;
    needed[v] = true;
    stack[top] = v;
    return top + 1;
  }
}
