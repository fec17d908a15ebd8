package dev.dagflow.spec.internal;

import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * Finds cycles with Kahn's algorithm (which also yields a topological order), then reports one
 * cycle per strongly connected component of what is left, as a path of node ids.
 *
 * <p>Without containers the graph has one vertex per node. With containers it has two, start
 * {@code i} and end {@code n + i}: {@code start(i) -> end(i)}; for an edge {@code u -> v},
 * {@code end(u) -> start(v)}; for a child {@code c} of {@code p}, {@code start(p) -> start(c)}
 * and {@code end(c) -> end(p)}.
 */
final class CycleFinder {
  /** Longer cycles are shown with their middle left out. */
  private static final int MAX_SHOWN = 40;

  private final List<NodeSpec> nodes;
  private final List<SpecProblem> problems;
  private final int n;
  private final int vertices;
  private final int[] offsets;
  private final int[] targets;
  /** Whether an arc is a container link (child end to container end): said in messages. */
  private final boolean[] containerArc;

  CycleFinder(List<NodeSpec> nodes, int[] parent, boolean hierarchy, int[] edgePairs,
      List<SpecProblem> problems) {
    this.nodes = nodes;
    this.problems = problems;
    this.n = nodes.size();
    this.vertices = hierarchy ? 2 * n : n;
    int edges = edgePairs.length / 2;
    int arcs = edges;
    if (hierarchy) {
      arcs += n;
      for (int i = 0; i < n; i++) {
        if (parent[i] >= 0) {
          arcs += 2;
        }
      }
    }
    int[] from = new int[arcs];
    int[] to = new int[arcs];
    boolean[] link = hierarchy ? new boolean[arcs] : null;
    int a = 0;
    int endOffset = hierarchy ? n : 0;
    for (int e = 0; e < edges; e++) {
      from[a] = edgePairs[2 * e] + endOffset;
      to[a++] = edgePairs[2 * e + 1];
    }
    if (hierarchy) {
      for (int i = 0; i < n; i++) {
        from[a] = i;
        to[a++] = n + i;
        if (parent[i] >= 0) {
          from[a] = parent[i];
          to[a++] = i;
          from[a] = n + i;
          link[a] = true;
          to[a++] = n + parent[i];
        }
      }
    }
    offsets = new int[vertices + 1];
    for (int k = 0; k < arcs; k++) {
      offsets[from[k] + 1]++;
    }
    for (int v = 0; v < vertices; v++) {
      offsets[v + 1] += offsets[v];
    }
    targets = new int[arcs];
    containerArc = hierarchy ? new boolean[arcs] : null;
    int[] fill = Arrays.copyOf(offsets, vertices);
    for (int k = 0; k < arcs; k++) {
      int slot = fill[from[k]]++;
      targets[slot] = to[k];
      if (link != null) {
        containerArc[slot] = link[k];
      }
    }
  }

  void run() {
    int[] indegree = new int[vertices];
    for (int t : targets) {
      indegree[t]++;
    }
    int[] queue = new int[vertices];
    int head = 0;
    int tail = 0;
    for (int v = 0; v < vertices; v++) {
      if (indegree[v] == 0) {
        queue[tail++] = v;
      }
    }
    while (head < tail) {
      int v = queue[head++];
      for (int k = offsets[v], end = offsets[v + 1]; k < end; k++) {
        if (--indegree[targets[k]] == 0) {
          queue[tail++] = targets[k];
        }
      }
    }
    if (tail < vertices) {
      reportCycles(indegree);
    }
  }

