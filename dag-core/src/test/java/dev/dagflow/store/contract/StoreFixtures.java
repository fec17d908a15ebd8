package dev.dagflow.store.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Values shared by the store contract suites. Times are whole milliseconds, the precision every
 * store keeps.
 */
public final class StoreFixtures {
  /** A whole-millisecond instant the fixtures count from. */
  public static final Instant T0 = Instant.parse("2024-03-01T10:15:30.123Z");

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private StoreFixtures() {}

  /** {@code T0} plus {@code millis}. */
  public static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  /** A spec of {@code size} independent tasks named {@code n0, n1, …}. */
  public static DagSpec spec(String id, int size) {
    DagSpec.Builder b = DagSpec.builder(id);
    for (int i = 0; i < size; i++) {
      b.node(NodeSpec.task(node(i), "work"));
    }
    return b.build();
  }

  /** The id of node {@code i} of {@link #spec}. */
  public static String node(int i) {
    return "n" + i;
  }

  /** A JSON object {@code {key: value}}. */
  public static ObjectNode json(String key, Object value) {
    ObjectNode node = JSON.objectNode();
    node.put(key, String.valueOf(value));
    return node;
  }

  /** A JSON value with nesting, to check results round trip whole. */
  public static JsonNode nested(int n) {
    ObjectNode node = JSON.objectNode();
    node.put("n", n);
    node.putArray("items").add("a").add(n).add(true);
    node.putObject("inner").put("x", 1.5);
    return node;
  }

  /** A PENDING run of {@code spec}, global, without a template. */
  public static RunRecord run(String runId, DagSpec spec, Instant createdAt) {
    return run(runId, spec, createdAt, RunState.PENDING, null, null);
  }

  /** A run with the given state, project and template (either may be {@code null}). */
  public static RunRecord run(String runId, DagSpec spec, Instant createdAt, RunState state,
      String project, String template) {
    Optional<Instant> started = state == RunState.PENDING ? Optional.empty()
        : Optional.of(createdAt.plusMillis(5));
    Optional<Instant> ended = state.isTerminal() ? Optional.of(createdAt.plusMillis(9))
        : Optional.empty();
    return new RunRecord(runId, spec, json("param", runId), state,
        project == null ? "worker-global" : "worker-project-" + project,
        Optional.ofNullable(project), Optional.ofNullable(template), template == null ? 0 : 3,
        7, createdAt, started, ended, Optional.ofNullable(template).map(t -> "event-" + runId),
        template == null ? 0 : 2, Optional.empty(), Optional.empty());
  }

  /** {@code run} with the start key {@code startKey}. */
  public static RunRecord withStartKey(RunRecord run, String startKey) {
    return new RunRecord(run.runId(), run.spec(), run.params(), run.state(), run.scopeKey(),
        run.project(), run.template(), run.templateVersion(), run.priority(), run.createdAt(),
        run.startedAt(), run.endedAt(), run.cause(), run.chainDepth(), Optional.of(startKey),
        run.idempotencyKey());
  }

  /** {@code run} with the idempotency key {@code key}. */
  public static RunRecord withIdempotencyKey(RunRecord run, String key) {
    return new RunRecord(run.runId(), run.spec(), run.params(), run.state(), run.scopeKey(),
        run.project(), run.template(), run.templateVersion(), run.priority(), run.createdAt(),
        run.startedAt(), run.endedAt(), run.cause(), run.chainDepth(), run.startKey(),
        Optional.of(key));
  }

  /** A transition by the engine (no operator). */
  public static StateTransition transition(String runId, String nodeId, int attempt,
      NodeState from, NodeState to, TriggerType trigger, Instant time) {
    return new StateTransition(runId, nodeId, attempt, from, to, "because " + to, trigger, null,
        time);
  }

  /** What each of {@code threads} threads returned, all released at once; 60 s at most. */
  public static <T> List<T> onThreads(int threads, ThreadBody<T> body) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<T>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        int thread = t;
        futures.add(pool.submit(() -> {
          start.await();
          return body.run(thread);
        }));
      }
      start.countDown();
      List<T> results = new ArrayList<>();
      for (Future<T> f : futures) {
        results.add(f.get(60, TimeUnit.SECONDS));
      }
      return results;
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  /** What one of the threads of {@link #onThreads} does. */
  public interface ThreadBody<T> {
    T run(int thread) throws Exception;
  }
}
