package dev.dagflow.engine.internal;

import dev.dagflow.engine.NodeResult;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.log.LogLevel;
import dev.dagflow.store.NodeRecord;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * How a run is taken over from the store once this engine holds its lease (claimed in {@code
 * start()} or on a later tick, or for an operation): the evaluation is restored from the
 * stored node states, READY nodes are queued, and a node that was running is re-attached
 * through its executor or run again as a new attempt, up to the abandon limit.
 */
final class RunRecovery {
  private final ActiveRun run;

  RunRecovery(ActiveRun run) {
    this.run = run;
  }

  /**
   * Restores the run from its stored node records and attempts, and the number of its stored
   * transitions; see the class comment.
   */
  void restore(List<NodeRecord> records, List<AttemptRecord> attempts, long transitions,
      ScopePool pool, boolean admit) {
    run.internalStep(() -> {
      List<NodeState> states = run.load(records, transitions, pool, admit);
      if (run.record.state() == RunState.PENDING) {
        return; // it starts when admitted
      }
      run.restoreEvaluation(states);
      Map<String, AttemptRecord> latest = new HashMap<>(); // each node's latest attempt
      for (AttemptRecord a : attempts) {
        latest.merge(a.nodeId(), a, (x, y) -> x.attempt() >= y.attempt() ? x : y);
      }
      Subtrees subtrees = run.subtrees;
      if (subtrees != null && !run.hasEnded()) { // open before their container may end them
        for (int v = 0; v < states.size(); v++) {
          if (subtrees.inside(v) && states.get(v) == NodeState.RUNNING
              && run.nodeState(v) == NodeState.RUNNING) {
            subtrees.restored(v, lastAttempt(v, latest));
          }
        }
      }
      for (int v = 0; v < states.size(); v++) { // stored READY or running; the rest follows
        NodeState s = states.get(v);
        if (s == NodeState.READY) {
          run.addReady(v);
        } else if (!run.hasEnded() && (s == NodeState.RUNNING || s == NodeState.INITIALIZING)
            && run.nodeState(v) == s && hasAttemptInFlight(v, s)) {
          recoverAttempt(v, latest, attempts);
        }
      }
      run.advance(); // abandoned attempts wait for no time: they are READY now
    });
  }

  /**
   * A node that was running when the previous engine stopped: re-attach, or start again. The
   * executor's {@code reattach} gets the stored attempt as it was: its number, so its old
   * idempotency key, and the engine reference stored with it.
   */
  private void recoverAttempt(int v, Map<String, AttemptRecord> latest,
      List<AttemptRecord> attempts) {
    NodeSpec node = run.spec.nodes().get(v);
    AttemptRecord last = lastAttempt(v, latest);
    Attempt old = run.newAttempt(v, last.attempt(), last);
    // the executor of a subtree may report on the nodes inside while it re-attaches
    Optional<CompletionStage<NodeResult>> stage = run.drives(v)
        ? run.subtrees.reattaching(old, () -> Guard.reattach(old.executor, old))
        : Guard.reattach(old.executor, old);
    if (stage.isPresent()) {
      run.reattached(old);
      run.after.add(() -> Guard.attach(stage.get(), old)
          .thenAccept(r -> run.attemptEnded(old, r, false))
          .exceptionally(e -> run.logFailure(old, e)));
      run.services.log(run, node, old.number, LogLevel.INFO, "re-attached to attempt "
          + old.number + old.engineRef().map(r -> " (engine reference '" + r + "')").orElse("")
          + " after an engine restart");
      return;
    }
    // old.record: with the reference the executor may have reported while it tried
    run.recordEnded(v, old.record.ended(run.now, AttemptOutcome.ABANDONED, null, "ABANDONED",
        "lost with its engine instance (it stopped, or lost the run's lease)"));
    run.markDirty(v);
    if (node.isContainer()) {
      if (run.drives(v) && run.nodeState(v) == NodeState.RUNNING) {
        run.subtrees.ended(v, "ABANDONED", "the executor running the container's subtree was"
            + " lost with its engine instance, and could not re-attach");
      } else {
        run.setError(v, "ABANDONED", "the engine stopped while its set-up ran");
        run.nodeFailed(v, "set-up abandoned: the engine stopped while it ran");
      }
      return;
    }
    long abandoned = 1 + attempts.stream().filter(a -> a.nodeId().equals(node.id())
        && a.outcome() == AttemptOutcome.ABANDONED && a.attempt() != last.attempt()).count();
    int limit = run.policy.abandonLimit;
    if (abandoned > limit) {
      String why = "attempt " + last.attempt() + " was lost with its engine, the " + abandoned
          + ordinal(abandoned) + " time, over the abandon limit of " + limit;
      run.setError(v, "ABANDONED", why);
      run.nodeFailed(v, "ABANDONED: " + why);
      return;
    }
    // not the node's fault: the attempt does not count against its retry budget
    run.retryAbandoned(v);
  }

  /**
   * Whether node {@code v}, stored {@code s}, had an attempt running: a task's, an
   * INITIALIZING container's set-up, or the executor of a RUNNING container's subtree; not a
   * node inside such a subtree (its container's executor runs it).
   */
  private boolean hasAttemptInFlight(int v, NodeState s) {
    NodeSpec node = run.spec.nodes().get(v);
    if (node.taskType().isEmpty() || run.subtrees != null && run.subtrees.inside(v)) {
      return false;
    }
    return !node.isContainer() || s == NodeState.INITIALIZING || run.drives(v);
  }

  /** The stored record of node {@code v}'s latest attempt, or a fresh one if none was stored. */
  private AttemptRecord lastAttempt(int v, Map<String, AttemptRecord> latest) {
    String id = run.spec.nodes().get(v).id();
    AttemptRecord last = latest.get(id);
    return last != null && last.attempt() == run.nodes.attempt(v) ? last
        : AttemptRecord.started(run.runId, id, Math.max(1, run.nodes.attempt(v)), run.now);
  }

  private static String ordinal(long n) {
    long tens = n % 100;
    if (tens >= 11 && tens <= 13) {
      return "th";
    }
    return switch ((int) (n % 10)) {
      case 1 -> "st";
      case 2 -> "nd";
      case 3 -> "rd";
      default -> "th";
    };
  }
}
