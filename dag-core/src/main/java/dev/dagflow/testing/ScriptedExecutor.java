package dev.dagflow.testing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link NodeExecutor} that does what it is told per node and attempt, and records what it was
 * asked: every call with its time and config, cancellations, live updates, and the most attempts
 * it had in flight at once. A script is for a node id in every run ({@link #script}) or in one
 * run ({@link #scriptRun}), which comes first, so one engine can run two specs that reuse ids. A
 * node with no script fails permanently with code {@value #UNSCRIPTED}, naming the node and the
 * run, so a typo in a node id fails the test; {@link #defaultOutcome} says what such nodes do
 * instead. Thread-safe.
 *
 * <pre>{@code
 * ScriptedExecutor build = new ScriptedExecutor(clock)
 *     .script("compile", Outcome.fail("E1", "flaky"), Outcome.succeed())
 *     .script("deploy", Outcome.hang())
 *     .defaultOutcome(Outcome.succeed()); // every other node succeeds
 * }</pre>
 */
public final class ScriptedExecutor implements NodeExecutor {
  /** The error code of an attempt of a node that has no script and no default outcome. */
  public static final String UNSCRIPTED = "UNSCRIPTED";

  private final TimeSource time;
  private final Map<String, List<Outcome>> scripts = new ConcurrentHashMap<>();
  /** Scripts for one run, by run id and then node id. */
  private final Map<String, Map<String, List<Outcome>>> runScripts = new ConcurrentHashMap<>();
  private volatile Outcome defaultOutcome;
  /** Notified on every call, for {@link #awaitCalls}. */
  private final Object called = new Object();
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
    scripts.put(Objects.requireNonNull(nodeId, "nodeId"), checked(nodeId, outcomes));
    return this;
  }

  /**
   * What the attempts of {@code nodeId} do in run {@code runId} only, as {@link #script} says;
   * it comes before a script for the node id in every run. Set it before the node starts: with
   * {@link ManualWorkers} nothing starts until the test runs it, with real workers give the
   * engine known run ids ({@code DagEngine.Builder.runIds}).
   */
  public ScriptedExecutor scriptRun(String runId, String nodeId, Outcome... outcomes) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    runScripts.computeIfAbsent(runId, k -> new ConcurrentHashMap<>())
        .put(nodeId, checked(nodeId, outcomes));
    return this;
  }

  /**
   * What every attempt of a node with no script does, e.g. {@code Outcome.succeed()}, which
   * succeeds with {@code {"node": id, "attempt": n}}; replaces an earlier default. Without one,
   * such a node fails permanently with code {@value #UNSCRIPTED}.
   */
  public ScriptedExecutor defaultOutcome(Outcome outcome) {
    this.defaultOutcome = Objects.requireNonNull(outcome, "outcome");
    return this;
  }

  private static List<Outcome> checked(String nodeId, Outcome... outcomes) {
    if (outcomes.length == 0) {
      throw new IllegalArgumentException("script of '" + nodeId + "' needs an outcome");
    }
    return List.of(outcomes); // refuses a null outcome
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
    Outcome outcome = outcome(context.runId(), context.nodeId(), context.attempt());
    switch (outcome.kind) {
      case THROW -> {
        record(call);
        throw outcome.error;
      }
      case NULL_STAGE -> {
        record(call);
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
      record(call);
      return stage;
    }
    NodeResult result = outcome.kind == Outcome.Kind.NULL_RESULT ? null
        : outcome.result != null ? outcome.result : defaultResult(context);
    if (outcome.delay.isZero()) {
      record(call);
      stage.complete(result);
    } else {
      time.schedule(at.plus(outcome.delay), () -> stage.complete(result));
      record(call);
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

  /**
   * Waits until {@link #execute} has been called at least {@code count} times for
   * {@code nodeId} (in any run), woken by each call rather than polling.
   *
   * @return the node's calls then, in order
   * @throws TimeoutException if there were fewer within {@code timeout}
   */
  public List<Call> awaitCalls(String nodeId, int count, Duration timeout)
      throws InterruptedException, TimeoutException {
    Objects.requireNonNull(nodeId, "nodeId");
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (called) {
      while (true) {
        List<Call> seen = calls(nodeId);
        if (seen.size() >= count) {
          return seen;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new TimeoutException(seen.size() + " of " + count + " calls of '" + nodeId
              + "' within " + timeout);
        }
        TimeUnit.NANOSECONDS.timedWait(called, left);
      }
    }
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

  private void record(Call call) {
    calls.add(call);
    synchronized (called) {
      called.notifyAll();
    }
  }

  private Outcome outcome(String runId, String nodeId, int attempt) {
    Map<String, List<Outcome>> ofRun = runScripts.get(runId);
    List<Outcome> script = ofRun == null ? null : ofRun.get(nodeId);
    if (script == null) {
      script = scripts.get(nodeId);
    }
    if (script != null) {
      return script.get(Math.min(attempt, script.size()) - 1);
    }
    Outcome fallback = defaultOutcome;
    if (fallback != null) {
      return fallback;
    }
    return Outcome.failPermanently(UNSCRIPTED, "ScriptedExecutor has no script for node '"
        + nodeId + "' of run " + runId + " (and no default outcome): script it, or set one"
        + " with defaultOutcome(...)");
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
