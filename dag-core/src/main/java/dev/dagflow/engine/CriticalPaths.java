package dev.dagflow.engine;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.store.AttemptRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the critical path of a run view as {@link CriticalPath} defines it, in O(N + E) (and a
 * sort of the path). Not thread-safe: one per computation.
 */
final class CriticalPaths {
  private final RunView view;
  private final DagSpec spec;
  private final int n;
  /** When each node's gates opened, null if it never started. */
  private final Instant[] start;
  private final Instant[] end;
  /** Whether each node has not ended: its end is the time the path is drawn for. */
  private final boolean[] running;
  private final int[] parent;
  private final int[] depth;
  private final List<List<Integer>> children = new ArrayList<>();
  /** Per node, the nodes its end releases through an edge that is not ANY. */
  private final List<List<Integer>> dependents = new ArrayList<>();
  private Instant runEnd;
  /** Per node on the path, what released it (an upstream or its container); -1 for none. */
  private int[] after;

  private CriticalPaths(RunView view, Instant now) {
    this.view = view;
    this.spec = view.spec();
    this.n = spec.size();
    start = new Instant[n];
    end = new Instant[n];
    running = new boolean[n];
    parent = new int[n];
    depth = new int[n];
    for (int v = 0; v < n; v++) {
      children.add(new ArrayList<>(0));
      dependents.add(new ArrayList<>(0));
    }
    runEnd = view.state().isTerminal() ? view.endedAt().orElse(now) : now;
    for (int v = 0; v < n; v++) {
      NodeSpec node = spec.nodes().get(v);
      parent[v] = node.parent().map(spec::indexOf).orElse(-1);
      if (parent[v] >= 0) {
        children.get(parent[v]).add(v);
      }
      for (Edge e : node.edges()) {
        if (e.type() != EdgeType.ANY) {
          dependents.get(spec.indexOf(e.upstream())).add(v);
        }
      }
      times(v, view.nodes().get(v), now);
    }
    for (int v = 0; v < n; v++) {
      int d = 0;
      for (int p = parent[v]; p >= 0; p = parent[p]) {
        d++;
      }
      depth[v] = d;
    }
  }

  /** The critical path of {@code view}, nodes not ended counting up to {@code now}. */
  static CriticalPath of(RunView view, Instant now) {
    return new CriticalPaths(view, now).compute();
  }

  private void times(int v, NodeView node, Instant now) {
    List<AttemptRecord> attempts = node.attempts();
    Instant s;
    if (!attempts.isEmpty()) {
      AttemptRecord first = attempts.get(0);
      s = first.readyAt().orElse(first.startedAt());
    } else if (node.startedAt().isPresent()) {
      s = node.startedAt().get(); // a container without a set-up: RUNNING as it was READY
    } else {
      return; // never started
    }
    running[v] = !node.state().isTerminal() || node.endedAt().isEmpty();
    Instant e = running[v] ? now : node.endedAt().get();
    if (e.isBefore(s)) {
      e = s; // a time source behind the store's times: never a negative duration
    }
    start[v] = s;
    end[v] = e;
    if (e.isAfter(runEnd)) {
      runEnd = e;
    }
  }

  private CriticalPath compute() {
    Duration[] slack = slack();
    Map<String, Duration> slackById = new LinkedHashMap<>();
    for (int v = 0; v < n; v++) {
      if (start[v] != null) {
        slackById.put(spec.nodes().get(v).id(), slack[v]);
      }
    }
    List<Integer> path = walk();
    if (path.isEmpty()) {
      return new CriticalPath(List.of(), Duration.ZERO, slackById);
    }
    path.sort(Comparator.<Integer, Instant>comparing(v -> start[v])
        .thenComparingInt(v -> depth[v]).thenComparingInt(v -> v));
    List<CriticalPath.Step> steps = new ArrayList<>(path.size());
    Instant first = null;
    Instant last = null;
    for (int v : path) {
      steps.add(new CriticalPath.Step(spec.nodes().get(v).id(), start[v], end[v], slack[v],
          after[v] < 0 ? Optional.empty() : Optional.of(spec.nodes().get(after[v]).id())));
      first = first == null || start[v].isBefore(first) ? start[v] : first;
      last = last == null || end[v].isAfter(last) ? end[v] : last;
    }
    return new CriticalPath(steps, Duration.between(first, last), slackById);
  }

