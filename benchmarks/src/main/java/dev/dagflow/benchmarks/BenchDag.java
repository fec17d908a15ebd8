package dev.dagflow.benchmarks;

import dev.dagflow.spec.NodeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated DAG used as a workload by the benchmarks: {@code size} nodes with ids {@code n0 …
 * n<size-1>} and edges that always point from a lower index to a higher one, so index order is
 * a topological order. {@link DagShape} names the shapes the benchmarks share; the factories here
 * build them:
 *
 * <ul>
 *   <li>{@link #layered}: layers of {@code width} consecutive nodes (the last may be shorter);
 *       every node outside layer 0 depends on two distinct nodes of the previous layer, drawn
 *       from one {@link SplittableRandom} with a fixed seed;
 *   <li>{@link #chain}: node {@code i} depends on node {@code i - 1};
 *   <li>{@link #fanOutFanIn}: one root, {@code size - 2} middle nodes each depending on the root,
 *       and one join depending on every middle node.
 * </ul>
 *
 * <p>Edges are kept as {@code (parent, child)} index pairs in child order, the parents of a child
 * next to each other in ascending parent order except for the layered shape's random pair. The
 * same arguments always give the same graph. Immutable and thread-safe; accessors hand out
 * copies, so read them once in a benchmark's setup, never in the measured method.
 */
public final class BenchDag {
  /** The seed the benchmarks use unless they say otherwise. */
  public static final long DEFAULT_SEED = 42L;

  private final String description;
  private final List<String> ids;
  private final int[] edgePairs;

  private BenchDag(String description, int size, int[] edgePairs) {
    String[] ids = new String[size];
    for (int i = 0; i < size; i++) {
      ids[i] = "n" + i;
    }
    this.description = description;
    this.ids = Collections.unmodifiableList(Arrays.asList(ids));
    this.edgePairs = edgePairs;
  }

  /**
   * The layered graph of {@code size} nodes in layers of {@code width}, parents drawn with {@code
   * seed}.
   *
   * @throws IllegalArgumentException if {@code size < 1} or {@code width < 2} (two distinct
   *     parents need a previous layer of at least two nodes)
   */
  public static BenchDag layered(int size, int width, long seed) {
    requireSize(size, 1);
    if (width < 2) {
      throw new IllegalArgumentException("width must be >= 2, was " + width);
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
    return new BenchDag("layered, width " + width, size, pairs);
  }

  /**
   * The chain {@code n0 → n1 → … → n<size-1>}.
   *
   * @throws IllegalArgumentException if {@code size < 1}
   */
  public static BenchDag chain(int size) {
    requireSize(size, 1);
    int[] pairs = new int[2 * (size - 1)];
    for (int child = 1, k = 0; child < size; child++) {
      pairs[k++] = child - 1;
      pairs[k++] = child;
    }
    return new BenchDag("chain", size, pairs);
  }

  /**
   * One root {@code n0}, middle nodes {@code n1 … n<size-2>} each depending on the root, and the
   * join {@code n<size-1>} depending on every middle node.
   *
   * @throws IllegalArgumentException if {@code size < 3}
   */
  public static BenchDag fanOutFanIn(int size) {
    requireSize(size, 3);
    int middle = size - 2;
    int join = size - 1;
    int[] pairs = new int[4 * middle];
    int k = 0;
    for (int child = 1; child <= middle; child++) {
      pairs[k++] = 0;
      pairs[k++] = child;
    }
    for (int parent = 1; parent <= middle; parent++) {
      pairs[k++] = parent;
      pairs[k++] = join;
    }
    return new BenchDag("fan-out/fan-in", size, pairs);
  }

  private static void requireSize(int size, int least) {
    if (size < least) {
      throw new IllegalArgumentException("size must be >= " + least + ", was " + size);
    }
  }

  /** The number of nodes. */
  public int size() {
    return ids.size();
  }

  /** The node ids, {@code n0 … n<size-1>}, by index; unmodifiable. */
  public List<String> ids() {
    return ids;
  }

  /** The number of edges. */
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
   * The parents of every node in compressed rows: node {@code v}'s parents are {@code
   * parents[start[v] … start[v + 1] - 1]} of the returned {@code {start, parents}}; fresh arrays.
   */
  int[][] parentRows() {
    int size = ids.size();
    int[] start = new int[size + 1];
    int[] parents = new int[edgePairs.length / 2];
    for (int k = 0, e = 0; k < edgePairs.length; k += 2, e++) {
      start[edgePairs[k + 1] + 1]++;
      parents[e] = edgePairs[k]; // pairs are in child order, so the rows come out in place
    }
    for (int v = 0; v < size; v++) {
      start[v + 1] += start[v];
    }
    return new int[][] {start, parents};
  }

  /** The nodes on the longest path: 1 for a graph without edges, {@code size} for a chain. */
  int longestPath() {
    int[] depth = new int[ids.size()];
    int longest = 0;
    for (int k = 0; k < edgePairs.length; k += 2) { // child order: a parent's depth is final
      depth[edgePairs[k + 1]] = Math.max(depth[edgePairs[k + 1]], depth[edgePairs[k]] + 1);
    }
    for (int d : depth) {
      longest = Math.max(longest, d);
    }
    return longest + 1;
  }

  /** The most parents any one node has. */
  int maxInDegree() {
    int[] start = parentRows()[0];
    int most = 0;
    for (int v = 0; v + 1 < start.length; v++) {
      most = Math.max(most, start[v + 1] - start[v]);
    }
    return most;
  }

  /**
   * The graph as dagflow nodes, each {@code NodeSpec.task(id, taskType).dependsOn(parents…)
   * .build()}, in index order; a fresh, modifiable list on every call. The nodes share this
   * graph's id strings.
   */
  public List<NodeSpec> nodeSpecs(String taskType) {
    int[][] rows = parentRows();
    int[] start = rows[0];
    int[] parents = rows[1];
    int size = ids.size();
    List<NodeSpec> nodes = new ArrayList<>(size);
    for (int v = 0; v < size; v++) {
      NodeSpec.Builder node = NodeSpec.task(ids.get(v), taskType);
      int count = start[v + 1] - start[v];
      if (count > 0) {
        String[] upstream = new String[count];
        for (int i = 0; i < count; i++) {
          upstream[i] = ids.get(parents[start[v] + i]);
        }
        node.dependsOn(upstream);
      }
      nodes.add(node.build());
    }
    return nodes;
  }

  @Override
  public String toString() {
    return "BenchDag{" + description + ", " + ids.size() + " nodes, " + edgeCount() + " edges}";
  }
}
