package dev.dagflow.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.metrics.micrometer.MicrometerMetrics;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.RunState;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.Outcome;
import dev.dagflow.testing.ScriptedExecutor;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the engine reports to a Micrometer registry after a scripted run on the manual clock:
 * each meter's value is what the script makes it.
 */
class MicrometerMetricsTest {
  private static final Instant T0 = Instant.parse("2026-12-01T08:00:00Z");

  /** build (2 s), then test (fails once, retried after 5 s, then 3 s), then slow (times out). */
  private static DagSpec pipeline() {
    return DagSpec.builder("ci")
        .node(NodeSpec.task("build", "shell"))
        .node(NodeSpec.task("test", "shell").dependsOn("build")
            .retry(RetryPolicy.builder().maxAttempts(2).backoff(Backoff.FIXED)
                .initialDelay(Duration.ofSeconds(5)).build()))
        .node(NodeSpec.task("slow", "remote").dependsOn("test").timeout(Duration.ofSeconds(10)))
        .build();
  }

  @Test
  void eachMeterHoldsWhatTheRunDid() throws Exception {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ManualClock clock = new ManualClock(T0);
    ScriptedExecutor executor = new ScriptedExecutor(clock)
        .script("build", Outcome.succeed().after(Duration.ofSeconds(2)))
        .script("test", Outcome.fail("E_FLAKY", "flaky"),
            Outcome.succeed().after(Duration.ofSeconds(3)))
        .script("slow", Outcome.hang());
    try (DagEngine engine = DagEngine.builder().timeSource(clock).workersPerScope(1)
        .executor("shell", executor).executor("remote", executor)
        .metrics(MicrometerMetrics.of(registry)).build()) {
      engine.start();
      String run = engine.submit(pipeline());
      executor.awaitCalls("build", 1, Duration.ofSeconds(10));
      Gauge running = registry.find("dagflow.pool.nodes.running").tag("pool", "worker-global")
          .gauge();
      assertThat(running).as("a gauge per open pool").isNotNull();
      assertThat(running.value()).isEqualTo(1);
      assertThat(registry.get("dagflow.pool.workers").tag("pool", "worker-global").gauge()
          .value()).isEqualTo(1);
      assertThat(registry.get("dagflow.pool.runs.active").gauge().value()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(2)); // build ends; test fails at once
      executor.awaitCalls("test", 1, Duration.ofSeconds(10));
      awaitCount(registry, "dagflow.retries", 1);
      clock.advance(Duration.ofSeconds(5)); // the retry starts
      executor.awaitCalls("test", 2, Duration.ofSeconds(10));
      clock.advance(Duration.ofSeconds(3)); // test ends; slow starts
      executor.awaitCalls("slow", 1, Duration.ofSeconds(10));
      clock.advance(Duration.ofSeconds(10)); // slow times out
      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.FAILED);
    }

