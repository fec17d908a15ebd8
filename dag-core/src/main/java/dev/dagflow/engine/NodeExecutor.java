package dev.dagflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * SPI: runs the nodes of one task type, asynchronously. Registered with
 * {@link DagEngine.Builder#executor}.
 *
 * <p>The engine calls {@link #execute} on a worker thread of the node's scope, once per attempt,
 * and expects it to return quickly with a stage that completes when the attempt ends, on any
 * thread. Every call is guarded: a throw, a {@code null} stage or a {@code null} result fails
 * the attempt with a clear error; a completion after the attempt ended (timed out, stopped) is
 * ignored and logged. Implementations must be thread-safe: attempts of many nodes run at once.
 */
public interface NodeExecutor {

  /** Starts one attempt; the stage completes with its result. */
  CompletionStage<NodeResult> execute(NodeContext context);

  /**
   * Asks a running attempt to stop, because it timed out or its node or run was stopped. Its
   * later completion is ignored either way. The default does nothing.
   */
  default void cancel(NodeContext context) {
  }

  /**
   * Whether this executor, registered for the task type of a container, runs the container's
   * whole subtree itself (as a remote engine does, given the subtree in one request) rather
   * than setting up its environment. Then the engine calls {@link #execute} once for the
   * container, with a context whose {@link NodeContext#subtree()} lists the nodes inside, and
   * dispatches none of them to an executor: the nodes' task types need no executor of their
   * own, and their states are what the executor reports through {@link NodeContext#child}.
   * The container is INITIALIZING until the first report, RUNNING after it; its stage ends the
   * subtree (see {@link NodeContext#child}). The nodes inside keep their gates: a report on a
   * node whose gates are still closed is held until they open, so reports may come in any
   * order. Their own timeouts and retry policies do not apply (the container's timeout does).
   * Asked when a run is submitted and when it is taken over. The default is false.
   */
  default boolean runsSubtree() {
    return false;
  }

  /** Whether {@link #update} can change the config of a running attempt. */
  default boolean supportsLiveUpdate() {
    return false;
  }

  /**
   * Hands a running attempt its new config, already merged.
   *
   * @throws UnsupportedOperationException by default
   */
  default void update(NodeContext context, ObjectNode newConfig) {
    throw new UnsupportedOperationException("live update");
  }

  /**
   * Re-attaches to an attempt a previous engine process (or another instance, whose lease on
   * the run expired) started and lost track of, when the work runs elsewhere and can be found
   * again: by the {@link NodeContext#engineRef() engine reference} stored for the attempt, or,
   * when the previous engine stopped before it was stored, by the context's idempotency key,
   * the attempt's old one. The stage returned ends the same attempt; a reference reported here
   * is stored with it. Empty (the default) means it cannot: the attempt is recorded ABANDONED
   * and the engine starts a new one. Called when the run is restored (in {@code start()}, or
   * when a lease is claimed), under the run's lock: it must not block, nor wait for another
   * thread's report; a throw counts as empty.
   */
  default Optional<CompletionStage<NodeResult>> reattach(NodeContext context) {
    return Optional.empty();
  }
}
