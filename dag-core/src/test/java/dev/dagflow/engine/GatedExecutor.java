package dev.dagflow.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A real {@link NodeExecutor} for races on real workers: an attempt (node id and number) can be
 * held inside {@code execute} at a {@link Gate} until the test opens it, and then succeeds (the
 * default), fails or hangs as told. Records the attempts cancelled. Thread-safe.
 */
final class GatedExecutor implements NodeExecutor {
  /** What an attempt does once past its gate, if it has one. */
  enum Then { SUCCEED, FAIL, HANG }

  private final Map<String, Gate> gates = new ConcurrentHashMap<>();
  private final Map<String, Then> outcomes = new ConcurrentHashMap<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();

  /** Attempt {@code attempt} of {@code nodeId} does {@code then}. */
  GatedExecutor on(String nodeId, int attempt, Then then) {
    outcomes.put(nodeId + "#" + attempt, then);
    return this;
  }

  /** Holds attempt {@code attempt} of {@code nodeId} inside {@code execute} at a new gate. */
  Gate hold(String nodeId, int attempt) {
    Gate gate = new Gate();
    gates.put(nodeId + "#" + attempt, gate);
    return gate;
  }

  /** The idempotency keys of the attempts the engine cancelled. */
  Set<String> cancelled() {
    return Set.copyOf(cancelled);
  }

  @Override
  public CompletionStage<NodeResult> execute(NodeContext context) {
    String key = context.nodeId() + "#" + context.attempt();
    Gate gate = gates.get(key);
    if (gate != null) {
      gate.pass();
    }
    return switch (outcomes.getOrDefault(key, Then.SUCCEED)) {
      case SUCCEED -> {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        result.put("node", context.nodeId());
        result.put("attempt", context.attempt());
        yield CompletableFuture.completedFuture(NodeResult.success(result));
      }
      case FAIL -> CompletableFuture.completedFuture(NodeResult.failure("E_GATED",
          "attempt " + context.attempt() + " of " + context.nodeId() + " fails as told"));
      case HANG -> new CompletableFuture<>();
    };
  }

  @Override
  public void cancel(NodeContext context) {
    cancelled.add(context.idempotencyKey());
  }

  /**
   * Where a thread of the engine stops until the test opens it: {@link #pass} says it has
   * arrived and waits, at most {@link Harness#WAIT}.
   */
  static final class Gate {
    private final CountDownLatch arrived = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** On the engine's thread: arrives and waits for {@link #open}. */
    void pass() {
      arrived.countDown();
      long deadline = System.nanoTime() + Harness.WAIT.toNanos();
      boolean interrupted = false;
      try {
        while (true) {
          try {
            if (!opened.await(deadline - System.nanoTime(), TimeUnit.NANOSECONDS)) {
              throw new AssertionError("the test never opened the gate");
            }
            return;
          } catch (InterruptedException e) {
            // a pool released once its run ended interrupts its workers: hold on all the same,
            // the test decides when this thread goes on
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }

    /** On the test's thread: waits until an engine thread has arrived. */
    void awaitArrival() throws InterruptedException {
      if (!arrived.await(Harness.WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
        throw new AssertionError("no engine thread reached the gate within " + Harness.WAIT);
      }
    }

    void open() {
      opened.countDown();
    }
  }
}
