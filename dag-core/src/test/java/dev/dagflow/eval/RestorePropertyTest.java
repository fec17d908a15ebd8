package dev.dagflow.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.eval.EvaluatorPropertyTest.Event;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random runs ({@link EvaluatorPropertyTest}'s specs and events, plus manual retries) are
 * restored part-way into a fresh evaluation from what an engine would have stored: the node
 * states, the results of completed nodes, the backoff of nodes waiting to retry, whether the run
 * was stopped. Restoring a settled run reports nothing, and from then on, given the same events,
 * both evaluations agree on every state, explanation, outcome and wake-up time.
 */
class RestorePropertyTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final long SEED = 20_261_124L;
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final int MAX_RETRIES = 4;

  @Test
  void aRestoredRunBehavesLikeTheOneItWasTakenFrom() {
    SplittableRandom seeds = new SplittableRandom(SEED);
    int retries = 0;
    for (int i = 0; i < 400; i++) {
      long seed = seeds.nextLong();
      try {
        retries += runOne(seed);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("seed " + seed + ": " + e.getMessage(), e);
      }
    }
    assertThat(retries).as("manual retries exercised").isGreaterThan(200);
  }

  /** Returns the number of manual retries made. */
  private static int runOne(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    DagSpec spec = EvaluatorPropertyTest.generate(random, 1 + random.nextInt(120));
    ObjectNode params = JSON.objectNode().put("flag", random.nextBoolean());
    Driving driving = new Driving(random, spec);
    Side live = new Side(spec, params);
    live.run.start();
    driving.drive(List.of(live), random.nextInt(2 * spec.size() + 5));

    Side restored = new Side(spec, params);
    restored.run.restore(live.states(), i -> live.results[i], i -> live.waitUntil[i],
        live.runStopped);
    restored.run.advanceTo(Instant.ofEpochMilli(driving.now));
    assertThat(restored.transitions).as("restoring a settled run changes nothing").isEmpty();
    compare(spec, live, restored, "restore");

    driving.drive(List.of(live, restored), Integer.MAX_VALUE);
    assertThat(live.run.outcome()).isPresent();
    return driving.retries;
  }

  /** Applies the same random events to every side; the first side's states choose them. */
  private static final class Driving {
    final SplittableRandom random;
    final DagSpec spec;
    long now = T0.toEpochMilli();
    int events;
    int retries;

    Driving(SplittableRandom random, DagSpec spec) {
      this.random = random;
      this.spec = spec;
    }

    /** Up to {@code limit} events; stops early once the run has ended and is not retried. */
    void drive(List<Side> sides, int limit) {
      Side first = sides.get(0);
      for (int i = 0; i < limit; i++) {
        if (++events > 40 * spec.size() + 200) {
          fail("run did not end after " + events + " events");
        }
        boolean ended = first.run.outcome().isPresent();
        if ((ended || random.nextInt(40) == 0) && retries < MAX_RETRIES) {
          List<Integer> retryable = retryable(first);
          if (!retryable.isEmpty()) {
            int v = EvaluatorPropertyTest.pick(random, retryable);
            retries++;
            for (Side side : sides) {
              side.run.reopen(v, "retry by test");
              side.runStopped = false;
            }
            compareAll(sides, "retry " + v);
            continue;
          }
        }
        if (ended) {
          return;
        }
        Event event = EvaluatorPropertyTest.nextEvent(random, spec, first.run, now, true);
        for (Side side : sides) {
          side.apply(event);
        }
        now = event.now(now);
        compareAll(sides, event.toString());
      }
    }

    /** FAILED, TIMED_OUT and STOPPED nodes with no COMPLETED container above them. */
    private List<Integer> retryable(Side side) {
      List<Integer> nodes = new ArrayList<>();
      for (int v = 0; v < spec.size(); v++) {
        NodeState s = side.run.state(v);
        if (s == NodeState.FAILED || s == NodeState.TIMED_OUT || s == NodeState.STOPPED) {
          boolean underCompleted = false;
          for (String p = spec.nodes().get(v).parent().orElse(null); p != null;
              p = spec.node(p).orElseThrow().parent().orElse(null)) {
            underCompleted |= side.run.state(spec.indexOf(p)) == NodeState.COMPLETED;
          }
          if (!underCompleted) {
            nodes.add(v);
          }
        }
      }
      return nodes;
    }

    private void compareAll(List<Side> sides, String event) {
      for (int i = 1; i < sides.size(); i++) {
        compare(spec, sides.get(0), sides.get(i), event);
      }
    }
  }

  /** One evaluation and what an engine would store about it. */
  private static final class Side {
    final RunEvaluation run;
    final List<String> transitions = new ArrayList<>();
    final JsonNode[] results;
    final Instant[] waitUntil;
    boolean runStopped;

    Side(DagSpec spec, ObjectNode params) {
      results = new JsonNode[spec.size()];
      waitUntil = new Instant[spec.size()];
      run = DependencyEvaluator.incremental().newRun(spec, params, T0,
          (node, from, to, trigger, reason) -> {
            transitions.add(node + ":" + from + ">" + to);
            if (from == NodeState.WAITING) {
              waitUntil[node] = null;
            }
          });
    }

    void apply(Event event) {
      switch (event.kind()) {
        case COMPLETE -> results[event.node()] = event.result();
        case RETRY -> waitUntil[event.node()] = Instant.ofEpochMilli(event.at());
        case STOP_RUN -> runStopped = true;
        default -> { }
      }
      event.applyTo(run);
    }

    List<NodeState> states() {
      List<NodeState> states = new ArrayList<>();
      for (int v = 0; v < results.length; v++) {
        states.add(run.state(v));
      }
      return states;
    }
  }

  private static void compare(DagSpec spec, Side live, Side restored, String event) {
    for (int v = 0; v < spec.size(); v++) {
      if (live.run.state(v) != restored.run.state(v)) {
        fail("after " + event + ": node " + spec.nodes().get(v).id() + " is "
            + live.run.state(v) + ", restored it is " + restored.run.state(v) + "\n"
            + spec.toJson());
      }
      assertThat(restored.run.explain(v).toString()).as("after %s", event)
          .isEqualTo(live.run.explain(v).toString());
    }
    assertThat(restored.run.outcome()).as("outcome after %s", event)
        .isEqualTo(live.run.outcome());
    assertThat(restored.run.nextWakeUp()).as("next wake-up after %s", event)
        .isEqualTo(live.run.nextWakeUp());
  }
}
