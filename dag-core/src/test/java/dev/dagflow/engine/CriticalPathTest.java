package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The critical path of runs on a manual clock, against times worked out by hand: which nodes,
 * their spans (queue wait, retries and backoff included), what released each, every node's
 * slack; for an ended run and a live one, and drawn in the exports.
 */
class CriticalPathTest {
  private static final Instant T0 = Harness.T0;

  private static Duration s(long seconds) {
    return Duration.ofSeconds(seconds);
  }

  private static Outcome ok(long seconds) {
    return Outcome.succeed().after(s(seconds));
  }

  /** "id start-end after" for each step, times in seconds from T0. */
  private static List<String> steps(CriticalPath path) {
    return path.steps().stream().map(st -> st.nodeId() + " "
        + Duration.between(T0, st.start()).toSeconds() + "-"
        + Duration.between(T0, st.end()).toSeconds() + " " + st.after().orElse("-")).toList();
  }

  private static Map<String, Long> slackSeconds(CriticalPath path) {
    Map<String, Long> out = new LinkedHashMap<>();
    path.slack().forEach((id, d) -> out.put(id, d.toSeconds()));
    return out;
  }

  /** fetch (10 s), then build (30 s) and lint (5 s) side by side, then deploy (10 s). */
  private static String submitDiamond(Harness h) {
    h.executor.script("fetch", ok(10)).script("build", ok(30)).script("lint", ok(5))
        .script("deploy", ok(10));
    return h.submit(DagSpec.builder("diamond")
        .node(NodeSpec.task("fetch", "t"))
        .node(NodeSpec.task("build", "t").dependsOn("fetch"))
        .node(NodeSpec.task("lint", "t").dependsOn("fetch"))
        .node(NodeSpec.task("deploy", "t").dependsOn("build").dependsOn("lint"))
        .build());
  }

  @Test
  void aDiamondWithOneSlowBranchGoesThroughIt() {
    try (Harness h = Harness.onCallingThread("t")) {
      String run = submitDiamond(h);
      RunView view = h.runToEnd(run);
      DagEngine engine = h.engine;
      String runId = run;

      // docs:start engine.md critical path
      CriticalPath path = engine.criticalPath(runId);             // of a live or an ended run
      List<String> lines = new ArrayList<>();
      for (CriticalPath.Step step : path.steps()) {
        lines.add(step.nodeId() + " " + step.duration() + " after " + step.after().orElse("-"));
      }
      Duration lintSlack = path.slack().get("lint");              // 25 s to spare
      String chart = engine.get(runId).toMermaid(path);          // the path thick and red
      // docs:end
      assertThat(lines).containsExactly("fetch PT10S after -", "build PT30S after fetch",
          "deploy PT10S after build");
      assertThat(lintSlack).isEqualTo(s(25));
      assertThat(chart).contains("linkStyle");
      assertThat(steps(path)).containsExactly("fetch 0-10 -", "build 10-40 fetch",
          "deploy 40-50 build");
      assertThat(path.total()).isEqualTo(s(50)).isEqualTo(view.duration().orElseThrow());
      assertThat(path.steps()).extracting(CriticalPath.Step::duration)
          .containsExactly(s(10), s(30), s(10));
      assertThat(path.steps()).extracting(CriticalPath.Step::slack).containsOnly(Duration.ZERO);
      assertThat(slackSeconds(path)).containsExactly(Map.entry("fetch", 0L),
          Map.entry("build", 0L), Map.entry("lint", 25L), Map.entry("deploy", 0L));
      // an ended run's path does not depend on the time it is drawn for
      assertThat(view.criticalPath(T0.plus(Duration.ofDays(3)))).isEqualTo(path);
      assertThatThrownBy(() -> view.criticalPath(null)).isInstanceOf(NullPointerException.class);
      assertThatThrownBy(() -> h.engine.criticalPath("nope"))
          .isInstanceOf(UnknownRunException.class);
    }
  }

