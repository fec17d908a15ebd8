package dev.dagflow.eval.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.internal.SpecGraph;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.Join;
import dev.dagflow.spec.NodeSpec;
import java.util.Arrays;
import java.util.List;

/**
 * A spec compiled for evaluation: flat arrays indexed by node position, shared by every run of
 * the spec. Immutable after construction but for its in-edges, built on first need; thread-safe.
 *
 * <p>Out-edges are kept per upstream in CSR form ({@code outStart[u] .. outStart[u+1]}), so that
 * when a node ends only its own out-edges are visited. An {@link EdgeType#ANY} edge without a
 * condition is satisfied from the start and is not kept at all. Their reverse, {@link InEdges}, is
 * built only when a run first needs it; any of the copies racing threads may build will do.
 */
final class Plan {
  /** The spec's nodes, for ids in messages. Never the spec itself: the cache's key is weak. */
  final List<NodeSpec> nodes;
  final int n;
  final boolean[] container;
  final boolean[] hasTaskType;
  final int[] parent;
  final int[] childStart;
  final int[] children;
  final int[] outStart;
  final int[] outTarget;
  final byte[] outType;
  /** Condition per out-edge; {@code null} when no edge of the spec has one. */
  final Filter[] outCondition;
  /** Per node: edges still to decide at the start (ALL: to satisfy; ONE: undecided). */
  final int[] initialPending;
  /** Per node, join ONE: whether an always-satisfied edge opens it from the start. */
  final boolean[] joinOne;
  final boolean[] openFromStart;
  final Filter[] activation;
  /** Not-before time in epoch millis, or {@link Long#MIN_VALUE}. */
  final long[] notBefore;
  /** Delay after the run's start in millis, or 0. */
  final long[] delay;
  final boolean[] needsResult;
  final boolean hasContainers;
  final boolean hasTimeGates;
  private volatile InEdges inEdges;

  Plan(DagSpec spec) {
    nodes = spec.nodes();
    SpecGraph graph = SpecGraph.of(spec);
    n = nodes.size();
    container = new boolean[n];
    hasTaskType = new boolean[n];
    parent = new int[n];
    joinOne = new boolean[n];
    openFromStart = new boolean[n];
    initialPending = new int[n];
    notBefore = new long[n];
    delay = new long[n];
    needsResult = new boolean[n];
    Filter[] activations = null;
    int[] outCount = new int[n + 1];
    int childTotal = 0;
    int[] childCount = new int[n + 1];
    boolean anyCondition = false;
    int edge = 0;
    for (int v = 0; v < n; v++) {
      NodeSpec node = nodes.get(v);
      container[v] = node.isContainer();
      hasTaskType[v] = node.taskType().isPresent();
      parent[v] = graph.parent(v);
      if (parent[v] >= 0) {
        childCount[parent[v] + 1]++;
        childTotal++;
      }
      joinOne[v] = node.join() == Join.ONE;
      notBefore[v] = node.notBefore().map(t -> t.toEpochMilli()).orElse(Long.MIN_VALUE);
      delay[v] = node.delay().map(d -> d.toMillis()).orElse(0L);
      ObjectNode activationFilter = node.activation().orElse(null); // a copy: take it once
      if (activationFilter != null) {
        if (activations == null) {
          activations = new Filter[n];
        }
        activations[v] = Filter.parse(activationFilter);
      }
      int pending = 0;
      boolean open = node.edges().isEmpty();
      for (Edge e : node.edges()) {
        int u = graph.upstream(edge++);
        if (e.type() == EdgeType.ANY && !e.hasCondition()) {
          open |= joinOne[v];
        } else {
          pending++;
          outCount[u + 1]++;
          anyCondition |= e.hasCondition();
        }
      }
      initialPending[v] = pending;
      // ALL opens when nothing is pending; ONE when an edge is always satisfied or there is none.
      openFromStart[v] = joinOne[v] ? open : pending == 0;
    }
    activation = activations == null ? new Filter[0] : activations;
    boolean timed = false;
    boolean containers = false;
    for (int v = 0; v < n; v++) {
      timed |= notBefore[v] != Long.MIN_VALUE || delay[v] != 0;
      containers |= container[v];
    }
    hasTimeGates = timed;
    hasContainers = containers;
    outStart = outCount;
    for (int u = 0; u < n; u++) {
      outStart[u + 1] += outStart[u];
    }
    outTarget = new int[outStart[n]];
    outType = new byte[outStart[n]];
    outCondition = anyCondition ? new Filter[outStart[n]] : null;
    int[] fill = Arrays.copyOf(outStart, n);
    edge = 0;
    for (int v = 0; v < n; v++) {
      for (Edge e : nodes.get(v).edges()) {
        int u = graph.upstream(edge++);
        if (e.type() == EdgeType.ANY && !e.hasCondition()) {
          continue;
        }
        int slot = fill[u]++;
        outTarget[slot] = v;
        outType[slot] = (byte) e.type().ordinal();
        if (e.hasCondition()) {
          outCondition[slot] = Filter.parse(e.condition().get());
          needsResult[u] = true;
        }
      }
    }
    childStart = childCount;
    for (int p = 0; p < n; p++) {
      childStart[p + 1] += childStart[p];
    }
    children = new int[childTotal];
    int[] childFill = Arrays.copyOf(childStart, n);
    for (int v = 0; v < n; v++) {
      if (parent[v] >= 0) {
        children[childFill[parent[v]]++] = v;
      }
    }
  }

  /** The in-edges, built on first use from {@code spec}, the spec this plan was compiled from. */
  InEdges inEdges(DagSpec spec) {
    InEdges in = inEdges;
    if (in == null) {
      in = new InEdges(spec, this);
      inEdges = in;
    }
    return in;
  }

  /** The time a node may start as the spec says (not-before, the run's start plus delay). */
  long plannedReadyAt(int v, long startMillis) {
    long afterDelay = delay[v] == 0 ? Long.MIN_VALUE
        : delay[v] > Long.MAX_VALUE - startMillis ? Long.MAX_VALUE
        : startMillis + delay[v];
    return Math.max(notBefore[v], afterDelay);
  }

  Filter activation(int v) {
    return activation.length == 0 ? null : activation[v];
  }

  String id(int v) {
    return nodes.get(v).id();
  }

}
