package dev.dagflow.spec.internal;

import dev.dagflow.spec.DagSpec;
import java.util.Objects;
import java.util.function.Function;

/**
 * What validation resolved about a spec, kept so that other parts of dag-core (the dependency
 * evaluator) need not look every id up again: the parent of each node and the upstream of each
 * edge, as positions in {@link DagSpec#nodes()}. Immutable; the arrays must not be changed.
 *
 * <p>Reached through {@link #of(DagSpec)}: {@code DagSpec} registers the accessor when its class
 * is initialised, so the spec's public API does not show this internal type.
 */
public final class SpecGraph {
  private static volatile Function<DagSpec, SpecGraph> access;

  private final int[] parent;
  private final int[] edgeUpstream;

  /**
   * @param parent the parent position of each node (-1 for none), or {@code null} when no node
   *     has a parent
   * @param edgeUpstream the upstream position of every edge, node after node, in edge order
   */
  SpecGraph(int[] parent, int[] edgeUpstream) {
    this.parent = parent;
    this.edgeUpstream = edgeUpstream;
  }

  /** Called once, by {@code DagSpec}'s static initialiser. */
  public static void register(Function<DagSpec, SpecGraph> accessor) {
    if (access != null) {
      throw new IllegalStateException("already registered");
    }
    access = Objects.requireNonNull(accessor);
  }

  /** The graph validation resolved for {@code spec}. */
  public static SpecGraph of(DagSpec spec) {
    return access.apply(Objects.requireNonNull(spec, "spec"));
  }

  /** The parent position of node {@code v}, or -1. */
  public int parent(int v) {
    return parent == null ? -1 : parent[v];
  }

  /** The upstream position of edge {@code k}, counting every node's edges in order. */
  public int upstream(int k) {
    return edgeUpstream[k];
  }
}
