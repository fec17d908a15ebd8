package dev.dagflow.engine;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import java.time.Duration;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;

/** Pieces of the seeded random workflows of the stress tests: all drawn from one Random. */
final class RandomSpecs {
  private RandomSpecs() {
  }

  /**
   * Makes node {@code v} (named {@code n<v>}) depend on one to three earlier nodes, by edges of
   * random types; the first node depends on none.
   */
  static void dependOnEarlier(Random random, NodeSpec.Builder node, int v) {
    if (v == 0) {
      return;
    }
    int edges = 1 + random.nextInt(Math.min(3, v));
    Set<Integer> picked = new HashSet<>();
    for (int e = 0; e < edges; e++) {
      int u = random.nextInt(v);
      EdgeType type = EdgeType.values()[random.nextInt(EdgeType.values().length)];
      if (picked.add(u)) {
        node.dependsOn("n" + u, type);
      }
    }
  }

  /** Gives one node in four three attempts, 2 ms apart. */
  static void maybeRetried(Random random, NodeSpec.Builder node) {
    if (random.nextInt(4) == 0) {
      node.retry(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(2))
          .build());
    }
  }

  /** What each of the first {@code attempts} attempts of each node of {@code spec} rolls, 0-9. */
  static int[][] rolls(Random random, DagSpec spec, int attempts) {
    int[][] rolls = new int[spec.size()][attempts];
    for (int[] node : rolls) {
      for (int a = 0; a < attempts; a++) {
        node[a] = random.nextInt(10);
      }
    }
    return rolls;
  }
}
