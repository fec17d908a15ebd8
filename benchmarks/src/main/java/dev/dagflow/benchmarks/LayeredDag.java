package dev.dagflow.benchmarks;

import dev.dagflow.spec.NodeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A layered DAG used as a workload by several benchmarks: {@code size} nodes with ids
 * {@code n0 … n<size-1>}, laid out in layers of {@code width} consecutive nodes (the last layer
 * may be shorter). Every node outside layer 0 depends on two distinct nodes of the previous layer,
 * drawn from one {@link SplittableRandom} with a fixed seed, so the same arguments always give the
 * same graph.
 *
 * <p>Edges are kept as {@code (parent, child)} index pairs, in child order, the two parents of a
 * child next to each other. Immutable and thread-safe; accessors hand out copies, so read them
 * once in a benchmark's setup, never in the measured method.
 */
public final class LayeredDag {
  /** The width the benchmarks use unless they say otherwise. */
  public static final int DEFAULT_WIDTH = 1_000;

  /** The seed the benchmarks use unless they say otherwise. */
  public static final long DEFAULT_SEED = 42L;

  private final int width;
  private final List<String> ids;
  private final int[] edgePairs;

  private LayeredDag(int width, List<String> ids, int[] edgePairs) {
    this.width = width;
    this.ids = ids;
    this.edgePairs = edgePairs;
  }

  /** The graph of {@code size} nodes with {@link #DEFAULT_WIDTH} and {@link #DEFAULT_SEED}. */
  public static LayeredDag of(int size) {
    return of(size, DEFAULT_WIDTH, DEFAULT_SEED);
  }

  /**
   * The graph of {@code size} nodes in layers of {@code width}, parents drawn with {@code seed}.
   *
   * @throws IllegalArgumentException if {@code size < 1} or {@code width < 2} (two distinct
   *     parents need a previous layer of at least two nodes)
   */
  public static LayeredDag of(int size, int width, long seed) {
    if (size < 1) {
      throw new IllegalArgumentException("size must be >= 1, was " + size);
    }
    if (width < 2) {
      throw new IllegalArgumentException("width must be >= 2, was " + width);
    }
    String[] ids = new String[size];
    for (int i = 0; i < size; i++) {
      ids[i] = "n" + i;
    }
    int[] pairs = new int[4 * Math.max(0, size - width)];
    SplittableRandom random = new SplittableRandom(seed);
    int k = 0;
    for (int child = width; child < size; child++) {
      int previousLayerStart = (child / width - 1) * width;
      int a = random.nextInt(width);
      int b = random.nextInt(width - 1);
      if (b >= a) {
        b++; // skip a, so the two parents differ and every other node is equally likely
      }
      pairs[k++] = previousLayerStart + a;
      pairs[k++] = child;
      pairs[k++] = previousLayerStart + b;
      pairs[k++] = child;
    }
    return new LayeredDag(width, Collections.unmodifiableList(Arrays.asList(ids)), pairs);
  }

  /** The number of nodes. */
  public int size() {
    return ids.size();
  }

  /** The number of nodes per layer (the last layer may hold fewer). */
  public int width() {
    return width;
  }

  /** The layer of node {@code index}, 0 for the roots. */
  public int layerOf(int index) {
    return index / width;
  }

  /** The node ids, {@code n0 … n<size-1>}, by index; unmodifiable. */
  public List<String> ids() {
    return ids;
  }

  /** The number of edges: two per node outside layer 0. */
  public int edgeCount() {
    return edgePairs.length / 2;
  }

  /**
   * The edges as index pairs {@code [parent0, child0, parent1, child1, …]}, in child order; a
   * fresh copy on every call.
   */
  public int[] edgePairs() {
    return edgePairs.clone();
  }

  /**
   * The graph as dagflow nodes, each {@code NodeSpec.task(id, taskType).dependsOn(parentA,
   * parentB).build()}, in index order; a fresh, modifiable list on every call. The nodes share
   * this graph's id strings.
   */
  public List<NodeSpec> nodeSpecs(String taskType) {
    int size = ids.size();
    List<NodeSpec> nodes = new ArrayList<>(size);
    int k = 0;
    for (int i = 0; i < size; i++) {
      NodeSpec.Builder node = NodeSpec.task(ids.get(i), taskType);
      if (i >= width) {
        node.dependsOn(ids.get(edgePairs[k]), ids.get(edgePairs[k + 2]));
        k += 4;
      }
      nodes.add(node.build());
    }
    return nodes;
  }

  @Override
  public String toString() {
    return "LayeredDag{" + ids.size() + " nodes, width " + width + ", " + edgeCount() + " edges}";
  }
}
