package dev.dagflow.internal;

import java.util.BitSet;
import java.util.Objects;
import java.util.function.Function;

/**
 * What validation resolved about a spec, kept so that other parts of dag-core (the dependency
 * evaluator, run views) need not look every id up again: the parent of each node and the upstream
 * of each edge, as positions in {@code DagSpec.nodes()}. Immutable; the arrays must not be
 * changed.
 *
 * <p>Reached through {@link #of(Object)}: {@code DagSpec} registers the accessor when its class
 * is initialised, so the spec's public API does not show this internal type. It names no spec
 * type, so that this shared package depends on no idea that depends on it.
 */
public final class SpecGraph {
  private static final BitSet EMPTY = new BitSet(0);
  private static volatile Function<Object, SpecGraph> access;

  private final int[] parent;
  private final int[] edgeUpstream;
  private final BitSet notNeeded;
  private final String targetReason;

  /**
   * @param parent the parent position of each node (-1 for none), or {@code null} when no node
   *     has a parent
   * @param edgeUpstream the upstream position of every edge, node after node, in edge order
   */
  public SpecGraph(int[] parent, int[] edgeUpstream) {
    this(parent, edgeUpstream, null, null);
  }

  private SpecGraph(int[] parent, int[] edgeUpstream, BitSet notNeeded, String targetReason) {
    this.parent = parent;
    this.edgeUpstream = edgeUpstream;
    this.notNeeded = notNeeded;
    this.targetReason = targetReason;
  }

  /**
   * This graph, for a spec with targets: {@code notNeeded} holds the positions of the nodes
   * they do not need (never changed after), skipped with {@code reason}.
   */
  public SpecGraph withTargets(BitSet notNeeded, String reason) {
    return new SpecGraph(parent, edgeUpstream, Objects.requireNonNull(notNeeded, "notNeeded"),
        Objects.requireNonNull(reason, "reason"));
  }

  /** Called once, by {@code DagSpec}'s static initialiser, with {@code DagSpec.class}. */
  public static <S> void register(Class<S> type, Function<S, SpecGraph> accessor) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(accessor, "accessor");
    if (access != null) {
      throw new IllegalStateException("already registered");
    }
    access = spec -> accessor.apply(type.cast(spec));
  }

  /**
   * The graph validation resolved for {@code spec}, a {@code DagSpec} (whose class, being
   * initialised, has registered the accessor).
   */
  public static SpecGraph of(Object spec) {
    return access.apply(Objects.requireNonNull(spec, "spec"));
  }

  /** The parent position of node {@code v}, or -1. */
  public int parent(int v) {
    return parent == null ? -1 : parent[v];
  }

  /** Whether the spec has targets and they do not need node {@code v}: it never runs. */
  public boolean notNeeded(int v) {
    return notNeeded != null && notNeeded.get(v);
  }

  /** The positions the targets do not need; empty without targets. Must not be changed. */
  public BitSet notNeeded() {
    return notNeeded == null ? EMPTY : notNeeded;
  }

  /** The reason a node the targets do not need is skipped with; null without targets. */
  public String targetReason() {
    return targetReason;
  }

  /** The upstream position of edge {@code k}, counting every node's edges in order. */
  public int upstream(int k) {
    return edgeUpstream[k];
  }
}
