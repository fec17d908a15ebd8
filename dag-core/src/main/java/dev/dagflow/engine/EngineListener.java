package dev.dagflow.engine;

import dev.dagflow.state.StateTransition;
import dev.dagflow.trigger.Event;

/**
 * Told of what happens in the engine's runs. Called after the change is stored, outside the
 * run's lock, on an engine thread (a worker, a timer or the caller of an operation). The
 * transitions and run state changes of one run come one at a time and in order; events come
 * from {@code emit}, on the emitting thread, and may overtake them. A listener that throws is
 * logged and ignored. Keep it quick: it delays the run's next notification.
 */
public interface EngineListener {

  /** A node changed state. */
  default void onTransition(StateTransition transition) {
  }

  /** A run was submitted, started, paused, resumed, ended or re-opened. */
  default void onRunStateChange(RunStateChange change) {
  }

  /**
   * An event was emitted: by the host through {@code DagEngine.emit}, or by the engine
   * ({@code run.completed}, {@code run.failed}, {@code node.completed}, {@code node.failed},
   * and {@code chain.limit_reached} when a chain of triggers is cut).
   */
  default void onEvent(Event event) {
  }
}
