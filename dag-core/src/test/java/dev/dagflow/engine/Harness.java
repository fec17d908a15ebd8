package dev.dagflow.engine;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.ManualWorkers;
import dev.dagflow.testing.ScriptedExecutor;
import dev.dagflow.trigger.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An engine on a manual clock with in-memory stores and one scripted executor for the task
 * types given; waits with timeouts, woken by the engine's notices and the executor's calls,
 * never by polling or fixed sleeps.
 */
final class Harness implements AutoCloseable {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final Duration WAIT = Duration.ofSeconds(10);

  final ManualClock clock = new ManualClock(T0);
  final Stores stores = Stores.inMemory();
  final ScriptedExecutor executor = new ScriptedExecutor(clock);
  /** The workers of an engine {@link #onCallingThread}; unused otherwise. */
  final ManualWorkers workers = new ManualWorkers(clock);
  final DagEngine engine;
  /** Notified on every transition, run state change and event the engine reports. */
  private final Object changed = new Object();

  Harness(String... taskTypes) {
    this(b -> { }, taskTypes);
  }

  Harness(Consumer<DagEngine.Builder> configure, String... taskTypes) {
    this(false, configure, taskTypes);
  }

  /** An engine whose nodes run only in {@link #runToEnd}, on the test's thread. */
  static Harness onCallingThread(String... taskTypes) {
    return new Harness(true, b -> { }, taskTypes);
  }

  private Harness(boolean callingThread, Consumer<DagEngine.Builder> configure,
      String... taskTypes) {
    DagEngine.Builder b = DagEngine.builder().stores(stores).timeSource(clock)
        .poolIdleTimeout(Duration.ZERO);
    if (callingThread) {
      b.workerExecutor(workers);
    }
    for (String type : taskTypes) {
      b.executor(type, executor);
    }
    configure.accept(b);
    // last, so that what the test's own listeners record is there when a wait checks again
    b.listener(new EngineListener() {
      @Override
      public void onTransition(StateTransition transition) {
        signal();
      }

      @Override
      public void onRunStateChange(RunStateChange change) {
        signal();
      }

      @Override
      public void onEvent(Event event) {
        signal();
      }
    });
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

  /** Runs an engine {@link #onCallingThread} until the run ends, moving the clock as needed. */
  RunView runToEnd(String runId) {
    return workers.runUntilEnded(engine, runId);
  }

  void awaitNode(String runId, String nodeId, NodeState state) {
    until("node " + nodeId + " of run " + runId + " " + state,
        () -> engine.get(runId).node(nodeId).orElseThrow().state() == state);
  }

  void awaitRun(String runId, RunState state) {
    until("run " + runId + " " + state, () -> engine.get(runId).state() == state);
  }

  /** Waits until the executor has been called {@code n} times for the node. */
  void awaitCalls(String nodeId, int n) {
    try {
      executor.awaitCalls(nodeId, n, WAIT);
    } catch (Exception e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /**
   * Waits until {@code done} holds, checking it again each time the engine reports a change
   * (the listener is told once the change is stored, so what it checks sees it).
   */
  void until(String what, BooleanSupplier done) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (changed) {
      while (!done.getAsBoolean()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("not within " + WAIT + ": " + what);
        }
        try {
          TimeUnit.NANOSECONDS.timedWait(changed, left);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what, e);
        }
      }
    }
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  String submit(DagSpec spec) {
    return engine.submit(spec);
  }

  @Override
  public void close() {
    engine.close();
  }
}