    assertThat(timer(registry, "shell", "COMPLETED").count()).isEqualTo(2); // build, test
    assertThat(timer(registry, "shell", "COMPLETED").totalTime(TimeUnit.SECONDS))
        .isEqualTo(5.0); // 2 s + 3 s on the engine's clock
    assertThat(timer(registry, "shell", "FAILED").count()).isEqualTo(1);
    assertThat(timer(registry, "remote", "TIMED_OUT").totalTime(TimeUnit.SECONDS))
        .isEqualTo(10.0);
    Timer wait = registry.get("dagflow.attempts.queue.wait").tag("task.type", "shell").timer();
    assertThat(wait.count()).isEqualTo(3);
    assertThat(wait.totalTime(TimeUnit.SECONDS)).isZero(); // a free worker every time
    assertThat(registry.get("dagflow.retries").tags("task.type", "shell", "cause", "ERROR")
        .counter().count()).isEqualTo(1);
    assertThat(registry.get("dagflow.runs").tag("state", "RUNNING").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("dagflow.runs").tag("state", "FAILED").counter().count())
        .isEqualTo(1);
    Timer writes = registry.get("dagflow.store.writes").tag("result", "stored").timer();
    assertThat(writes.count()).isPositive();
    assertThat(registry.get("dagflow.store.write.changes").summary().count())
        .isEqualTo(writes.count());
    assertThat(registry.get("dagflow.store.write.changes").summary().totalAmount())
        .as("every node, attempt and transition of the run, at least")
        .isGreaterThanOrEqualTo(3 + 4 + 14);
    assertThat(registry.find("dagflow.pool.workers").gauges())
        .as("removed when the pool closed").isEmpty();
  }

  private static Timer timer(SimpleMeterRegistry registry, String type, String outcome) {
    return registry.get("dagflow.attempts").tags("task.type", type, "outcome", outcome).timer();
  }

  private static void awaitCount(SimpleMeterRegistry registry, String name, double n)
      throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (registry.find(name).counters().stream().mapToDouble(c -> c.count()).sum() < n) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(name + " never reached " + n);
      }
      Thread.onSpinWait();
    }
  }

  @Test
  void triggerFiringsAreCountedByOutcome() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (DagEngine engine = DagEngine.builder().handler("t", ctx -> null)
        .metrics(MicrometerMetrics.of(registry)).build()) {
      engine.start();
      engine.templates().save("scan", Optional.empty(), DagSpec.builder("scan")
          .node(NodeSpec.task("dns", "t")).build());
      engine.triggers().save(EventTrigger.builder("on-asset").eventType("asset")
          .template("scan").build());
      Event e = Event.builder("asset").id("e1")
          .payload(JsonNodeFactory.instance.objectNode().put("x", 1)).build();
      engine.emit(e);
      engine.emit(e); // the same id again
      assertThat(registry.get("dagflow.trigger.firings").tag("outcome", "STARTED").counter()
          .count()).isEqualTo(1);
      assertThat(registry.get("dagflow.trigger.firings").tag("outcome", "DUPLICATE").counter()
          .count()).isEqualTo(1);
    }
  }

  @Test
  void metricsThatThrowCostTheFigureNotTheRun() throws Exception {
    EngineMetrics broken = new EngineMetrics() {
      @Override
      public void attemptEnded(String taskType, dev.dagflow.store.AttemptOutcome outcome,
          Duration duration) {
        throw new IllegalStateException("registry down");
      }
    };
    try (DagEngine engine = DagEngine.builder().handler("t", ctx -> null).metrics(broken)
        .engineDefaultPolicy(ExecutionPolicy.builder("d").build()).build()) {
      engine.start();
      RunView view = engine.await(engine.submit(DagSpec.builder("one")
          .node(NodeSpec.task("a", "t")).build()), Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void theDocsExampleReportsToTheHostsRegistry() throws Exception {
    // docs:start engine.md metrics
    MeterRegistry registry = new SimpleMeterRegistry();     // the host's registry
    try (DagEngine engine = DagEngine.builder()
        .handler("shell", ctx -> null)
        .metrics(MicrometerMetrics.of(registry))            // needs micrometer-core
        .build()) {
      engine.start();
      // docs:end
      engine.await(engine.submit(DagSpec.builder("one").node(NodeSpec.task("a", "shell"))
          .build()), Duration.ofSeconds(10));
      assertThat(registry.get("dagflow.attempts").tag("outcome", "COMPLETED").timer().count())
          .isEqualTo(1);
    }
  }

  @Test
  void metricsAreSetOnce() {
    DagEngine.Builder b = DagEngine.builder().metrics(new EngineMetrics() { });
    assertThatThrownBy(() -> b.metrics(new EngineMetrics() { }))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    assertThatThrownBy(() -> DagEngine.builder().metrics(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("metrics");
    assertThatThrownBy(() -> MicrometerMetrics.of(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("registry");
  }
}
