package dev.dagflow.engine;

import org.awaitility.Awaitility;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.ScriptedExecutor;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * An engine on a manual clock with in-memory stores and one scripted executor for the task
 * types given; waits with timeouts, never fixed sleeps.
 */
final class Harness implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock(T0);
  final Stores stores = Stores.inMemory();
  final ScriptedExecutor executor = new ScriptedExecutor(clock);
  final DagEngine engine;

  Harness(String... taskTypes) {
    this(b -> { }, taskTypes);
  }

  Harness(Consumer<DagEngine.Builder> configure, String... taskTypes) {
    DagEngine.Builder b = DagEngine.builder().stores(stores).timeSource(clock)
        .poolIdleTimeout(Duration.ZERO);
    for (String type : taskTypes) {
      b.executor(type, executor);
    }
    configure.accept(b);
    engine = b.build();
    engine.start();
  }

  RunView await(String runId) {
    try {
      return engine.await(runId, WAIT);
    } catch (Exception e) {
      throw new AssertionError("run " + runId + " did not end: " + engine.get(runId), e);
    }
  }

  void awaitNode(String runId, String nodeId, NodeState state) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(2))
        .until(() -> engine.get(runId).node(nodeId).orElseThrow().state() == state);
  }

  void awaitRun(String runId, RunState state) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(2))
        .until(() -> engine.get(runId).state() == state);
  }

  /** Waits until the executor has been called {@code n} times for the node. */
  void awaitCalls(String nodeId, int n) {
    Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(2))
        .until(() -> executor.calls(nodeId).size() >= n);
  }

  String submit(DagSpec spec) {
    return engine.submit(spec);
  }

  @Override
  public void close() {
    engine.close();
  }
}