  /** The nodes on the path, in no order; {@link #after} says what released each. */
  private List<Integer> walk() {
    after = new int[n];
    Arrays.fill(after, -1);
    boolean[] onPath = new boolean[n];
    boolean[] startWalked = new boolean[n];
    List<Integer> path = new ArrayList<>();
    int v = latestEnding(topLevel(), onPath);
    while (v >= 0) {
      // at v's end: a container ended with its last child, so the path goes on inside it
      onPath[v] = true;
      path.add(v);
      for (int c = latestEnding(children.get(v), onPath); c >= 0;
          c = latestEnding(children.get(v), onPath)) {
        v = c;
        onPath[v] = true;
        path.add(v);
      }
      // at v's start: back to what released it
      int next = -1;
      while (next < 0 && !startWalked[v]) {
        startWalked[v] = true;
        int up = -1;
        for (Edge e : spec.nodes().get(v).edges()) {
          int u = spec.indexOf(e.upstream());
          if (e.type() != EdgeType.ANY && start[u] != null && !onPath[u]
              && !end[u].isAfter(start[v]) && (up < 0 || end[u].isAfter(end[up]))) {
            up = u;
          }
        }
        int p = parent[v];
        if (p >= 0 && start[p] != null
            && (up < 0 || release(p, start[v]).isAfter(end[up]))) {
          after[v] = p;
          if (!onPath[p]) {
            onPath[p] = true;
            path.add(p);
          }
          v = p; // on from the container's start
        } else if (up >= 0) {
          after[v] = up;
          next = up;
        } else {
          break; // released by the run's start
        }
      }
      v = next;
    }
    return path;
  }

  /** When container {@code p} let its children start, as seen by a child started at {@code t}. */
  private Instant release(int p, Instant t) {
    Instant released = start[p];
    for (AttemptRecord a : view.nodes().get(p).attempts()) {
      Instant e = a.endedAt().orElse(null); // the end of its set-up
      if (e != null && !e.isAfter(t) && e.isAfter(released)) {
        released = e;
      }
    }
    return released;
  }

  private List<Integer> topLevel() {
    List<Integer> top = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      if (parent[v] < 0) {
        top.add(v);
      }
    }
    return top;
  }

  /**
   * Of {@code among}, the started node not yet on the path that ended last, one not ended first
   * on a tie (the run waits for it still); -1 if none.
   */
  private int latestEnding(List<Integer> among, boolean[] onPath) {
    int best = -1;
    for (int v : among) {
      if (start[v] != null && !onPath[v] && (best < 0 || end[v].isAfter(end[best])
          || end[v].equals(end[best]) && running[v] && !running[best])) {
        best = v;
      }
    }
    return best;
  }

  /**
   * Each started node's latest finish minus its end: a depth-first pass over "must end before"
   * (its container's latest finish, and each released node's latest start), without recursion.
   */
  private Duration[] slack() {
    Instant[] latest = new Instant[n];
    byte[] mark = new byte[n]; // 0 unseen, 1 in progress, 2 done
    Deque<Integer> stack = new ArrayDeque<>();
    for (int root = 0; root < n; root++) {
      if (start[root] == null || mark[root] != 0) {
        continue;
      }
      stack.push(root);
      while (!stack.isEmpty()) {
        int v = stack.peek();
        if (mark[v] == 2) {
          stack.pop();
        } else if (mark[v] == 0) {
          mark[v] = 1;
          if (parent[v] >= 0 && mark[parent[v]] == 0 && start[parent[v]] != null) {
            stack.push(parent[v]);
          }
          for (int s : dependents.get(v)) {
            if (mark[s] == 0 && releasedBy(s, v)) {
              stack.push(s);
            }
          }
        } else {
          Instant lf = runEnd;
          int p = parent[v];
          if (p >= 0 && mark[p] == 2 && latest[p].isBefore(lf)) {
            lf = latest[p];
          }
          for (int s : dependents.get(v)) {
            if (mark[s] == 2 && releasedBy(s, v)) {
              Instant ls = latest[s].minus(Duration.between(start[s], end[s]));
              if (ls.isBefore(lf)) {
                lf = ls;
              }
            }
          }
          latest[v] = lf;
          mark[v] = 2;
          stack.pop();
        }
      }
    }
    Duration[] slack = new Duration[n];
    for (int v = 0; v < n; v++) {
      if (start[v] != null) {
        Duration d = Duration.between(end[v], latest[v]);
        slack[v] = d.isNegative() ? Duration.ZERO : d;
      }
    }
    return slack;
  }

  /** Whether {@code s} started after {@code v} ended, so that {@code v}'s end may have held it. */
  private boolean releasedBy(int s, int v) {
    return start[s] != null && !start[s].isBefore(end[v]);
  }
}
