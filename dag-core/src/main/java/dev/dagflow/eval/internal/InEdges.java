package dev.dagflow.eval.internal;

import dev.dagflow.internal.SpecGraph;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import java.util.Arrays;

/**
 * The reverse of a {@link Plan}'s out-edges, for re-deriving a node's gates from scratch (a
 * manual retry, a restore). Built from the plan the first time a run needs it, so that runs which
 * never retry or restore pay nothing. Immutable.
 *
 * <p>{@code inSlot[inStart[v] .. inStart[v+1]]} are the plan's out-edge slots that lead into
 * {@code v} (type and condition are read from the plan by slot), {@code inSource} their
 * upstreams. {@link EdgeType#ANY} edges without a condition, which the plan does not keep because
 * they are always satisfied, are kept here by upstream ({@code freeTarget[freeStart[u] ..
 * freeStart[u+1]]}) only so that a retry can follow them downstream.
 */
final class InEdges {
  final int[] inStart;
  final int[] inSlot;
  final int[] inSource;
  final int[] freeStart;
  final int[] freeTarget;

  InEdges(DagSpec spec, Plan plan) {
    int n = plan.n;
    int edges = plan.outStart[n];
    inStart = new int[n + 1];
    for (int k = 0; k < edges; k++) {
      inStart[plan.outTarget[k] + 1]++;
    }
    for (int v = 0; v < n; v++) {
      inStart[v + 1] += inStart[v];
    }
    inSlot = new int[edges];
    inSource = new int[edges];
    int[] fill = Arrays.copyOf(inStart, n);
    for (int u = 0; u < n; u++) {
      for (int k = plan.outStart[u], end = plan.outStart[u + 1]; k < end; k++) {
        int j = fill[plan.outTarget[k]]++;
        inSlot[j] = k;
        inSource[j] = u;
      }
    }

    SpecGraph graph = SpecGraph.of(spec);
    freeStart = new int[n + 1];
    int free = 0;
    int edge = 0;
    for (int v = 0; v < n; v++) {
      for (Edge e : plan.nodes.get(v).edges()) {
        int u = graph.upstream(edge++);
        if (isFree(e)) {
          freeStart[u + 1]++;
          free++;
        }
      }
    }
    for (int u = 0; u < n; u++) {
      freeStart[u + 1] += freeStart[u];
    }
    freeTarget = new int[free];
    int[] freeFill = Arrays.copyOf(freeStart, n);
    edge = 0;
    for (int v = 0; v < n; v++) {
      for (Edge e : plan.nodes.get(v).edges()) {
        int u = graph.upstream(edge++);
        if (isFree(e)) {
          freeTarget[freeFill[u]++] = v;
        }
      }
    }
  }

  private static boolean isFree(Edge e) {
    return e.type() == EdgeType.ANY && !e.hasCondition();
  }
}
