package dev.dagflow.http.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.http.engine.internal.ExecutorConfig;
import dev.dagflow.http.engine.internal.RemoteTasks;
import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link NodeExecutor} that runs each attempt as a task on a remote engine, through an {@link
 * EngineClient}. Built with {@link #builder()}; register it for the task types the engine runs.
 *
 * <p>{@code execute} submits the node ({@code POST} submit, the attempt's idempotency key as the
 * {@code Idempotency-Key} header and as {@code idempotencyKey} in the body) and returns at once.
 * When the submit answers, the engine's task id is reported as the attempt's engine reference,
 * from a callback thread (the report waits until it is stored), and the task is followed: a
 * single-flight poller per executor asks for its status every poll interval, never twice at
 * once, maps progress onto the node, pulls each agent's new log lines into the node's log from
 * a cursor (none lost, none twice: see {@code docs/http-engine.md}), and ends the attempt when the
 * task ends: {@code completed} succeeds with the task's result, {@code failed} fails with the
 * engine's error code and message, {@code stopped} fails (both may be retried by the node's retry
 * policy); an answer that breaks the protocol (not JSON, the wrong shape, an unknown status)
 * fails it permanently, naming the field, and the task is asked to stop. A submit or poll the
 * engine does not answer (connection errors, 5xx, 429) is retried with backoff, without end: the
 * attempt stays RUNNING until the node's timeout, which cancels it.
 *
 * <p>The log cursor, per agent: the latest timestamp taken. Each read asks for the lines {@code
 * since} that time (less the {@link Builder#logLookback lookback}), inclusively; lines before it
 * are dropped, and of the lines with one key (timestamp and the engine's line id, or timestamp,
 * level and message) only those beyond the count already taken are new. So overlapping, repeated
 * and shuffled answers and lines sharing a timestamp are each stored once, in timestamp order;
 * the last lines of a task are read before its attempt ends.
 *
 * <p>{@code cancel} (a timeout, a stop) asks the engine to stop the task and stops following
 * it; {@code update} sends a live config update ({@code PUT}). {@code reattach} follows the
 * stored reference again; without one (the previous engine stopped between the submit and the
 * store) it submits again under the attempt's old idempotency key, and an engine that
 * de-duplicates by key answers with the task it already has, so no second task starts.
 *
 * <p>A container whose task type is registered with this executor runs on the engine with its
 * whole subtree ({@link #runsSubtree()} is always true; task nodes are unaffected): it is
 * submitted as one request whose {@code body} lists the container as the root box and every
 * node inside it ({@code isBox}, {@code father}; task nodes with their task type as {@code
 * agentLoad} and their effective config as {@code agentConfig}). Each agent of the remote task
 * is mapped, by its {@code node_id}, onto the task node inside it runs: its {@code
 * engine_agent_id} as the node's engine reference once it runs, its progress, its log lines
 * (from its own cursor) and its end, with its result or error. The remote task's own end ends
 * the container's attempt; {@code cancel} stops the task. After a re-attach every agent's
 * state is reported again (the engine ignores a report on a node that already ended).
 *
 * <p>With {@link Builder#webhooks}, {@link #webhookReceiver()} takes the engine's signed status
 * callbacks; polling goes on as a safety net at the webhook config's slower interval.
 *
 * <p>Thread-safe. {@link #close()} (after the {@code DagEngine}'s) ends the attempts still
 * followed and stops the threads the executor created; the client is the host's to close.
 */
public final class HttpEngineExecutor implements NodeExecutor, AutoCloseable {
  private final RemoteTasks tasks;
  private final WebhookReceiver webhooks;

  private HttpEngineExecutor(ExecutorConfig config, WebhookConfig webhookConfig) {
    this.tasks = new RemoteTasks(config);
    this.webhooks = webhookConfig == null ? null
        : new WebhookReceiver(webhookConfig, tasks::pushed);
  }

  /** A builder; {@link Builder#client} is required. */
  public static Builder builder() {
    return new Builder();
  }

  @Override
  public CompletionStage<NodeResult> execute(NodeContext context) {
    return tasks.execute(Objects.requireNonNull(context, "context"));
  }

  @Override
  public Optional<CompletionStage<NodeResult>> reattach(NodeContext context) {
    return tasks.reattach(Objects.requireNonNull(context, "context")).map(f -> f);
  }

  @Override
  public void cancel(NodeContext context) {
    tasks.cancel(Objects.requireNonNull(context, "context"));
  }

  /**
   * True: a container registered with this executor is submitted with its whole subtree, and
   * the remote agents' states are reported onto the nodes inside. Not an option: a remote
   * engine has nothing to run for a container alone.
   */
  @Override
  public boolean runsSubtree() {
    return true;
  }

  /** True: updates are sent to the running task. */
  @Override
  public boolean supportsLiveUpdate() {
    return true;
  }

  /**
   * Sends the running task its new config, as the update body function makes it (by default
   * the config itself); an update made before the submit answered is sent once it has. A
   * failure to deliver it is written to the node's log as an ERROR line.
   *
   * @throws IllegalStateException if this executor runs no remote task for the attempt
   */
  @Override
  public void update(NodeContext context, ObjectNode newConfig) {
    tasks.update(Objects.requireNonNull(context, "context"),
        Objects.requireNonNull(newConfig, "newConfig"));
  }

  /** The receiver of the engine's status callbacks; empty without {@link Builder#webhooks}. */
  public Optional<WebhookReceiver> webhookReceiver() {
    return Optional.ofNullable(webhooks);
  }

  /**
   * Ends every attempt still followed with the retryable failure {@code
   * ENGINE_EXECUTOR_CLOSED} (ignored by an engine already closed) and shuts down the threads
   * the executor created, waiting a few seconds for them. Idempotent.
   */
  @Override
  public void close() {
    tasks.close();
  }

  /**
   * Builds an {@link HttpEngineExecutor}. Not thread-safe. Each setter checks its argument and
   * refuses to be called twice; {@link #build()} creates the default threads.
   */
  public static final class Builder {
    private final ExecutorConfig.Draft draft = new ExecutorConfig.Draft();
    private WebhookConfig webhooks;

    private Builder() {
    }

    /** The client of the remote engine; required. */
    public Builder client(EngineClient client) {
      draft.client(client);
      return this;
    }

    /** How often each followed task's status is asked for; default 2 s, from 1 ms to 1 h. */
    public Builder pollInterval(Duration interval) {
      draft.pollInterval(interval);
      return this;
    }

    /**
     * The longest wait between two tries while the engine does not answer (a poll, or a submit
     * sent again), doubling from the poll interval; default 1 min.
     */
    public Builder maxPollBackoff(Duration max) {
      draft.maxPollBackoff(max);
      return this;
    }

    /** The {@code requestType} of the default submit body; default 1. */
    public Builder requestType(int requestType) {
      draft.requestType(requestType);
      return this;
    }

    /** Sent as {@code callbackUrl} in the default submit body: where the engine's webhooks go. */
    public Builder callbackUrl(URI url) {
      draft.callbackUrl(url);
      return this;
    }

    /**
     * Makes the submit body of an attempt instead of the default ({@code {"requestType": 1,
     * "body": [{"id", "isBox": false, "father": null, "isRoot": true, "agentLoad": taskType,
     * "agentConfig": config}], "params": runParams}}; for a container, its subtree: see {@link
     * HttpEngineExecutor}). Called on the engine's thread; {@code
     * idempotencyKey} is then set in what it returns. A throw or a null fails the attempt
     * permanently.
     */
    public Builder submitBody(Function<NodeContext, ObjectNode> body) {
      draft.submitBody(body);
      return this;
    }

    /** Makes the body of a live update from the new config; default the config itself. */
    public Builder updateBody(BiFunction<NodeContext, ObjectNode, ObjectNode> body) {
      draft.updateBody(body);
      return this;
    }

    /** Whether the agents' logs are pulled into the nodes' logs; default true. */
    public Builder pullLogs(boolean pull) {
      draft.pullLogs(pull);
      return this;
    }

    /**
     * How far before the log cursor each logs request reaches back, to catch lines the engine
     * stores late with an earlier timestamp; default zero, from 0 to 1 h.
     */
    public Builder logLookback(Duration lookback) {
      draft.logLookback(lookback);
      return this;
    }

    /** Takes the engine's signed callbacks through {@link #webhookReceiver()}. */
    public Builder webhooks(WebhookConfig config) {
      Objects.requireNonNull(config, "webhooks");
      draft.webhookPollInterval(config.pollInterval());
      webhooks = config;
      return this;
    }

    /**
     * The poller's timer; default one daemon thread named {@code
     * dagflow-http-engine-poller-1}, shut down by {@link HttpEngineExecutor#close()}. Its tasks
     * are short and never block.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      draft.scheduler(scheduler);
      return this;
    }

    /**
     * Where answers are applied to attempts (reports, progress, log lines, ends), which may wait
     * for the engine's stores; default a pool of daemon threads named {@code
     * dagflow-http-engine-callback-n}. It must not run tasks on the calling thread.
     */
    public Builder callbackExecutor(Executor executor) {
      draft.callbackExecutor(executor);
      return this;
    }

    /**
     * The executor, its poller started.
     *
     * @throws IllegalStateException if no client was set
     */
    public HttpEngineExecutor build() {
      return new HttpEngineExecutor(draft.build(), webhooks);
    }
  }
}