  @Test
  void aRetriedNodeCountsEveryAttemptAndTheBackoffBetween() {
    try (Harness h = Harness.onCallingThread("t")) {
      h.executor.script("fetch", ok(10))
          .script("build", Outcome.fail("E", "flaky").after(s(10)), ok(10))
          .script("test", ok(20)).script("deploy", ok(10));
      String run = h.submit(DagSpec.builder("retried")
          .node(NodeSpec.task("fetch", "t"))
          .node(NodeSpec.task("build", "t").dependsOn("fetch").retry(RetryPolicy.builder()
              .maxAttempts(2).initialDelay(s(5)).build()))
          .node(NodeSpec.task("test", "t").dependsOn("fetch"))
          .node(NodeSpec.task("deploy", "t").dependsOn("build").dependsOn("test"))
          .build());
      h.runToEnd(run);

      // build: attempt 1 10-20, backoff 20-25, attempt 2 25-35; test alone would end at 30
      CriticalPath path = h.engine.criticalPath(run);
      assertThat(steps(path)).containsExactly("fetch 0-10 -", "build 10-35 fetch",
          "deploy 35-45 build");
      assertThat(slackSeconds(path)).containsEntry("test", 5L).containsEntry("build", 0L);
      assertThat(path.total()).isEqualTo(s(45));
    }
  }

