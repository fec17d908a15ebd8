package dev.dagflow.http.engine;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunStateChange;
import dev.dagflow.engine.RunView;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * A real {@link DagEngine} on in-memory stores whose task type {@code sim} runs on the {@link
 * FakeEngine} through an {@link HttpEngineExecutor}; waits are woken by the engine's transitions,
 * never by sleeps.
 */
final class RemoteHarness implements AutoCloseable {
  static final Duration WAIT = Duration.ofSeconds(30);

  final Stores stores;
  final EngineClient client;
  final HttpEngineExecutor executor;
  final DagEngine engine;
  private final Object changed = new Object();

  RemoteHarness(FakeEngine fake, UnaryOperator<EngineClient.Builder> client,
      UnaryOperator<HttpEngineExecutor.Builder> executor) {
    this(fake, Stores.inMemory(), "engine-a", client, executor);
  }

  /** Polls every 20 ms. */
  static HttpEngineExecutor.Builder fast(HttpEngineExecutor.Builder b) {
    return b.pollInterval(Duration.ofMillis(20));
  }

  RemoteHarness(FakeEngine fake, Stores stores, String instance,
      UnaryOperator<EngineClient.Builder> client,
      UnaryOperator<HttpEngineExecutor.Builder> executor) {
    this.stores = stores;
    this.client = client.apply(EngineClient.builder(fake.uri())
        .backoff(Duration.ofMillis(1), Duration.ofMillis(10))).build();
    this.executor = executor.apply(HttpEngineExecutor.builder().client(this.client)).build();
    this.engine = DagEngine.builder().instanceId(instance).stores(stores)
        .leaseTime(Duration.ofMillis(500)).executor("sim", this.executor)
        .handler("local", ctx -> null)
        .listener(new EngineListener() {
          @Override
          public void onTransition(StateTransition transition) {
            signal();
          }

          @Override
          public void onRunStateChange(RunStateChange change) {
            signal();
          }
        }).build();
    engine.start();
  }

  String submit(DagSpec spec) {
    return engine.submit(spec);
  }

  RunView await(String run) throws Exception {
    return engine.await(run, WAIT);
  }

  NodeView node(String run, String node) {
    return engine.get(run).node(node).orElseThrow();
  }

  /** Waits until node {@code node} of {@code run} satisfies {@code condition}. */
  NodeView awaitNode(String run, String node, Predicate<NodeView> condition)
      throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    synchronized (changed) {
      while (true) {
        NodeView view = node(run, node);
        if (condition.test(view)) {
          return view;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("node " + node + " did not get there; it is " + view);
        }
        TimeUnit.NANOSECONDS.timedWait(changed, left);
      }
    }
  }

  /** The lines the executor wrote for the node (attempts, not the engine's own). */
  List<LogEntry> nodeLog(String run, String node) {
    return engine.logs(LogQuery.of(run).node(node)).stream().filter(l -> l.attempt() > 0)
        .toList();
  }

  private void signal() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  @Override
  public void close() {
    engine.close();
    executor.close();
    client.close();
  }
}
