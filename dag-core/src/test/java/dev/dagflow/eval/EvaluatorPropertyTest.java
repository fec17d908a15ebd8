package dev.dagflow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.Join;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.TriggerType;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random DAGs with containers, every edge type, conditions, joins, activations and delays, run
 * with random outcomes. After every event the incremental evaluator's states must equal those of
 * {@link Reference}, which recomputes everything from scratch; every run must end with every node
 * terminal; and the evaluator's edge visits stay within N + E + containment links.
 */
class EvaluatorPropertyTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final long SEED = 20_261_123L;

  @Test
  void incrementalEqualsFromScratchAfterEveryEvent() {
    SplittableRandom seeds = new SplittableRandom(SEED);
    int largest = 0;
    for (int dag = 0; dag < 520; dag++) {
      long seed = seeds.nextLong();
      int maxSize = dag % 25 == 0 ? 2_000 : 150;
      try {
        largest = Math.max(largest, runOne(seed, maxSize, dag % 2 == 0));
      } catch (AssertionError e) {
        throw new AssertionError("seed " + seed + " (max size " + maxSize + "): " + e.getMessage(), e);
      }
    }
    assertThat(largest).isGreaterThan(1_000);
  }

  private static int runOne(long seed, int maxSize, boolean allowStops) {
    SplittableRandom random = new SplittableRandom(seed);
    DagSpec spec = generate(random, 1 + random.nextInt(maxSize));
    ObjectNode params = JSON.objectNode().put("flag", random.nextBoolean());
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    RunEvaluation run = DependencyEvaluator.incremental().newRun(spec, params, t0,
        TransitionListener.NONE);
    Reference ref = new Reference(spec, params, t0);
    run.start();
    compare(spec, run, ref, "start");
    int n = spec.size();
    long now = t0.toEpochMilli();
    int events = 0;
    boolean stops = false;
    while (run.outcome().isEmpty()) {
      if (++events > 20 * n + 100) {
        fail("run did not end after " + events + " events");
      }
      Event event = nextEvent(random, spec, run, now, allowStops);
      event.applyTo(run);
      event.applyTo(ref);
      now = event.now(now);
      stops |= event.kind() == Event.Kind.STOP_RUN || event.kind() == Event.Kind.STOP;
      compare(spec, run, ref, event.toString());
    }
    for (int v = 0; v < n; v++) {
      assertThat(run.state(v).isTerminal()).isTrue();
    }
    assertThat(run.outcome()).contains(ref.outcome());
    long edges = spec.nodes().stream().mapToLong(node -> node.edges().size()).sum();
    long links = spec.nodes().stream().filter(node -> node.parent().isPresent()).count();
    // A stop command walks the stopped subtree once more: each link at most once again.
    long bound = n + edges + (stops ? 2 * links : links);
    assertThat(run.edgeVisits()).as("edge visits with N=%d, E=%d, links=%d, stops=%s", n, edges,
        links, stops).isLessThanOrEqualTo(bound);
    return n;
  }

  /** Something the engine reports to a run; applied alike to the evaluator and to {@link Reference}. */
  record Event(Kind kind, int node, JsonNode result, long at) {
    enum Kind {
      STOP_RUN, STOP, DISPATCH, SETUP_FAILED, CONTAINER_READY, COMPLETE, FAIL, TIME_OUT, RETRY,
      ADVANCE
    }

    void applyTo(RunEvaluation run) {
      switch (kind) {
        case STOP_RUN -> run.stopRun("test");
        case STOP -> run.stop(node, "test");
        case DISPATCH -> run.dispatched(node);
        case SETUP_FAILED -> run.failed(node, "set-up failed");
        case CONTAINER_READY -> run.containerReady(node);
        case COMPLETE -> run.completed(node, result);
        case FAIL -> run.failed(node, "boom");
        case TIME_OUT -> run.timedOut(node, "slow");
        case RETRY -> run.retryAt(node, Instant.ofEpochMilli(at), TriggerType.ERROR, "retry");
        case ADVANCE -> run.advanceTo(Instant.ofEpochMilli(at));
      }
    }

    void applyTo(Reference ref) {
      switch (kind) {
        case STOP_RUN -> ref.stopRun();
        case STOP -> ref.stop(node);
        case DISPATCH -> ref.dispatched(node);
        case SETUP_FAILED, FAIL -> ref.end(node, NodeState.FAILED, null);
        case CONTAINER_READY -> ref.containerReady(node);
        case COMPLETE -> ref.end(node, NodeState.COMPLETED, result);
        case TIME_OUT -> ref.end(node, NodeState.TIMED_OUT, null);
        case RETRY -> ref.retry(node, at);
        case ADVANCE -> ref.advanceTo(at);
      }
    }

    /** The time after this event, given the time before it. */
    long now(long before) {
      return kind == Kind.ADVANCE ? at : before;
    }

    @Override
    public String toString() {
      return switch (kind) {
        case STOP_RUN -> "stopRun";
        case ADVANCE -> "advance to " + Instant.ofEpochMilli(at);
        default -> kind.name().toLowerCase(Locale.ROOT).replace('_', ' ') + " " + node;
      };
    }
  }

  /**
   * A random event that {@code run}'s states allow at time {@code now}: mostly dispatches and
   * endings, some set-up failures, retries and time passing, and (if {@code allowStops}) a few
   * stops. Fails if nothing can happen although the run has not ended.
   */
  static Event nextEvent(SplittableRandom random, DagSpec spec, RunEvaluation run, long now,
      boolean allowStops) {
    int n = spec.size();
    List<Integer> ready = new ArrayList<>();
    List<Integer> initializing = new ArrayList<>();
    List<Integer> running = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    for (int v = 0; v < n; v++) {
      NodeState s = run.state(v);
      switch (s) {
        case READY -> ready.add(v);
        case INITIALIZING -> initializing.add(v);
        case RUNNING -> {
          if (!spec.nodes().get(v).isContainer()) {
            running.add(v);
          }
        }
        default -> { }
      }
      if (!s.isTerminal()) {
        open.add(v);
      }
    }
    int roll = random.nextInt(1000);
    if (!allowStops && roll < 25) {
      roll += 25; // half of the runs get no stop command, so the tight bound is checked too
    }
    if (roll < 3) {
      return new Event(Event.Kind.STOP_RUN, -1, null, 0);
    } else if (roll < 25 && !open.isEmpty()) {
      return new Event(Event.Kind.STOP, pick(random, open), null, 0);
    } else if (roll < 500 && !ready.isEmpty()) {
      return new Event(Event.Kind.DISPATCH, pick(random, ready), null, 0);
    } else if (roll < 620 && !initializing.isEmpty()) {
      int v = pick(random, initializing);
      return new Event(random.nextInt(6) == 0 ? Event.Kind.SETUP_FAILED
          : Event.Kind.CONTAINER_READY, v, null, 0);
    } else if (!running.isEmpty()) {
      int v = pick(random, running);
      int outcome = random.nextInt(10);
      if (outcome < 6) {
        return new Event(Event.Kind.COMPLETE, v,
            JSON.objectNode().put("ok", random.nextBoolean()), 0);
      } else if (outcome < 8) {
        return new Event(Event.Kind.FAIL, v, null, 0);
      } else if (outcome < 9) {
        return new Event(Event.Kind.TIME_OUT, v, null, 0);
      }
      return new Event(Event.Kind.RETRY, v, null, now + random.nextInt(5_000));
    } else if (!ready.isEmpty()) {
      return new Event(Event.Kind.DISPATCH, pick(random, ready), null, 0);
    } else if (!initializing.isEmpty()) {
      return new Event(Event.Kind.CONTAINER_READY, pick(random, initializing), null, 0);
    }
    Instant wake = run.nextWakeUp().orElse(null);
    if (wake == null) {
      fail("stuck: nothing ready, running or timed, yet the run has not ended: "
          + open.stream().map(v -> spec.nodes().get(v).id() + "=" + run.state(v)).toList());
    }
    return new Event(Event.Kind.ADVANCE, -1, null, Math.max(now, wake.toEpochMilli()));
  }

  static int pick(SplittableRandom random, List<Integer> from) {
    return from.get(random.nextInt(from.size()));
  }

  private static void compare(DagSpec spec, RunEvaluation run, Reference ref, String event) {
    NodeState[] expected = ref.compute();
    for (int v = 0; v < expected.length; v++) {
      if (run.state(v) != expected[v]) {
        fail("after " + event + ": node " + spec.nodes().get(v).id() + " is " + run.state(v)
            + ", from scratch it is " + expected[v] + "\n" + spec.toJson());
      }
    }
  }

  /** Nodes in depth-first order of the container tree, edges forward and never into an ancestor. */
  static DagSpec generate(SplittableRandom random, int size) {
    DagSpec.Builder dag = DagSpec.builder("prop");
    List<List<Integer>> ancestors = new ArrayList<>();
    List<Integer> openContainers = new ArrayList<>();
    List<Integer> containerEnd = new ArrayList<>();
    for (int v = 0; v < size; v++) {
      while (!openContainers.isEmpty()
          && containerEnd.get(containerEnd.size() - 1) <= v) {
        openContainers.remove(openContainers.size() - 1);
        containerEnd.remove(containerEnd.size() - 1);
      }
      boolean container = openContainers.size() < 4 && random.nextInt(8) == 0;
      String id = "n" + v;
      NodeSpec.Builder node = container ? NodeSpec.container(id) : NodeSpec.task(id, "t");
      if (container && random.nextBoolean()) {
        node.taskType("setup");
      }
      if (!openContainers.isEmpty()) {
        node.parent("n" + openContainers.get(openContainers.size() - 1));
      }
      List<Integer> mine = new ArrayList<>(openContainers);
      ancestors.add(mine);
      int edges = v == 0 ? 0 : random.nextInt(4);
      List<String> seen = new ArrayList<>();
      for (int e = 0; e < edges; e++) {
        int u = random.nextInt(Math.max(1, v - 40), v + 1) - 1;
        if (u < 0 || mine.contains(u)) {
          continue;
        }
        EdgeType type = EdgeType.values()[random.nextInt(4)];
        if (seen.contains(u + ":" + type)) {
          continue;
        }
        seen.add(u + ":" + type);
        node.dependsOn(random.nextInt(5) == 0
            ? Edge.of("n" + u, type, JSON.objectNode().put("result.ok", random.nextBoolean()))
            : Edge.of("n" + u, type));
      }
      if (random.nextInt(3) == 0) {
        node.join(Join.ONE);
      }
      if (random.nextInt(12) == 0) {
        node.activation(JSON.objectNode().put("params.flag", random.nextBoolean()));
      }
      if (random.nextInt(20) == 0) {
        node.delay(Duration.ofMillis(random.nextInt(10_000)));
      }
      if (random.nextInt(30) == 0) {
        node.notBefore(Instant.parse("2026-01-01T00:00:00Z").plusMillis(random.nextInt(10_000)));
      }
      dag.node(node);
      if (container) {
        openContainers.add(v);
        containerEnd.add(v + 1 + random.nextInt(Math.max(1, Math.min(60, size - v))));
      }
    }
    return dag.build();
  }
}
