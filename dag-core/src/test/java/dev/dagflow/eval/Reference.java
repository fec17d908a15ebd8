package dev.dagflow.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.Join;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Instant;

/**
 * A deliberately naive evaluator for tests: it keeps only the facts the engine reported (what
 * was dispatched, how tasks ended, what was stopped, the time) and derives every other state from
 * scratch, by passes over all nodes until nothing changes.
 */
final class Reference {
  private enum Fact { NONE, DISPATCHED, SET_UP, ENDED, RETRY }

  private final DagSpec spec;
  private final int n;
  private final ObjectNode params;
  private final long start;
  private final Fact[] fact;
  private final NodeState[] ended;
  private final JsonNode[] result;
  private final long[] retryAt;
  /** Containers that have been RUNNING: their children's container gate is open for good. */
  private final boolean[] ran;
  private final java.util.Map<JsonNode, Filter> filters = new java.util.HashMap<>();
  private long now;
  private boolean runStopped;

  Reference(DagSpec spec, ObjectNode params, Instant start) {
    this.spec = spec;
    this.n = spec.size();
    this.params = params.deepCopy();
    this.start = start.toEpochMilli();
    this.now = this.start;
    fact = new Fact[n];
    java.util.Arrays.fill(fact, Fact.NONE);
    ended = new NodeState[n];
    result = new JsonNode[n];
    retryAt = new long[n];
    ran = new boolean[n];
  }

  void dispatched(int v) {
    fact[v] = Fact.DISPATCHED;
    ran[v] = spec.nodes().get(v).isContainer() && spec.nodes().get(v).taskType().isEmpty();
  }

  void containerReady(int v) {
    fact[v] = Fact.SET_UP;
    ran[v] = true;
  }

  void end(int v, NodeState state, JsonNode value) {
    fact[v] = Fact.ENDED;
    ended[v] = state;
    result[v] = value;
  }

  void retry(int v, long at) {
    fact[v] = Fact.RETRY;
    retryAt[v] = at;
  }

  void advanceTo(long time) {
    now = Math.max(now, time);
  }

  /** Stops the node and, if it is a container, every descendant that has not ended. */
  void stop(int v) {
    NodeState[] current = compute();
    if (current[v].isTerminal()) {
      return;
    }
    end(v, NodeState.STOPPED, null);
    for (int d = 0; d < n; d++) {
      if (isAncestor(v, d) && !current[d].isTerminal()) {
        end(d, NodeState.STOPPED, null);
      }
    }
  }

  void stopRun() {
    NodeState[] current = compute();
    runStopped = true;
    for (int v = 0; v < n; v++) {
      if (!current[v].isTerminal()) {
        end(v, NodeState.STOPPED, null);
      }
    }
  }

  RunState outcome() {
    NodeState[] s = compute();
    boolean failed = false;
    boolean stopped = false;
    for (NodeState state : s) {
      failed |= state == NodeState.FAILED || state == NodeState.TIMED_OUT;
      stopped |= state == NodeState.STOPPED;
    }
    return RunState.ended(runStopped, failed, stopped);
  }

  private boolean isAncestor(int a, int d) {
    for (String p = spec.nodes().get(d).parent().orElse(null); p != null;
        p = spec.node(p).orElseThrow().parent().orElse(null)) {
      if (spec.indexOf(p) == a) {
        return true;
      }
    }
    return false;
  }

  NodeState[] compute() {
    NodeState[] s = new NodeState[n];
    java.util.Arrays.fill(s, NodeState.WAITING);
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int v = 0; v < n; v++) {
        NodeState d = derive(v, s);
        if (d != s[v]) {
          s[v] = d;
          changed = true;
        }
      }
    }
    return s;
  }

  private NodeState derive(int v, NodeState[] s) {
    NodeSpec node = spec.nodes().get(v);
    switch (fact[v]) {
      case ENDED:
        return ended[v];
      case DISPATCHED:
        if (!node.isContainer()) {
          return NodeState.RUNNING;
        }
        if (node.taskType().isPresent()) {
          return NodeState.INITIALIZING;
        }
        return containerState(v, s);
      case SET_UP:
        return containerState(v, s);
      case RETRY:
        return now >= retryAt[v] ? NodeState.READY : NodeState.WAITING;
      default:
        break;
    }
    int p = node.parent().map(spec::indexOf).orElse(-1);
    if (p >= 0 && (s[p] == NodeState.SKIPPED
        || (fact[p] == Fact.ENDED && ended[p] == NodeState.FAILED))) {
      return NodeState.SKIPPED;
    }
    int satisfied = 0;
    int unsatisfiable = 0;
    for (Edge e : node.edges()) {
      NodeState up = s[spec.indexOf(e.upstream())];
      if (e.type() == EdgeType.ANY && !e.hasCondition()) {
        satisfied++;
      } else if (up.isTerminal()) {
        boolean ok = switch (e.type()) {
          case SUCCESS -> up == NodeState.COMPLETED;
          case FAILURE -> up == NodeState.FAILED || up == NodeState.TIMED_OUT;
          case FINISH, ANY -> true;
        };
        if (ok && e.hasCondition()) {
          ObjectNode doc = JsonNodeFactory.instance.objectNode();
          JsonNode r = result[spec.indexOf(e.upstream())];
          doc.set("result", r == null ? JsonNodeFactory.instance.nullNode() : r);
          doc.put("state", up.name());
          ok = filters.computeIfAbsent(e.condition().get(), Filter::parse).matches(doc);
        }
        if (ok) {
          satisfied++;
        } else {
          unsatisfiable++;
        }
      }
    }
    int total = node.edges().size();
    boolean open;
    if (node.join() == Join.ALL) {
      if (unsatisfiable > 0) {
        return NodeState.SKIPPED;
      }
      open = satisfied == total;
    } else {
      if (total > 0 && unsatisfiable == total) {
        return NodeState.SKIPPED;
      }
      open = total == 0 || satisfied > 0;
    }
    if (!open || (p >= 0 && !ran[p])) {
      return NodeState.WAITING;
    }
    if (node.activation().isPresent()) {
      ObjectNode doc = JsonNodeFactory.instance.objectNode();
      doc.set("params", params);
      if (!filters.computeIfAbsent(node.activation().get(), Filter::parse).matches(doc)) {
        return NodeState.SKIPPED;
      }
    }
    long readyAt = Math.max(node.notBefore().map(Instant::toEpochMilli).orElse(Long.MIN_VALUE),
        node.delay().map(d -> start + d.toMillis()).orElse(Long.MIN_VALUE));
    return readyAt > now ? NodeState.WAITING : NodeState.READY;
  }

  private NodeState containerState(int c, NodeState[] s) {
    boolean anyOpen = false;
    boolean anyFailed = false;
    for (int v = 0; v < n; v++) {
      if (spec.nodes().get(v).parent().map(spec::indexOf).orElse(-1) == c) {
        anyOpen |= !s[v].isTerminal();
        anyFailed |= s[v] == NodeState.FAILED || s[v] == NodeState.TIMED_OUT;
      }
    }
    if (anyOpen) {
      return NodeState.RUNNING;
    }
    return anyFailed ? NodeState.FAILED : NodeState.COMPLETED;
  }
}
