package dev.dagflow.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.internal.EngineConfig;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.metrics.EngineMetrics;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.PolicyCenter;
import dev.dagflow.template.TemplateCatalog;
import dev.dagflow.schedule.ScheduleRegistry;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerMatcher;
import dev.dagflow.trigger.TriggerRegistry;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.LogStore;
import dev.dagflow.store.Page;
import dev.dagflow.store.PolicyStore;
import dev.dagflow.store.Retention;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.Stores;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.store.ScheduleStore;
import dev.dagflow.store.TriggerStore;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs DAGs: the facade host services use. Built with {@link #builder()}; nothing runs until
 * {@link #start()}, which first recovers the runs a previous process left unfinished in the
 * store.
 *
 * <p>Thread-safe. The state changes of one run are serialised; different runs proceed in
 * parallel. Every operation naming a run throws {@link UnknownRunException} for an unknown id
 * and {@link UnknownNodeException} for an unknown node. {@code submit}, {@link #emit} and the
 * run operations ({@link #stop}, {@link #stopNode}, {@link #pause}, {@link #resume}, {@link
 * #retry}, {@link #updateNodeConfig}) throw {@link IllegalStateException} before {@link
 * #start()} and after {@link #close()}; reads, {@link #await}, {@link #explain} and the saves of
 * {@link #templates()}, {@link #policies()} and {@link #triggers()} work at any time, so a host
 * can set up its templates, policies and triggers before it starts the engine.
 */
public interface DagEngine extends AutoCloseable {

  /** A builder with the defaults: in-memory stores, system clock, a worker pool per scope. */
  static Builder builder() {
    return new Builder();
  }

  /** Recovers unfinished runs from the store and starts running. Once only. */
  void start();

  /**
   * Stops running: no new attempt starts, completions of running ones are ignored, and the pools
   * and timer the engine created are shut down (their threads interrupted). Runs stay in the
   * store as they are, for the next engine to recover. With a {@link
   * Builder#shutdownGracePeriod shutdownGracePeriod}, the attempts running when {@code close()}
   * is called first get that long to end: their ends are stored as usual, but no node starts
   * (those that become ready stay READY for the next engine), and submits, events and
   * operations are refused as after close. Then it waits at most the builder's
   * {@link Builder#shutdownTimeout shutdownTimeout} for the engine's threads and for steps under
   * way, then returns anyway, logging one WARN line naming what it abandoned: runs whose step did
   * not end, attempts that outlasted the grace period, worker and timer threads still busy in
   * host code, log lines the log store did not take in time. Buffered log lines are written
   * before the leases are released; lines written after the grace period are not stored. Every
   * {@link #await} still pending (on a run of this engine or of another) then fails at once
   * with an {@link IllegalStateException}. Idempotent.
   */
  @Override
  void close();

  /**
   * Submits the run {@code request} asks for and returns its id: every form of {@code submit}
   * comes here. The run starts at once, or waits PENDING while its scope already runs the most
   * runs its policy allows. A run of a template keeps the full spec of the version it started
   * from. Its project and scope follow the rule of {@link PolicyCenter#effective(DagSpec,
   * String)}; a request with an operator is recorded in the run's history as {@code run.submit}.
   *
   * <p>A request with an {@link SubmitRequest#idempotencyKey() idempotency key} starts at most
   * one run per key in the run's project (the global scope for a run without one), across the
   * engine instances sharing the stores: when the key names a run already, {@link
   * IdempotencyStrategy#RETURN_EXISTING} returns that run's id, {@link IdempotencyStrategy#FAIL}
   * throws, and {@link IdempotencyStrategy#FAIL_ON_RUNNING} throws while that run is unfinished
   * and starts a new run once it has ended. The key is claimed in the same store operation that
   * stores the run; it is free again once the run it names is purged.
   *
   * @throws UnknownTaskTypeException if a node's task type has no executor
   * @throws dev.dagflow.template.UnknownTemplateException if there is no such template (or
   *     version)
   * @throws dev.dagflow.policy.UnknownPolicyException if the spec names a policy that does not
   *     exist
   * @throws dev.dagflow.json.InvalidJsonException naming {@code params} and the path in them,
   *     for params beyond the {@link dev.dagflow.json.JsonLimits} (by the short forms, which
   *     build the request)
   * @throws IdempotencyConflictException if the request's idempotency key names a run its
   *     strategy does not let it start beside
   */
  String submit(SubmitRequest request);

  /** Submits a run of {@code spec} without parameters. @see #submit(SubmitRequest) */
  default String submit(DagSpec spec) {
    return submit(SubmitRequest.builder().spec(spec).build());
  }

  /** Submits a run of {@code spec} with {@code params}. @see #submit(SubmitRequest) */
  default String submit(DagSpec spec, ObjectNode params) {
    return submit(SubmitRequest.builder().spec(spec).params(params).build());
  }

  /**
   * Submits a run of the latest version of template {@code template} with {@code params}.
   *
   * @see #submit(SubmitRequest)
   */
  default String submit(String template, ObjectNode params) {
    return submit(SubmitRequest.builder().template(template).params(params).build());
  }

  /**
   * Submits a run of version {@code version} of template {@code template}.
   *
   * @see #submit(SubmitRequest)
   */
  default String submit(String template, int version, ObjectNode params) {
    return submit(SubmitRequest.builder().template(template).templateVersion(version)
        .params(params).build());
  }

  /** The execution policies: saved by name, one default per project, resolved per node. */
  PolicyCenter policies();

  /** The versioned templates runs can be started from. */
  TemplateCatalog templates();

  /** The event triggers that start runs from events. */
  TriggerRegistry triggers();

  /**
   * The schedules that start runs at the fire times of cron expressions, on the engine's time
   * source (see {@code docs/schedules.md}). Saved schedules fire once the engine has started.
   */
  ScheduleRegistry schedules();

  /**
   * Offers {@code event} to the triggers: each enabled trigger whose project, event type and
   * filter match starts a run of its template with parameters mapped from the event, unless it
   * has processed an event with the same id before, its overlap policy holds it back, or the
   * event is deeper than the chain depth limit. Listeners hear of the event first.
   *
   * @return what each matching trigger did, in trigger id order
   */
  List<TriggerFiring> emit(Event event);

  /** The run as it stands now. */
  RunView get(String runId);

  /**
   * The critical path of the run as it stands now: {@link RunView#criticalPath} of {@link
   * #get}, nodes not ended counting up to the engine's time source now.
   *
   * @throws UnknownRunException if there is no such run
   */
  CriticalPath criticalPath(String runId);

  /**
   * One page of the runs {@code query} asks for, newest first, as summaries: without their
   * specs and params, which {@link #get} shows for one run.
   */
  Page<RunSummary> list(RunQuery query);

  /**
   * Stops the run: running attempts are cancelled, nodes not started are STOPPED, and the run
   * ends STOPPED (a run still PENDING for its place goes straight to STOPPED).
   *
   * @throws RunStateException if the run has ended (its outcome stands), or is not run by this
   *     engine
   */
  void stop(String runId, String operator);

  /**
   * Stops one node and, for a container, everything inside it; its running attempt is
   * cancelled. Its dependents follow the edge rules (a SUCCESS dependent is skipped).
   *
   * @throws NodeOperationException if the node has ended, or the run is still PENDING for its
   *     place (stop the run instead)
   * @throws RunStateException if the run has ended, or is not run by this engine
   */
  void stopNode(String runId, String nodeId, String operator);

  /**
   * Pauses the run: no node starts until {@link #resume}; running attempts finish.
   *
   * @throws RunStateException unless the run is RUNNING
   */
  void pause(String runId, String operator);

  /** Resumes a paused run. @throws RunStateException unless the run is PAUSED */
  void resume(String runId, String operator);

  /**
   * Runs a FAILED, TIMED_OUT or STOPPED node again, with a fresh retry budget, together with
   * its ended containers and the nodes that were skipped or stopped after it or beside it in
   * them; an ended run is re-opened. The history entry {@code node.retry} names every node
   * re-opened, with the state it had.
   *
   * @throws NodeOperationException if the node is in another state
   */
  void retry(String runId, String nodeId, String operator);

  /**
   * Merges {@code patch} into the node's config (JSON merge patch: a null value removes a
   * field). A node not yet started uses it when dispatched; a running node gets it through its
   * executor's {@link NodeExecutor#update}; a node that failed, timed out, was stopped or
   * skipped uses it when a retry re-opens it. Recorded in {@link #history} with the old and new
   * config.
   *
   * @throws NodeOperationException if the node is running and its executor cannot take live
   *     updates, or the node (or its run) has COMPLETED and never runs again
   * @throws dev.dagflow.json.InvalidJsonException naming the path in the patch, for a patch
   *     beyond the {@link dev.dagflow.json.JsonLimits} or one that is not JSON
   */
  void updateNodeConfig(String runId, String nodeId, ObjectNode patch, String operator);

  /**
   * The run's log lines {@code query} asks for, in the order of their {@link LogEntry#seq}
   * numbers, read from the log store. Lines reach the store in batches, within 200 ms of being
   * written while the store keeps up; for a run this engine runs, the query first waits (at
   * most a second) until the lines written before it are stored, so it sees them. Resume a
   * long or growing log with {@link LogQuery#afterSequence}, passing the last line's number.
   */
  List<LogEntry> logs(LogQuery query);

  /** Who changed what in the run, in order. */
  List<HistoryEntry> history(String runId);

  /** Every node state change of the run, in order. */
  List<StateTransition> transitions(String runId);

  /**
   * Up to {@code limit} of the run's node state changes, in order, after the first {@code
   * skip}: a reader that has some reads on from there instead of reading them all again.
   *
   * @throws UnknownRunException if no run has this id
   * @throws IllegalArgumentException if {@code skip} is negative or {@code limit} not positive
   */
  List<StateTransition> transitions(String runId, long skip, int limit);

  /**
   * Waits until the run has ended and returns it.
   *
   * @throws TimeoutException if it has not ended within {@code timeout}
   * @throws RunStateException if the run has not ended and this engine does not run it
   * @throws IllegalStateException if the engine is closed before the run ends
   */
  RunView await(String runId, Duration timeout) throws InterruptedException, TimeoutException;

  /**
   * The run's end, without blocking: a stage completed with the run's view once its end is
   * stored, whichever instance runs it (a run owned elsewhere is read back from the store as
   * often as commands are looked for), at once for a run that has ended. It fails with an
   * {@link IllegalStateException} if this engine closes first. Dependent stages run on an
   * engine thread unless given an executor: do not block in them. Cancelling the stage stops
   * the watch; it does not touch the run. A run re-opened by a retry before the stage completes
   * completes it at its next end.
   *
   * @throws UnknownRunException if no run has this id
   */
  CompletionStage<RunView> completion(String runId);

  /**
   * Why the node is not running: its state and every gate still closed, a not-before gate told
   * against the engine's time source now.
   */
  NodeExplanation explain(String runId, String nodeId);

  /** Adds a listener; see {@link EngineListener} for when and where it is called. */
  void addListener(EngineListener listener);

  /**
   * Purges the stores now, as of the engine's clock, with the builder's {@link
   * Builder#retention retention} (without one: only processed event ids older than 30 days).
   * Safe while runs run: no unfinished run is purged.
   *
   * @throws dev.dagflow.store.StoreException if a store fails; what was purged stays purged
   */
  Retention.PurgeReport purge();

  /** The worker keys of the pools alive now; a pool is released once idle. */
  Set<String> workerPools();

  /**
   * Builds a {@link DagEngine}. Not thread-safe. Each setter checks its argument; setting an
   * executor twice for one task type is refused.
   */
  final class Builder {
    private final EngineConfig config = EngineConfig.defaults();

    private Builder() {
    }

    /** Runs nodes of {@code taskType} with {@code executor}. */
    public Builder executor(String taskType, NodeExecutor executor) {
      config.executor(taskType, executor);
      return this;
    }

    /** Runs nodes of {@code taskType} with a plain function on the scope's worker threads. */
    public Builder handler(String taskType, TaskHandler handler) {
      config.handler(taskType, handler);
      return this;
    }

    /** Every store from one set, e.g. {@link Stores#inMemory()}. */
    public Builder stores(Stores stores) {
      config.stores(stores);
      return this;
    }

    public Builder runStore(RunStore store) {
      config.runStore(store);
      return this;
    }

    public Builder logStore(LogStore store) {
      config.logStore(store);
      return this;
    }

    public Builder policyStore(PolicyStore store) {
      config.policyStore(store);
      return this;
    }

    public Builder templateStore(TemplateStore store) {
      config.templateStore(store);
      return this;
    }

    public Builder triggerStore(TriggerStore store) {
      config.triggerStore(store);
      return this;
    }

    public Builder scheduleStore(ScheduleStore store) {
      config.scheduleStore(store);
      return this;
    }

    /** How events are matched to triggers; default {@link TriggerMatcher#indexed()}. */
    public Builder triggerMatcher(TriggerMatcher matcher) {
      config.triggerMatcher(matcher);
      return this;
    }

    /**
     * The deepest event that still starts runs: a run started directly has depth 0, its events
     * depth 1, the runs they start depth 1, and so on; an event deeper than this starts
     * nothing. Default 16.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder maxChainDepth(int depth) {
      config.maxChainDepth(depth);
      return this;
    }

    /** The clock and timer; default the system clock with one timer thread the engine owns. */
    public Builder timeSource(TimeSource timeSource) {
      config.timeSource(timeSource);
      return this;
    }

    /**
     * The size of each scope's worker pool; default the number of processors, at least 2.
     *
     * @throws IllegalArgumentException if below 1
     */
    public Builder workersPerScope(int workers) {
      config.workersPerScope(workers);
      return this;
    }

    /** The size of the pool of one worker key, e.g. {@code worker-project-acme}. */
    public Builder workers(String workerKey, int workers) {
      config.workers(workerKey, workers);
      return this;
    }

    /**
     * Creates the worker threads; default named {@code dagflow-<workerKey>-<n>}, daemon.
     *
     * @throws IllegalStateException if a {@link #workerExecutor} was set
     */
    public Builder threadFactory(ThreadFactory factory) {
      config.threadFactory(factory);
      return this;
    }

    /**
     * Runs the worker loops on the host's {@code executor} instead of threads the engine makes.
     * Each worker key keeps its own queue, priority order and bound ({@link #workersPerScope},
     * {@link #workers}): a key hands the executor at most that many loops at once, each taking
     * ready nodes until its queue is empty. Node executors and task handlers then run on the
     * host's threads. The engine never shuts the executor down, and {@link DagEngine#close()}
     * does not interrupt its threads: it waits up to the shutdown timeout for the loops under
     * way to return. The engine calls {@code execute} under a run's lock: the executor must hand
     * the task to another thread or queue it, never run it inside {@code execute} (that is
     * refused with an {@link IllegalStateException}); a task it rejects is logged and its nodes
     * wait for the next loop it accepts. In tests, {@code dev.dagflow.testing.ManualWorkers}
     * runs the loops on the test's thread.
     *
     * @throws IllegalStateException if already set, or a {@link #threadFactory} was set
     */
    public Builder workerExecutor(Executor executor) {
      config.workerExecutor(executor);
      return this;
    }

    /**
     * How long {@link DagEngine#close()} waits for the engine's threads and for steps under way
     * before it gives up on them; default 5 s.
     *
     * @throws IllegalArgumentException if negative or over an hour
     */
    public Builder shutdownTimeout(Duration timeout) {
      config.shutdownTimeout(timeout);
      return this;
    }

    /**
     * How long {@link DagEngine#close()} lets the attempts running then go on, before it
     * interrupts the engine's threads and gives up on what is left; default zero: at once.
     * Meanwhile no node starts, and the ends of those attempts are stored but start none of
     * their dependents. {@code close()} goes on as soon as none is left running. The {@link
     * #shutdownTimeout shutdownTimeout} follows it.
     *
     * @throws IllegalArgumentException naming {@code shutdownGracePeriod} if negative or over an
     *     hour
     */
    public Builder shutdownGracePeriod(Duration grace) {
      config.shutdownGracePeriod(grace);
      return this;
    }

    /**
     * This engine's id among the instances that share its stores: it owns runs under this id.
     * Default: the host name, the process id and a random suffix. Two live engines must never
     * share one.
     *
     * @throws IllegalArgumentException naming {@code instanceId} if it breaks the id rule
     */
    public Builder instanceId(String id) {
      config.instanceId(id);
      return this;
    }

    /**
     * How long this engine's hold on a run lasts without renewal; default 30 s. The engine
     * renews its leases every third of it; a run whose owner stopped renewing is claimed by
     * another instance (or by this one) once its lease has expired on the store's clock.
     *
     * @throws IllegalArgumentException naming {@code leaseTime} unless between 100 ms and an
     *     hour
     */
    public Builder leaseTime(Duration time) {
      config.leaseTime(time);
      return this;
    }

    /**
     * How often this engine looks for the commands other instances stored for its runs
     * (stop, pause, resume, retry, config updates asked of an engine that does not own the
     * run); default 1 s, at most a sixth of the lease time whatever is set. An operation on a run
     * owned elsewhere takes about this long.
     *
     * @throws IllegalArgumentException naming {@code commandInterval} unless between 10 ms and a
     *     minute
     */
    public Builder commandInterval(Duration interval) {
      config.commandInterval(interval);
      return this;
    }

    /**
     * How long an operation on a run another instance owns waits for the owner to apply it
     * before it throws {@link CommandTimeoutException}; default 10 s.
     *
     * @throws IllegalArgumentException naming {@code commandTimeout} unless positive and at most
     *     an hour
     */
    public Builder commandTimeout(Duration timeout) {
      config.commandTimeout(timeout);
      return this;
    }

    /**
     * How a write the run store refuses with a {@link dev.dagflow.store.StoreException} is
     * retried: up to {@code retries} times (default 5), first after {@code backoff} (default
     * 20 ms), doubling up to {@code maxBackoff} (default 1 s). A run whose write cannot be
     * stored is dropped here and recovered from the store, by this instance or another.
     *
     * @throws IllegalArgumentException naming {@code storeRetry} if retries is not 0 to 100, or
     *     the backoffs are negative, out of order or over a minute
     */
    public Builder storeRetry(int retries, Duration backoff, Duration maxBackoff) {
      config.storeRetry(retries, backoff, maxBackoff);
      return this;
    }

    /**
     * How many log lines the engine buffers for the log store; default 10,000. Lines are
     * appended in batches, off the threads that write them, at least every 200 ms; a thread
     * that writes a line into a full buffer waits until there is room, so no line is dropped
     * for want of space. A log store failure is retried without limit with the {@link
     * #storeRetry storeRetry} backoffs (never fewer than 1 ms apart).
     *
     * @throws IllegalArgumentException naming {@code logBuffer} unless 1 to 1,000,000
     */
    public Builder logBuffer(int lines) {
      config.logBuffer(lines);
      return this;
    }

    /**
     * What the engine purges from its stores, every {@link Retention#every()} (default an hour)
     * from the time it starts, on a thread of its own ({@code dagflow-purge}): ended runs, logs
     * and processed event ids past their ages. Without it the engine purges nothing on its own;
     * {@link DagEngine#purge()} purges at once either way.
     */
    public Builder retention(Retention retention) {
      config.retention(retention);
      return this;
    }

    /** How long an idle pool lives before it is released; default 30 s, zero releases at once. */
    public Builder poolIdleTimeout(Duration timeout) {
      config.poolIdleTimeout(timeout);
      return this;
    }

    /**
     * The settings used where neither the node, the policy the DAG names, the project default
     * nor the global default sets them; its name and project are ignored. Default: one attempt,
     * no timeout, no limits, CONTINUE, the {@linkplain dev.dagflow.policy.SecretKeys#defaults()
     * default} secret keys.
     */
    public Builder engineDefaultPolicy(ExecutionPolicy policy) {
      config.engineDefaultPolicy(policy);
      return this;
    }

    public Builder listener(EngineListener listener) {
      config.listener(listener);
      return this;
    }

    /** The dependency evaluator; default {@link DependencyEvaluator#incremental()}. */
    public Builder evaluator(DependencyEvaluator evaluator) {
      config.evaluator(evaluator);
      return this;
    }

    /** Makes run ids; default random UUIDs. Ids must follow the id rule and be unique. */
    public Builder runIds(Supplier<String> ids) {
      config.runIds(ids);
      return this;
    }

    /** The source of retry jitter; default seeded from the system. */
    public Builder random(Random random) {
      config.random(random);
      return this;
    }

    /**
     * Where the engine reports attempts, retries, runs, worker pools, trigger firings and store
     * writes (see {@link EngineMetrics}), such as {@code MicrometerMetrics.of(registry)}; by
     * default nowhere, and nothing is measured.
     *
     * @throws IllegalStateException if metrics were set already
     */
    public Builder metrics(EngineMetrics metrics) {
      config.metrics(metrics);
      return this;
    }

    /** Builds the engine; call {@link DagEngine#start()} to run it. */
    public DagEngine build() {
      return config.build();
    }
  }
}
