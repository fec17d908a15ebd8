package dev.dagflow.http.api.internal;

import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.RunStateChange;
import dev.dagflow.state.StateTransition;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wakes the event streams of a run when the engine tells of a transition or a run state change
 * of it. Registered once on the engine; called on engine threads, it only signals, never
 * writes to a client.
 */
final class RunEventHub implements EngineListener {
  /** One stream's wake-up: the listener signals, the stream's thread waits. */
  static final class Signal {
    private boolean raised;

    synchronized void raise() {
      raised = true;
      notifyAll();
    }

    /** Waits until raised or {@code millis} passed; clears the signal and says if it was. */
    synchronized boolean await(long millis) throws InterruptedException {
      if (!raised) {
        wait(millis);
      }
      boolean was = raised;
      raised = false;
      return was;
    }
  }

  private final Map<String, Set<Signal>> streams = new ConcurrentHashMap<>();

  void subscribe(String runId, Signal signal) {
    streams.computeIfAbsent(runId, k -> ConcurrentHashMap.newKeySet()).add(signal);
  }

  void unsubscribe(String runId, Signal signal) {
    streams.computeIfPresent(runId, (k, set) -> {
      set.remove(signal);
      return set.isEmpty() ? null : set;
    });
  }

  @Override
  public void onTransition(StateTransition transition) {
    wake(transition.runId());
  }

  @Override
  public void onRunStateChange(RunStateChange change) {
    wake(change.runId());
  }

  private void wake(String runId) {
    Set<Signal> set = streams.get(runId);
    if (set != null) {
      set.forEach(Signal::raise);
    }
  }
}
