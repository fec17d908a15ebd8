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
   * Re-attaches to an attempt a previous engine process started and lost track of, when the
   * work runs elsewhere and can be found again by the context's idempotency key. Empty (the
   * default) means it cannot: the engine then starts a new attempt. Called in {@code start()},
   * while the run is being restored: it must not block; a throw counts as empty.
   */
  default Optional<CompletionStage<NodeResult>> reattach(NodeContext context) {
    return Optional.empty();
  }
}