  @Test
  void aNodeWaitingForASlotCountsItsQueueTime() {
    ExecutionPolicy one = ExecutionPolicy.builder("one").maxParallelNodesPerRun(1).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(one), "t")) {
      h.executor.script("a", ok(10)).script("b", ok(10)).script("c", ok(10));
      String run = h.submit(DagSpec.builder("queued")
          .node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "t").dependsOn("a"))
          .node(NodeSpec.task("c", "t").dependsOn("a"))
          .build());
      h.awaitCalls("a", 1);
      h.clock.advance(s(10)); // a ends; b runs, c waits for the slot
      h.awaitCalls("b", 1);
      h.clock.advance(s(10));
      h.awaitCalls("c", 1);
      h.clock.advance(s(10));
      h.await(run);

      CriticalPath path = h.engine.criticalPath(run);
      assertThat(steps(path)).containsExactly("a 0-10 -", "c 10-30 a");
      assertThat(path.steps().get(1).duration()).isEqualTo(s(20)); // 10 s of it queued
      assertThat(slackSeconds(path)).containsExactly(Map.entry("a", 0L), Map.entry("b", 10L),
          Map.entry("c", 0L));
    }
  }

  @Test
  void aContainerOnThePathHoldsItsChildrensPathFromTheEndOfItsSetUp() {
    try (Harness h = Harness.onCallingThread("t")) {
      h.executor.script("prepare", ok(5)).script("env", ok(3)).script("x", ok(10))
          .script("y", ok(20)).script("z", ok(5)).script("side", ok(10))
          .script("notify", ok(5));
      String run = h.submit(DagSpec.builder("boxed")
          .node(NodeSpec.task("prepare", "t"))
          .node(NodeSpec.container("env").taskType("t").dependsOn("prepare"))
          .node(NodeSpec.task("x", "t").parent("env"))
          .node(NodeSpec.task("y", "t").parent("env").dependsOn("x"))
          .node(NodeSpec.task("z", "t").parent("env"))
          .node(NodeSpec.task("side", "t").dependsOn("prepare"))
          .node(NodeSpec.task("notify", "t").dependsOn("env"))
          .node(NodeSpec.task("never", "t").dependsOn("side", EdgeType.FAILURE))
          .build());
      RunView view = h.runToEnd(run);
      assertThat(view.node("never").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);

      // env: ready at 5, set up 5-8; x 8-18, y 18-38, z 8-13; env ends 38; notify 38-43
      CriticalPath path = h.engine.criticalPath(run);
      assertThat(steps(path)).containsExactly("prepare 0-5 -", "env 5-38 prepare",
          "x 8-18 env", "y 18-38 x", "notify 38-43 env");
      assertThat(slackSeconds(path)).containsExactly(Map.entry("prepare", 0L),
          Map.entry("env", 0L), Map.entry("x", 0L), Map.entry("y", 0L), Map.entry("z", 25L),
          Map.entry("side", 28L), Map.entry("notify", 0L)); // never skipped: no slack
      assertThat(path.total()).isEqualTo(s(43));
    }
  }

  @Test
  void aContainerWithoutSetUpReleasesItsChildrenAsItStarts() {
    try (Harness h = Harness.onCallingThread("t")) {
      h.executor.script("a", ok(4)).script("x", ok(6)).script("after", ok(1));
      String run = h.submit(DagSpec.builder("plain")
          .node(NodeSpec.task("a", "t"))
          .node(NodeSpec.container("box").dependsOn("a"))
          .node(NodeSpec.task("x", "t").parent("box"))
          .node(NodeSpec.task("after", "t").dependsOn("box"))
          .build());
      h.runToEnd(run);

      assertThat(steps(h.engine.criticalPath(run))).containsExactly("a 0-4 -",
          "box 4-10 a", "x 4-10 box", "after 10-11 box");
    }
  }

  @Test
  void aLiveRunCountsItsUnendedNodesUpToNow() {
    try (Harness h = Harness.onCallingThread("t")) {
      h.executor.script("a", ok(10)).script("b", ok(30)).script("c", ok(5))
          .script("d", ok(1));
      String run = h.submit(DagSpec.builder("live")
          .node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "t").dependsOn("a"))
          .node(NodeSpec.task("c", "t"))
          .node(NodeSpec.task("d", "t").dependsOn("b"))
          .build());
      h.workers.runPending();
      h.clock.advance(s(10)); // a and c ended; b started at 10
      h.workers.runPending();
      h.clock.advance(s(7));
      assertThat(h.engine.get(run).state()).isEqualTo(RunState.RUNNING);

      CriticalPath live = h.engine.criticalPath(run);
      assertThat(steps(live)).containsExactly("a 0-10 -", "b 10-17 a");
      assertThat(live.total()).isEqualTo(s(17));
      // d has not started: no time, no slack; c could have ended at 17
      assertThat(slackSeconds(live)).containsExactly(Map.entry("a", 0L), Map.entry("b", 0L),
          Map.entry("c", 12L));
      // the same view drawn for a later time: the running node grows, the ended ones do not
      assertThat(steps(h.engine.get(run).criticalPath(T0.plus(s(20)))))
          .containsExactly("a 0-10 -", "b 10-20 a");

      h.runToEnd(run);
      assertThat(steps(h.engine.criticalPath(run))).containsExactly("a 0-10 -", "b 10-40 a",
          "d 40-41 b");
    }
  }

  @Test
  void onATieTheNodeStillRunningIsOnThePath() {
    try (Harness h = Harness.onCallingThread("t")) {
      h.executor.script("quick", Outcome.succeed()).script("slow", ok(10));
      String run = h.submit(DagSpec.builder("tie")
          .node(NodeSpec.task("quick", "t")).node(NodeSpec.task("slow", "t")).build());
      h.workers.runPending();
      assertThat(h.engine.get(run).node("quick").orElseThrow().state())
          .isEqualTo(NodeState.COMPLETED);

      CriticalPath path = h.engine.criticalPath(run); // both end at T0: slow is not done
      assertThat(steps(path)).containsExactly("slow 0-0 -");
    }
  }

  @Test
  void aRunWithNothingStartedHasAnEmptyPath() {
    try (Harness h = Harness.onCallingThread("t")) {
      String run = h.submit(DagSpec.builder("idle").node(NodeSpec.task("a", "t")).build());
      CriticalPath path = h.engine.criticalPath(run); // a is READY, queued, not started
      assertThat(path.steps()).isEmpty();
      assertThat(path.total()).isZero();
      assertThat(path.slack()).isEmpty();
      assertThat(path.nodeIds()).isEmpty();
    }
  }

  @Test
  void theExportsDrawThePathOnlyWhenAsked() {
    try (Harness h = Harness.onCallingThread("t")) {
      String run = submitDiamond(h);
      RunView view = h.runToEnd(run);
      CriticalPath path = view.criticalPath(h.clock.now());

      // edges in the order drawn: fetch->build 0, fetch->lint 1, build->deploy 2, lint->deploy 3
      assertThat(view.toMermaid(path)).contains("  style n0 stroke:#d32f2f",
          "  style n1 stroke:#d32f2f", "  style n3 stroke:#d32f2f",
          "  linkStyle 0,2 stroke:#d32f2f,stroke-width:4px\n", "  class n0,n1,n2,n3 completed\n")
          .doesNotContain("style n2 ");
      assertThat(view.toDot(path)).contains(
          "  \"fetch\" -> \"build\" [color=\"#d32f2f\", penwidth=3];\n",
          "  \"build\" -> \"deploy\" [color=\"#d32f2f\", penwidth=3];\n",
          "  \"fetch\" -> \"lint\";\n", "  \"lint\" -> \"deploy\";\n")
          .containsPattern("\"build\" \\[[^\\]]*penwidth=3\\]")
          .doesNotContainPattern("\"lint\" \\[[^\\]]*penwidth");
      assertThat(view.toMermaid()).doesNotContain("stroke");
      assertThat(view.toDot()).doesNotContain("penwidth");
      assertThat(path.nodeIds()).containsExactly("fetch", "build", "deploy");
      assertThat(path.steps().get(0).after()).isEqualTo(Optional.empty());
    }
  }
}
