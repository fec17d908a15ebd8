package dev.dagflow.eval.internal;

import dev.dagflow.filter.Filter;
import dev.dagflow.eval.Gate;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Answers "why is this node not running?" from a run's state; rare, so clarity over speed. */
final class Explainer {
  private final DagSpec spec;
  private final Plan plan;
  private final IncrementalRun run;

  Explainer(DagSpec spec, Plan plan, IncrementalRun run) {
    this.spec = spec;
    this.plan = plan;
    this.run = run;
  }

  /** The gates of node {@code v}; a not-before gate is told against {@code now}. */
  NodeExplanation explain(int v, Instant now) {
    NodeSpec node = spec.nodes().get(v);
    NodeState state = run.state(v);
    List<Gate> gates = new ArrayList<>();
    if (state != NodeState.WAITING) {
      return new NodeExplanation(node.id(), state, gates);
    }
    if (!run.edgesOpen(v)) {
      String join = node.join() == dev.dagflow.spec.Join.ONE ? " (join one: any of these)" : "";
      for (Edge e : node.edges()) {
        if (e.type() == EdgeType.ANY && !e.hasCondition()) {
          continue;
        }
        NodeState upstream = run.state(spec.indexOf(e.upstream()));
        if (!upstream.isTerminal()) {
          gates.add(new Gate(Gate.Kind.EDGE, "waits for '" + e.upstream() + "' to be "
              + expected(e) + " (it is " + upstream + ")" + join));
        }
      }
    }
    int p = plan.parent[v];
    if (p >= 0 && run.state(p) != NodeState.RUNNING) {
      gates.add(new Gate(Gate.Kind.CONTAINER, "container '" + plan.id(p) + "' is "
          + run.state(p) + "; its children start once it is RUNNING"));
    }
    Filter activation = plan.activation(v);
    if (activation != null && !run.activated(v)) {
      gates.add(new Gate(Gate.Kind.ACTIVATION, "activation condition " + activation
          + " is checked against {params} once the other gates open"));
    }
    if (run.readyAt(v) > run.now()) {
      gates.add(new Gate(Gate.Kind.NOT_BEFORE, "not before "
          + Instant.ofEpochMilli(run.readyAt(v)) + " (now " + now + ")"));
    }
    return new NodeExplanation(node.id(), state, gates);
  }

  private static String expected(Edge e) {
    String when = switch (e.type()) {
      case SUCCESS -> "COMPLETED";
      case FAILURE -> "FAILED or TIMED_OUT";
      case FINISH, ANY -> "ended";
    };
    return e.hasCondition() ? when + ", its {result, state} matching " + e.condition().get()
        : when;
  }
}