  /** Tarjan's algorithm, iterative, over the vertices Kahn's algorithm could not order. */
  private void reportCycles(int[] indegree) {
    int[] order = new int[vertices];
    Arrays.fill(order, -1);
    int[] low = new int[vertices];
    int[] next = new int[vertices];
    boolean[] onStack = new boolean[vertices];
    int[] stack = new int[vertices];
    int[] call = new int[vertices];
    int sp = 0;
    int counter = 0;
    List<int[]> components = new ArrayList<>();
    for (int root = 0; root < vertices; root++) {
      if (indegree[root] == 0 || order[root] >= 0) {
        continue;
      }
      int depth = 0;
      call[0] = root;
      order[root] = low[root] = counter++;
      next[root] = offsets[root];
      stack[sp++] = root;
      onStack[root] = true;
      while (depth >= 0) {
        int v = call[depth];
        if (next[v] < offsets[v + 1]) {
          int w = targets[next[v]++];
          if (indegree[w] == 0) {
            continue;
          }
          if (order[w] < 0) {
            order[w] = low[w] = counter++;
            next[w] = offsets[w];
            stack[sp++] = w;
            onStack[w] = true;
            call[++depth] = w;
          } else if (onStack[w]) {
            low[v] = Math.min(low[v], order[w]);
          }
        } else {
          if (low[v] == order[v]) {
            int size = 0;
            while (stack[sp - 1 - size] != v) {
              size++;
            }
            size++;
            int[] component = Arrays.copyOfRange(stack, sp - size, sp);
            for (int w : component) {
              onStack[w] = false;
            }
            sp -= size;
            if (size > 1) {
              components.add(component);
            }
          }
          depth--;
          if (depth >= 0) {
            int parent = call[depth];
            low[parent] = Math.min(low[parent], low[v]);
          }
        }
      }
    }
    components.sort((x, y) -> Integer.compare(min(x), min(y)));
    for (int[] component : components) {
      reportOne(component);
    }
  }

  private static int min(int[] values) {
    int m = Integer.MAX_VALUE;
    for (int v : values) {
      m = Math.min(m, v);
    }
    return m;
  }

  /** The shortest cycle through the component's first vertex, found breadth-first. */
  private void reportOne(int[] component) {
    int start = min(component);
    boolean[] member = new boolean[vertices];
    for (int v : component) {
      member[v] = true;
    }
    int[] previous = new int[vertices];
    int[] previousArc = new int[vertices];
    Arrays.fill(previous, -2);
    int[] queue = new int[component.length];
    int head = 0;
    int tail = 0;
    queue[tail++] = start;
    previous[start] = -1;
    int last = -1;
    int lastArc = -1;
    search:
    while (head < tail) {
      int v = queue[head++];
      for (int k = offsets[v]; k < offsets[v + 1]; k++) {
        int w = targets[k];
        if (w == start) {
          last = v;
          lastArc = k;
          break search;
        }
        if (member[w] && previous[w] == -2) {
          previous[w] = v;
          previousArc[w] = k;
          queue[tail++] = w;
        }
      }
    }
    List<Integer> path = new ArrayList<>();
    boolean viaContainer = containerArc != null && containerArc[lastArc];
    for (int v = last; v != -1; v = previous[v]) {
      path.add(v);
      if (previous[v] >= 0 && containerArc != null && containerArc[previousArc[v]]) {
        viaContainer = true;
      }
    }
    Collections.reverse(path);
    path.add(start);
    List<String> ids = new ArrayList<>();
    for (int v : path) {
      String id = nodes.get(v % n).id();
      if (ids.isEmpty() || !id.equals(ids.get(ids.size() - 1))) {
        ids.add(id);
      }
    }
    String text = ids.size() <= MAX_SHOWN
        ? String.join(" -> ", ids)
        : String.join(" -> ", ids.subList(0, MAX_SHOWN - 1)) + " -> … ("
            + (ids.size() - MAX_SHOWN) + " more) -> " + ids.get(ids.size() - 1);
    String first = nodes.get(start % n).id();
    problems.add(new SpecProblem(Kind.CYCLE, first, SpecValidator.path(start % n, "dependsOn"),
        "cycle: " + text + (viaContainer ? " (a container ends only after its children)" : "")));
  }
}
