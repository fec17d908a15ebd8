package dev.dagflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.RunStateChange;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@link ManualWorkers} with a {@link ManualClock} runs a whole workflow on the test's thread:
 * retries with backoff, a timeout and a not-before time happen at their exact times on the
 * clock, no engine thread is made, and a run that cannot end fails loudly with its explanation.
 */
class CallingThreadWorkflowTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** Every thread that ran engine work: the listener hears of each change on it. */
  private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
  private final EngineListener where = new EngineListener() {
    @Override
    public void onTransition(StateTransition transition) {
      threads.add(Thread.currentThread());
    }

    @Override
    public void onRunStateChange(RunStateChange change) {
      threads.add(Thread.currentThread());
    }
  };

  private static Set<String> engineThreads() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
        .filter(n -> n.startsWith("dagflow-")).collect(Collectors.toSet());
  }

  private static String line(StateTransition t) {
    return t.nodeId() + " " + t.from() + ">" + t.to() + " +"
        + Duration.between(T0, t.time()).toSeconds() + "s";
  }

  @Test
  void retriesTimeoutsAndNotBeforeTimesRunAtTheirTimesOnTheCallingThread() {
    Set<String> before = engineThreads();
    // docs:start testing.md
    ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    ManualWorkers workers = new ManualWorkers(clock);
    ScriptedExecutor scripted = new ScriptedExecutor(clock)
        .script("build", Outcome.fail("E_FLAKY", "flaky").after(Duration.ofSeconds(10)),
            Outcome.fail("E_FLAKY", "flaky").after(Duration.ofSeconds(10)),
            Outcome.succeed().after(Duration.ofSeconds(10)))
        .script("test", Outcome.hang(), Outcome.succeed().after(Duration.ofMinutes(1)))
        .script("deploy", Outcome.succeed());
    DagSpec spec = DagSpec.builder("release")
        .node(NodeSpec.task("build", "ci").retry(RetryPolicy.builder().maxAttempts(3)
            .backoff(Backoff.EXPONENTIAL).initialDelay(Duration.ofMinutes(1)).build()))
        .node(NodeSpec.task("test", "ci").dependsOn("build").timeout(Duration.ofMinutes(5))
            .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ofSeconds(30))
                .build()))
        .node(NodeSpec.task("deploy", "ci").dependsOn("test")
            .notBefore(Instant.parse("2026-01-01T01:00:00Z")))
        .build();
    try (DagEngine engine = DagEngine.builder().timeSource(clock).workerExecutor(workers)
        .executor("ci", scripted).listener(where).build()) {
      engine.start();
      String runId = engine.submit(spec);

      RunView run = workers.runUntilEnded(engine, runId); // no thread, no polling, no waiting

      assertThat(run.state()).isEqualTo(RunState.COMPLETED);
      assertThat(clock.now()).isEqualTo(Instant.parse("2026-01-01T01:00:00Z"));
      assertThat(scripted.calls("build")).extracting(ScriptedExecutor.Call::at).containsExactly(
          Instant.parse("2026-01-01T00:00:00Z"),   // fails at 00:00:10, backoff 1 min
          Instant.parse("2026-01-01T00:01:10Z"),   // fails at 00:01:20, backoff 2 min
          Instant.parse("2026-01-01T00:03:20Z"));  // succeeds at 00:03:30
      // docs:end
      assertThat(engine.transitions(runId)).extracting(CallingThreadWorkflowTest::line)
          .containsExactly(
              "build PENDING>WAITING +0s", "test PENDING>WAITING +0s",
              "deploy PENDING>WAITING +0s",
              "build WAITING>READY +0s", "build READY>RUNNING +0s",
              "build RUNNING>WAITING +10s", "build WAITING>READY +70s",
              "build READY>RUNNING +70s", "build RUNNING>WAITING +80s",
              "build WAITING>READY +200s", "build READY>RUNNING +200s",
              "build RUNNING>COMPLETED +210s",
              "test WAITING>READY +210s", "test READY>RUNNING +210s",
              "test RUNNING>WAITING +510s", "test WAITING>READY +540s",
              "test READY>RUNNING +540s", "test RUNNING>COMPLETED +600s",
              "deploy WAITING>READY +3600s", "deploy READY>RUNNING +3600s",
              "deploy RUNNING>COMPLETED +3600s");
      assertThat(run.node("test").orElseThrow().attempts()).extracting(a -> a.outcome().name())
          .containsExactly("TIMED_OUT", "COMPLETED");
      assertThat(scripted.cancelled()).containsExactly(runId + ":test:1");
    }
    assertThat(threads).as("every change happened on the test's thread")
        .containsExactly(Thread.currentThread());
    assertThat(engineThreads()).as("no engine thread was made").isSubsetOf(before);
    assertThat(workers.queued()).isZero();
  }

  @Test
  void aRunThatCannotEndFailsLoudlyWithItsNodesExplained() {
    ManualClock clock = new ManualClock(T0);
    ManualWorkers workers = new ManualWorkers(clock);
    ScriptedExecutor scripted = new ScriptedExecutor(clock).script("a", Outcome.hang());
    DagSpec spec = DagSpec.builder("stuck").node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a")).build();
    try (DagEngine engine = DagEngine.builder().timeSource(clock).workerExecutor(workers)
        .executor("t", scripted).build()) {
      engine.start();
      String runId = engine.submit(spec);

      assertThatThrownBy(() -> workers.runUntilEnded(engine, runId))
          .isInstanceOf(RunNotEndedException.class)
          .hasMessageContaining("run " + runId + " (spec stuck) is RUNNING at " + T0)
          .hasMessageContaining("nothing is left to run and no timer is pending")
          .hasMessageContaining("node 'a' is RUNNING")
          .hasMessageContaining("node 'b' is WAITING")
          .satisfies(e -> assertThat(((RunNotEndedException) e).run().state())
              .isEqualTo(RunState.RUNNING));
    }
  }

  @Test
  void aRunWhoseNextTimerIsPastTheLimitIsReportedWithTheTimer() {
    ManualClock clock = new ManualClock(T0);
    ManualWorkers workers = new ManualWorkers(clock);
    ScriptedExecutor scripted = new ScriptedExecutor(clock).script("a", Outcome.succeed());
    DagSpec spec = DagSpec.builder("later")
        .node(NodeSpec.task("a", "t").notBefore(T0.plus(Duration.ofDays(2)))).build();
    try (DagEngine engine = DagEngine.builder().timeSource(clock).workerExecutor(workers)
        .executor("t", scripted).build()) {
      engine.start();
      String runId = engine.submit(spec);

      assertThatThrownBy(() -> workers.runUntilEnded(engine, runId, Duration.ofDays(1)))
          .isInstanceOf(RunNotEndedException.class)
          .hasMessageContaining("the next timer, at " + T0.plus(Duration.ofDays(2))
              + ", is past the limit " + T0.plus(Duration.ofDays(1)))
          .hasMessageContaining("node 'a' is WAITING");
      assertThat(clock.now()).as("the clock is not moved past the limit").isEqualTo(T0);

      RunView done = workers.runUntilEnded(engine, runId, Duration.ofDays(2));
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("a").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
      assertThat(scripted.calls("a")).extracting(ScriptedExecutor.Call::at)
          .containsExactly(T0.plus(Duration.ofDays(2)));
    }
  }

  @Test
  void runPendingRunsOnlyWhatIsQueuedAndNeverMovesTheClock() {
    ManualClock clock = new ManualClock(T0);
    ManualWorkers workers = new ManualWorkers(clock);
    ScriptedExecutor scripted = new ScriptedExecutor(clock)
        .script("a", Outcome.succeed().after(Duration.ofMinutes(1)));
    try (DagEngine engine = DagEngine.builder().timeSource(clock).workerExecutor(workers)
        .executor("t", scripted).build()) {
      engine.start();
      String runId = engine.submit(DagSpec.builder("d").node(NodeSpec.task("a", "t")).build());
      assertThat(scripted.calls()).as("nothing runs until the test runs it").isEmpty();
      assertThat(workers.queued()).isEqualTo(1);

      assertThat(workers.runPending()).isEqualTo(1);

      assertThat(scripted.calls("a")).hasSize(1);
      assertThat(clock.now()).isEqualTo(T0);
      assertThat(engine.get(runId).node("a").orElseThrow().state())
          .isEqualTo(NodeState.RUNNING);
      assertThat(List.copyOf(clock.pending())).contains(T0.plus(Duration.ofMinutes(1)));
    }
  }
}
