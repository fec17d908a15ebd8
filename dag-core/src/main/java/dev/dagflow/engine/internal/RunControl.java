package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeOperationException;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.util.Optional;

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
      run.stopRun("run stopped by " + op);
      return null;
    });
  }

  void stopNode(int v, String op) {
    run.step(op, () -> {
      NodeState s = run.nodeState(v);
      if (s.isTerminal() || !run.started()) {
        throw new NodeOperationException(run.runId, run.id(v), s, "only a node that has not "
            + "ended can be stopped" + (run.started() ? "" : ", in a run that has started"));
      }
      run.history(Optional.of(run.id(v)), "node.stop", ActiveRun.text(s),
          ActiveRun.text(NodeState.STOPPED));
      run.stopNode(v, "stopped by " + op);
      return null;
    });
  }

  void pause(String op) {
    run.step(op, () -> {
      run.requireState(RunState.RUNNING, "only a RUNNING run can be paused");
      run.history(Optional.empty(), "run.pause", ActiveRun.text(RunState.RUNNING),
          ActiveRun.text(RunState.PAUSED));
      run.pauseDispatch();
      return null;
    });
  }

  void resume(String op) {
    run.step(op, () -> {
      run.requireState(RunState.PAUSED, "only a PAUSED run can be resumed");
      run.history(Optional.empty(), "run.resume", ActiveRun.text(RunState.PAUSED),
          ActiveRun.text(RunState.RUNNING));
      run.resumeDispatch();
      return null;
    });
  }

  void retry(int v, String op) {
    run.step(op, () -> {
      NodeState s = run.nodeState(v);
      if (!run.started() || s != NodeState.FAILED && s != NodeState.TIMED_OUT
          && s != NodeState.STOPPED) {
        throw new NodeOperationException(run.runId, run.id(v), s,
            "only a FAILED, TIMED_OUT or STOPPED node can be retried");
      }
      boolean reopening = run.record.state().isTerminal();
      // an ended run gets its place back first: that can fail (a closed engine) before any
      // state has changed
      RunRegistry registry = run.services.registry();
      ScopePool pool = reopening ? registry.reopen(run, run.record.scopeKey()) : null;
      ObjectNode before;
      try {
        before = run.reopen(v, "retried by " + op);
      } catch (IllegalStateException e) {
        if (reopening) {
          // other runs' locks: outside ours
          run.after.add(() -> registry.undoReopen(pool));
        }
        throw new NodeOperationException(run.runId, run.id(v), s, e.getMessage());
      }
      // every node the retry re-opened, not only the one asked for: containers and stopped or
      // skipped nodes around it run again too
      ObjectNode waiting = JsonNodeFactory.instance.objectNode();
      before.fieldNames().forEachRemaining(id -> waiting.put(id, NodeState.WAITING.name()));
      run.history(Optional.of(run.id(v)), "node.retry", before, waiting);
      if (reopening) {
        run.reopenIn(pool);
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
      String inside = run.subtrees == null ? null : run.subtrees.refusesConfig(v);
      if (inside != null) {
        throw new NodeOperationException(run.runId, run.id(v), s, inside);
      }
      Attempt running = run.running(v);
      NodeSpec node = run.spec.nodes().get(v);
      if (running != null && !running.executor.supportsLiveUpdate()) {
        throw new NodeOperationException(run.runId, run.id(v), s, "its executor (task type '"
            + node.taskType().orElse("") + "') does not support live config updates");
      }
      ObjectNode old = run.nodes.config(v) != null ? run.nodes.config(v) : node.config();
      ObjectNode updated = JsonMerge.merge(old, patch);
      run.configure(v, updated);
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
    return run.explain(v);
  }

}
