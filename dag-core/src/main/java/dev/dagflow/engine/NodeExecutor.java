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
