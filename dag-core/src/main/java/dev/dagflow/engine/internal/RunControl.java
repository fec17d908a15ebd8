package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeOperationException;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.eval.Gate;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The operations a host asks of one run: stop, pause, resume, retry, live config update and
 * explain. Each is one step of the run, recorded in its history with the operator.
 */
final class RunControl {
  private final ActiveRun run;

  RunControl(ActiveRun run) {
    this.run = run;
  }

  void stop(String op) {
    run.step(op, () -> {
      RunState state = run.record.state();
      if (state.isTerminal()) {
        throw new RunStateException(run.runId, state, "it has ended; nothing to stop");
      }
      run.history(Optional.empty(), "run.stop", ActiveRun.text(state),
          ActiveRun.text(RunState.STOPPED));
      if (run.eval == null) {
        // still waiting for admission: PENDING -> STOPPED directly, as the run table allows;
        // an evaluation that never starts stops every node from PENDING
        if (run.pool != null) {
          run.pool.withdraw(run);
        }
        run.eval = run.engine.evaluator().newRun(run.spec, run.params, run.now, run);
      }
      run.eval.stopRun("run stopped by " + op);
      return null;
    });
  }

  void stopNode(int v, String op) {
    run.step(op, () -> {
      NodeState s = run.nodeState(v);
      if (s.isTerminal() || run.eval == null) {
        throw new NodeOperationException(run.runId, run.id(v), s, "only a node that has not "
            + "ended can be stopped" + (run.eval == null ? ", in a run that has started" : ""));
      }
      run.history(Optional.of(run.id(v)), "node.stop", ActiveRun.text(s),
          ActiveRun.text(NodeState.STOPPED));
      run.eval.stop(v, "stopped by " + op);
      return null;
    });
  }

  void pause(String op) {
    run.step(op, () -> {
      run.requireState(RunState.RUNNING, "only a RUNNING run can be paused");
      run.history(Optional.empty(), "run.pause", ActiveRun.text(RunState.RUNNING),
          ActiveRun.text(RunState.PAUSED));
      run.setRunState(RunState.PAUSED);
      run.paused = true;
      return null;
    });
  }

  void resume(String op) {
    run.step(op, () -> {
      run.requireState(RunState.PAUSED, "only a PAUSED run can be resumed");
      run.history(Optional.empty(), "run.resume", ActiveRun.text(RunState.PAUSED),
          ActiveRun.text(RunState.RUNNING));
      run.setRunState(RunState.RUNNING);
      run.paused = false;
      int max = run.policy.maxParallelNodes;
      while (!run.held.isEmpty() && run.pool != null && (max == 0 || run.slots < max)) {
        run.slots++;
        run.pool.submit(run.held.poll());
      }
      return null;
    });
  }

  void retry(int v, String op) {
    run.step(op, () -> {
      NodeState s = run.nodeState(v);
      if (run.eval == null || s != NodeState.FAILED && s != NodeState.TIMED_OUT
          && s != NodeState.STOPPED) {
        throw new NodeOperationException(run.runId, run.id(v), s,
            "only a FAILED, TIMED_OUT or STOPPED node can be retried");
      }
      boolean reopening = run.record.state().isTerminal();
      // an ended run gets its place back first: that can fail (a closed engine) before any
      // state has changed
      ScopePool pool = reopening ? run.engine.registry().reopen(run, run.record.scopeKey()) : null;
      ObjectNode before = JsonNodeFactory.instance.objectNode();
      run.reopened = before;
      try {
        run.eval.reopen(v, "retried by " + op);
      } catch (IllegalStateException e) {
        if (reopening) {
          // other runs' locks: outside ours
          run.after.add(() -> run.engine.registry().undoReopen(pool));
        }
        throw new NodeOperationException(run.runId, run.id(v), s, e.getMessage());
      } finally {
        run.reopened = null;
      }
      // every node the retry re-opened, not only the one asked for: containers and stopped or
      // skipped nodes around it run again too
      ObjectNode waiting = JsonNodeFactory.instance.objectNode();
      before.fieldNames().forEachRemaining(id -> waiting.put(id, NodeState.WAITING.name()));
      run.history(Optional.of(run.id(v)), "node.retry", before, waiting);
      run.failFastDone = false;
      if (reopening) {
        run.ended = false;
        run.done = new CompletableFuture<>();
        run.pool = pool;
        run.admitted = true;
        run.setRunState(RunState.RUNNING);
      }
      return null;
    });
  }

  void updateConfig(int v, ObjectNode patch, String op) {
    run.step(op, () -> {
      NodeState s = run.nodeState(v);
      if (s == NodeState.COMPLETED || run.record.state() == RunState.COMPLETED) {
        throw new NodeOperationException(run.runId, run.id(v), s, "it never runs again"
            + (s == NodeState.COMPLETED ? "" : " (its run has COMPLETED)")
            + ", so a config update would change nothing");
      }
      Attempt running = run.inFlight[v];
      NodeSpec node = run.spec.nodes().get(v);
      if (running != null && !running.executor.supportsLiveUpdate()) {
        throw new NodeOperationException(run.runId, run.id(v), s, "its executor (task type '"
            + node.taskType().orElse("") + "') does not support live config updates");
      }
      ObjectNode old = run.nodes.config(v) != null ? run.nodes.config(v) : node.config();
      ObjectNode updated = JsonMerge.merge(old, patch);
      run.nodes.config(v, updated);
      run.secrets.add(updated);
      run.markDirty(v);
      // history is shown and stored durably: it never holds a secret, the node keeps it
      run.history(Optional.of(run.id(v)), "node.config", run.policy.secretKeys.redact(old),
          run.policy.secretKeys.redact(updated));
      if (running != null) {
        ObjectNode effective = run.effectiveConfig(v);
        running.updateConfig(effective);
        run.after.add(() -> Guard.update(running.executor, running, effective.deepCopy()));
      }
      return null;
    });
  }

  NodeExplanation explain(int v) {
    run.lock.lock();
    try {
      if (run.eval == null) {
        return new NodeExplanation(run.id(v), NodeState.PENDING, List.of(new Gate(
            Gate.Kind.CONCURRENCY,
            "the run waits for a place among the running runs of its scope")));
      }
      NodeExplanation e = run.eval.explain(v, run.engine.time().now());
      NodeState s = e.state();
      List<Gate> more = new ArrayList<>();
      if (run.paused && (s == NodeState.WAITING || s == NodeState.READY)) {
        more.add(new Gate(Gate.Kind.PAUSED, "the run is paused"));
      }
      if (s == NodeState.READY && !run.paused
          && run.held.stream().anyMatch(r -> r.node() == v)) {
        more.add(new Gate(Gate.Kind.CONCURRENCY, "the run has " + run.slots + " of at most "
            + run.policy.maxParallelNodes + " nodes in flight"));
      }
      return more.isEmpty() ? e : e.with(more);
    } finally {
      run.lock.unlock();
    }
  }

}
