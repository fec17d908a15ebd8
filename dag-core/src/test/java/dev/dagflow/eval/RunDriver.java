package dev.dagflow.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Drives a RunEvaluation by node id and records what it reports, for readable tests. */
final class RunDriver {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  final DagSpec spec;
  final RunEvaluation run;
  final List<String> transitions = new ArrayList<>();
  /** The trigger and reason of each transition, in the same order. */
  final List<String> causes = new ArrayList<>();
  Instant now = T0;

  RunDriver(DagSpec spec) {
    this(spec, JsonNodeFactory.instance.objectNode());
  }

  RunDriver(DagSpec spec, ObjectNode params) {
    this.spec = spec;
    this.run = DependencyEvaluator.incremental().newRun(spec, params, T0,
        (node, from, to, trigger, reason) -> {
          transitions.add(spec.nodes().get(node).id() + ":" + from + ">" + to);
          causes.add(trigger + " " + reason);
        });
    run.start();
  }

  int index(String id) {
    int i = spec.indexOf(id);
    if (i < 0) {
      throw new IllegalArgumentException("no node " + id);
    }
    return i;
  }

  NodeState state(String id) {
    return run.state(index(id));
  }

  Map<String, NodeState> states() {
    Map<String, NodeState> m = new LinkedHashMap<>();
    for (int i = 0; i < spec.size(); i++) {
      m.put(spec.nodes().get(i).id(), run.state(i));
    }
    return m;
  }

  RunDriver dispatch(String... ids) {
    for (String id : ids) {
      run.dispatched(index(id));
    }
    return this;
  }

  RunDriver complete(String... ids) {
    for (String id : ids) {
      run.completed(index(id), JsonNodeFactory.instance.nullNode());
    }
    return this;
  }

  RunDriver completeWith(String id, JsonNode result) {
    run.completed(index(id), result);
    return this;
  }

  /** Dispatches then completes each node. */
  RunDriver succeed(String... ids) {
    for (String id : ids) {
      dispatch(id);
      complete(id);
    }
    return this;
  }

  RunDriver fail(String... ids) {
    for (String id : ids) {
      if (run.state(index(id)) == NodeState.READY) {
        dispatch(id);
      }
      run.failed(index(id), "boom");
    }
    return this;
  }

  RunDriver timeOut(String id) {
    dispatch(id);
    run.timedOut(index(id), "took too long");
    return this;
  }

  RunDriver retryIn(String id, Duration backoff) {
    run.retryAt(index(id), now.plus(backoff), TriggerType.ERROR, "attempt failed");
    return this;
  }

  RunDriver stop(String id) {
    run.stop(index(id), "stopped by test");
    return this;
  }

  /** A manual retry of the node. */
  RunDriver retry(String id) {
    run.reopen(index(id), "retried by test");
    return this;
  }

  RunDriver advance(Duration d) {
    now = now.plus(d);
    run.advanceTo(now);
    return this;
  }

  Optional<RunState> outcome() {
    return run.outcome();
  }
}
