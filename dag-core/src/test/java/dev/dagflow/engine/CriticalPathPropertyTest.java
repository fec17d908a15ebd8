package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.RunState;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random DAGs (1 to 12 tasks, each depending on up to three earlier ones through SUCCESS, FINISH
 * or ANY edges) with random durations, some nodes failing once and retried after a backoff, run
 * on a manual clock with no limit on parallel nodes: the critical path's length must be the
 * longest path through the DAG found by trying every path (node weights: the node's attempts and
 * backoff; ANY edges hold nothing back), the path one of those longest paths, linked by edges,
 * and every node's slack the longest path minus the longest path through it. Seeded: the seed of
 * the failing DAG is in the message and replays alone with {@code
 * -Ddagflow.critical.seed=<seed>}.
 */
class CriticalPathPropertyTest {
  private static final Long REPLAY = Long.getLong("dagflow.critical.seed");
  private static final long SEED = 20_261_215L;
  private static final int ROUNDS = 150;

  @Test
  void thePathIsALongestPathAndSlackIsWhatTheLongestPathsLeave() {
    try (Harness h = Harness.onCallingThread("t")) {
      if (REPLAY != null) {
        runOne(h, REPLAY, 0);
        return;
      }
      SplittableRandom seeds = new SplittableRandom(SEED);
      int slackChecked = 0;
      for (int round = 0; round < ROUNDS; round++) {
        long seed = seeds.nextLong();
        try {
          slackChecked += runOne(h, seed, round);
        } catch (AssertionError | RuntimeException e) {
          throw new AssertionError("seed " + seed + " (replay: -Ddagflow.critical.seed=" + seed
              + "): " + e.getMessage(), e);
        }
      }
      assertThat(slackChecked).as("nodes off the path, so slack is tested").isGreaterThan(200);
    }
  }

  /** Runs one random DAG; returns how many of its nodes had a slack above zero. */
  private static int runOne(Harness h, long seed, int round) {
    SplittableRandom random = new SplittableRandom(seed);
    int n = 1 + random.nextInt(12);
    long[] weight = new long[n]; // seconds from gates open to end
    List<List<Integer>> upstream = new ArrayList<>(); // through edges that hold a node back
    DagSpec.Builder b = DagSpec.builder("random-" + round);
    List<Outcome[]> scripts = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      NodeSpec.Builder node = NodeSpec.task("n" + v, "t");
      List<Integer> ups = new ArrayList<>();
      List<Integer> picked = new ArrayList<>();
      if (v > 0) {
        int edges = random.nextInt(Math.min(3, v) + 1);
        for (int e = 0; e < edges; e++) {
          int u = random.nextInt(v);
          if (picked.contains(u)) {
            continue;
          }
          picked.add(u);
          EdgeType type = switch (random.nextInt(6)) {
            case 0 -> EdgeType.ANY;
            case 1 -> EdgeType.FINISH;
            default -> EdgeType.SUCCESS;
          };
          node.dependsOn(Edge.of("n" + u, type));
          if (type != EdgeType.ANY) {
            ups.add(u);
          }
        }
      }
      long work = random.nextInt(4) == 0 ? 0 : 1 + random.nextInt(20); // zeros make ties
      if (random.nextInt(4) == 0) {
        long failed = 1 + random.nextInt(10);
        long backoff = 1 + random.nextInt(5);
        node.retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofSeconds(backoff))
            .build());
        scripts.add(new Outcome[] {
            Outcome.fail("E_FLAKY", "once").after(Duration.ofSeconds(failed)),
            Outcome.succeed().after(Duration.ofSeconds(work))});
        weight[v] = failed + backoff + work;
      } else {
        scripts.add(new Outcome[] {Outcome.succeed().after(Duration.ofSeconds(work))});
        weight[v] = work;
      }
      upstream.add(ups);
      b.node(node);
    }
    DagSpec spec = b.build();
    String run = h.submit(spec);
    for (int v = 0; v < n; v++) {
      h.executor.scriptRun(run, "n" + v, scripts.get(v));
    }
    RunView view = h.runToEnd(run);
    assertThat(view.state()).isEqualTo(RunState.COMPLETED);

    // every path, tried: the longest, and the longest through each node
    long[] through = new long[n];
    long longest = 0;
    for (List<Integer> path : allPaths(n, upstream)) {
      long length = path.stream().mapToLong(v -> weight[v]).sum();
      longest = Math.max(longest, length);
      for (int v : path) {
        through[v] = Math.max(through[v], length);
      }
    }

    CriticalPath cp = view.criticalPath(h.clock.now());
    String shown = spec.toJson() + "\nweights " + Arrays.toString(weight) + "\npath "
        + cp.steps();
    assertThat(cp.total()).as("total; %s", shown).isEqualTo(Duration.ofSeconds(longest));
    assertThat(view.duration()).contains(Duration.ofSeconds(longest));
    List<CriticalPath.Step> steps = cp.steps();
    long sum = 0;
    for (int i = 0; i < steps.size(); i++) {
      int v = index(steps.get(i).nodeId());
      sum += weight[v];
      assertThat(steps.get(i).duration()).as("duration of %s; %s", v, shown)
          .isEqualTo(Duration.ofSeconds(weight[v]));
      assertThat(steps.get(i).slack()).as("slack on the path; %s", shown).isZero();
      if (i == 0) {
        assertThat(upstream.get(v)).as("the path begins at a root; %s", shown).isEmpty();
        assertThat(steps.get(i).after()).isEmpty();
      } else {
        int before = index(steps.get(i - 1).nodeId());
        assertThat(upstream.get(v)).as("an edge links %s to %s; %s", before, v, shown)
            .contains(before);
        assertThat(steps.get(i).after()).contains("n" + before);
      }
    }
    assertThat(sum).as("the path is a longest path; %s", shown).isEqualTo(longest);
    int offPath = 0;
    for (int v = 0; v < n; v++) {
      Duration expected = Duration.ofSeconds(longest - through[v]);
      assertThat(cp.slack().get("n" + v)).as("slack of n%d; %s", v, shown).isEqualTo(expected);
      offPath += expected.isZero() ? 0 : 1;
    }
    return offPath;
  }

  private static int index(String id) {
    return Integer.parseInt(id.substring(1));
  }

  /** Every path from a node with no upstream to a node with no dependent, depth first. */
  private static List<List<Integer>> allPaths(int n, List<List<Integer>> upstream) {
    List<List<Integer>> down = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      down.add(new ArrayList<>());
    }
    for (int v = 0; v < n; v++) {
      for (int u : upstream.get(v)) {
        down.get(u).add(v);
      }
    }
    List<List<Integer>> paths = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      if (upstream.get(v).isEmpty()) {
        extend(new ArrayList<>(List.of(v)), down, paths);
      }
    }
    return paths;
  }

  private static void extend(List<Integer> path, List<List<Integer>> down,
      List<List<Integer>> paths) {
    int last = path.get(path.size() - 1);
    if (down.get(last).isEmpty()) {
      paths.add(List.copyOf(path));
      return;
    }
    for (int next : down.get(last)) {
      path.add(next);
      extend(path, down, paths);
      path.remove(path.size() - 1);
    }
  }
}
