package dev.dagflow.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.TimeSource;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link NodeExecutor} that does what it is told per node and attempt, and records what it was
 * asked: every call with its time and config, cancellations, live updates, and the most attempts
 * it had in flight at once. Nodes without a script succeed. Thread-safe.
 *
 * <pre>{@code
 * ScriptedExecutor build = new ScriptedExecutor(clock)
 *     .script("compile", Outcome.fail("E1", "flaky"), Outcome.succeed())
 *     .script("deploy", Outcome.hang());
 * }</pre>
 */
public final class ScriptedExecutor implements NodeExecutor {
  private final TimeSource time;
  private final Map<String, List<Outcome>> scripts = new ConcurrentHashMap<>();
  private final List<Call> calls = new CopyOnWriteArrayList<>();
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final List<Call> updates = new CopyOnWriteArrayList<>();
  private final Map<String, CompletableFuture<NodeResult>> running = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile boolean liveUpdates;

  /** An executor whose delays follow {@code time} (the engine's time source). */
  public ScriptedExecutor(TimeSource time) {
    this.time = Objects.requireNonNull(time, "time");
  }

  /**
   * What the attempts of {@code nodeId} do, in order: the first outcome for attempt 1, and so
   * on; the last one repeats for later attempts.
   */
  public ScriptedExecutor script(String nodeId, Outcome... outcomes) {
    Objects.requireNonNull(nodeId, "nodeId");
    if (outcomes.length == 0) {
      throw new IllegalArgumentException("script of '" + nodeId + "' needs an outcome");
    }
    scripts.put(nodeId, List.of(outcomes));
    return this;
  }

  /** Makes the executor accept live config updates (it records them). */
  public ScriptedExecutor acceptLiveUpdates() {
    this.liveUpdates = true;
    return this;
  }

  @Override
  public CompletionStage<NodeResult> execute(NodeContext context) {
    Instant at = time.now();
    // A call is recorded once its outcome is in place, so that a test that sees the call and
    // then advances the clock always finds the completion's timer.
    Call call = new Call(context.runId(), context.nodeId(), context.attempt(), at,
        context.config());
    Outcome outcome = outcome(context.nodeId(), context.attempt());
    switch (outcome.kind) {
      case THROW -> {
        calls.add(call);
        throw outcome.error;
      }
      case NULL_STAGE -> {
        calls.add(call);
        return null;
      }
      default -> { }
    }
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
    CompletableFuture<NodeResult> stage = new CompletableFuture<>();
    String key = context.idempotencyKey();
    running.put(key, stage);
    stage.whenComplete((r, t) -> {
      if (running.remove(key, stage)) {
        inFlight.decrementAndGet();
      }
    });
    if (outcome.kind == Outcome.Kind.HANG) {
      calls.add(call);
      return stage;
    }
    NodeResult result = outcome.kind == Outcome.Kind.NULL_RESULT ? null
        : outcome.result != null ? outcome.result : defaultResult(context);
    if (outcome.delay.isZero()) {
      calls.add(call);
      stage.complete(result);
    } else {
      time.schedule(at.plus(outcome.delay), () -> stage.complete(result));
      calls.add(call);
    }
    return stage;
  }

  @Override
  public void cancel(NodeContext context) {
    cancelled.add(context.idempotencyKey());
    CompletableFuture<NodeResult> stage = running.remove(context.idempotencyKey());
    if (stage != null) {
      inFlight.decrementAndGet();
      stage.cancel(false);
    }
  }

  @Override
  public boolean supportsLiveUpdate() {
    return liveUpdates;
  }

  @Override
  public void update(NodeContext context, ObjectNode newConfig) {
    if (!liveUpdates) {
      throw new UnsupportedOperationException("live update");
    }
    updates.add(new Call(context.runId(), context.nodeId(), context.attempt(), time.now(),
        newConfig.deepCopy()));
  }

  /** Every call of {@link #execute}, in order. */
  public List<Call> calls() {
    return List.copyOf(calls);
  }

  /** The calls for one node, in order. */
  public List<Call> calls(String nodeId) {
    return calls.stream().filter(c -> c.nodeId().equals(nodeId)).toList();
  }

  /** The idempotency keys of the attempts cancelled. */
  public Set<String> cancelled() {
    return Set.copyOf(cancelled);
  }

  /** The live updates received, in order, each with the new config. */
  public List<Call> updates() {
    return List.copyOf(updates);
  }

  /** Attempts started and not yet ended or cancelled. */
  public int inFlight() {
    return inFlight.get();
  }

  /** The most attempts in flight at once so far. */
  public int maxInFlight() {
    return maxInFlight.get();
  }

  /**
   * Completes a hanging attempt now, e.g. twice to check a second completion is ignored.
   *
   * @return whether the attempt was still running here
   */
  public boolean complete(String idempotencyKey, NodeResult result) {
    CompletableFuture<NodeResult> stage = running.get(idempotencyKey);
    return stage != null && stage.complete(result);
  }

  private Outcome outcome(String nodeId, int attempt) {
    List<Outcome> script = scripts.get(nodeId);
    if (script == null) {
      return Outcome.succeed();
    }
    return script.get(Math.min(attempt, script.size()) - 1);
  }

  private static NodeResult defaultResult(NodeContext context) {
    ObjectNode result = JsonNodeFactory.instance.objectNode();
    result.put("node", context.nodeId());
    result.put("attempt", context.attempt());
    return NodeResult.success(result);
  }

  /**
   * One call the executor received.
   *
   * @param config the config the attempt was given (or, for an update, the new one)
   */
  public record Call(String runId, String nodeId, int attempt, Instant at, ObjectNode config) {
  }
}
