package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.CriticalPath;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.IdempotencyConflictException;
import dev.dagflow.engine.IdempotencyStrategy;
import dev.dagflow.engine.RunView;
import dev.dagflow.engine.SubmitRequest;
import dev.dagflow.internal.SpecGraph;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.engine.UnknownNodeException;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.policy.PolicyCenter;
import dev.dagflow.schedule.ScheduleRegistry;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.TemplateCatalog;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerRegistry;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.IdempotencyKeyTakenException;
import dev.dagflow.store.KeyReuse;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.LogStore;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunCommand.Kind;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.Retention;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.Stores;
import dev.dagflow.store.RunSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The engine behind {@link DagEngine}: runs, pools, timers and stores wired together. */
public final class Engine implements DagEngine {
  private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
  /** The longest {@link #logs} waits for the lines this engine buffered to be written. */
  static final Duration LOG_QUERY_WAIT = Duration.ofSeconds(1);

  private final EngineConfig config;
  private final RunStore runs;
  private final LogStore logs;
  private final TimeSource time;
  private final SystemTimeSource ownTimer;
  /** The schedules' timer ({@code dagflow-schedules}) beside the system clock; else null. */
  private final SystemTimeSource scheduleTimer;
  /** The purges' timer ({@code dagflow-purge}); null without a retention. */
  private final SystemTimeSource purges;
  /** What the runs and the other internal classes need of the engine. */
  private final RunServices services;
  private final RunRegistry registry;
  private final Leases leases;
  private final Commands commands;
  private final StoreWatch watches;
  private final LogWriter logWriter;
  private final Policies policies;
  private final Templates templates;
  private final Triggers triggers;
  private final Schedules schedules;
  private final Object lifecycle = new Object();
  private boolean starting;
  private volatile boolean started;

  /** Only {@link EngineConfig#build()} makes one, from a copy with every default filled in. */
  Engine(EngineConfig config) {
    this.config = config;
    this.runs = config.runStore;
    this.logs = config.logStore;
    this.ownTimer = config.timeSource == null ? new SystemTimeSource("dagflow-timer") : null;
    this.purges = config.retention == null ? null : new SystemTimeSource("dagflow-purge");
    this.time = config.timeSource != null ? config.timeSource : ownTimer;
    this.services = new RunServices(config, time, this::emit, this::stop);
    this.logWriter = services.logWriter();
    this.registry = services.registry();
    this.leases = services.leases();
    this.watches = services.watches();
    this.commands = new Commands(services, runs, config.instanceId, config.commandInterval,
        config.commandTimeout);
    this.policies = new Policies(config.policyStore, config.engineDefaultPolicy);
    this.templates = services.templates();
    this.triggers = services.triggers();
    // a run's start may wait on the store: not on the timer every run's timeouts share
    this.scheduleTimer = config.timeSource == null ? new SystemTimeSource("dagflow-schedules")
        : null;
    this.schedules = new Schedules(config.scheduleStore, services, templates,
        scheduleTimer != null ? scheduleTimer : time, this::stop);
  }

  // ---- lifecycle --------------------------------------------------------------------------

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (services.isClosing()) {
        throw new IllegalStateException("engine is closed");
      }
      if (starting) {
        throw new IllegalStateException("engine already started");
      }
      starting = true;
    }
    triggers.load();
    leases.afterEachClaim(triggers::startQueued); // events queued by runs that ended elsewhere
    leases.afterEachClaim(schedules::refresh); // schedules saved or changed elsewhere
    Instant startedAt = Instant.now();
    leases.afterEachClaim(() -> runs.heartbeat(config.instanceId, startedAt));
    // before the claims: a run restored now may end at once, and its events must go out; a
    // run submitted meanwhile is this engine's, with a live lease, so it is never claimed
    started = true;
    // claims what is free now: the runs of engines that stopped, then more on a timer
    leases.start();
    commands.start();
    schedules.start(); // after the claims: a missed fire time's run may be claimed already
    if (config.retention != null) {
      schedulePurge(config.retention);
    }
  }

  /** On a thread of its own: a long purge must not hold up claims, admissions and retries. */
  private void schedulePurge(Retention retention) {
    SystemTimeSource timer = purges;
    timer.schedule(timer.now().plus(retention.every()), () -> {
      if (services.isClosing()) {
        return;
      }
      try {
        Retention.PurgeReport purged = retention.purge(stores(), time.now());
        LOG.info("purged {} ended runs, {} log lines and {} processed event ids ({})",
            purged.runs(), purged.logLines(), purged.processedEvents(), retention);
      } catch (RuntimeException e) {
        LOG.warn("a purge failed; the next one is in {}", retention.every(), e);
      } finally {
        schedulePurge(retention);
      }
    });
  }

  @Override
  public Retention.PurgeReport purge() {
    Retention retention = config.retention != null ? config.retention
        : Retention.builder().build();
    return retention.purge(stores(), time.now());
  }

  private Stores stores() {
    return Stores.of(runs, logs, config.policyStore, config.templateStore, config.triggerStore,
        config.scheduleStore);
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (services.isClosing()) {
        return;
      }
      services.closing(config.shutdownGracePeriod.isZero());
    }
    leases.stopClaiming();
    schedules.close();
    services.admissions().close();
    commands.close();
    watches.close(); // awaits of runs owned elsewhere, commands waiting for their owners
    List<String> abandoned = new ArrayList<>();
    if (!services.isClosed()) {
      Set<Attempt> running = services.runningAttempts();
      // real time, as the timeout: a manual clock never moves here
      long graceEnd = System.nanoTime() + config.shutdownGracePeriod.toNanos();
      LOG.info("close(): no node starts any more; waiting up to {} for {} running attempts",
          config.shutdownGracePeriod, running.size());
      synchronized (running) {
        if (!Waits.until(running, running::isEmpty, graceEnd)) {
          List<String> keys = running.stream().map(Attempt::toString).sorted().toList();
          abandoned.add("attempts " + keys + ", still running when the grace period ended");
        }
      }
      services.halt();
    }
    // a bound in real time, whatever the time source says: a manual clock never moves here
    long deadline = System.nanoTime() + config.shutdownTimeout.toNanos();
    long unwritten = logWriter.close(deadline); // before the leases go: the lines are ours
    if (unwritten > 0) {
      abandoned.add(unwritten + " log lines, which the log store did not take in time");
    }
    abandoned.addAll(registry.close(deadline)); // and releases its leases
    if (!leases.close(deadline)) {
      abandoned.add("the lease threads dagflow-leases and dagflow-claims, still busy");
    }
    if (ownTimer != null && !ownTimer.close(deadline)) {
      abandoned.add("the timer thread dagflow-timer, still busy in a task");
    }
    if (scheduleTimer != null && !scheduleTimer.close(deadline)) {
      abandoned.add("the schedule thread dagflow-schedules, still busy starting a run");
    }
    if (purges != null && !purges.close(deadline)) {
      abandoned.add("the purge thread dagflow-purge, still busy purging");
    }
    if (!abandoned.isEmpty()) {
      LOG.warn("close() gave up after {} and abandoned: {}", config.shutdownGracePeriod.isZero()
          ? config.shutdownTimeout : config.shutdownGracePeriod + " + " + config.shutdownTimeout,
          String.join("; ", abandoned));
    }
  }

  private void requireRunning() {
    if (!started) {
      throw new IllegalStateException("engine not started: call start() first");
    }
    if (services.isClosing()) {
      throw new IllegalStateException("engine is closed");
    }
  }

  // ---- submit -----------------------------------------------------------------------------

  @Override
  public String submit(SubmitRequest request) {
    Objects.requireNonNull(request, "request");
    requireRunning();
    Optional<DagTemplate> template = request.template()
        .map(name -> templates.resolve(name, request.templateVersion(), Optional.empty()));
    RunPlacement place = template.map(RunPlacement::ofTemplate)
        .orElseGet(() -> RunPlacement.ofSpec(request.spec().orElseThrow()))
        .withTargets(request.targets());
    String runId = services.newRunId();
    IdempotencyStrategy strategy = request.idempotencyStrategy();
    try {
      registry.create(runId, place, template, request.params(), request.operator(),
          Optional.empty(), 0, Optional.empty(), request.idempotencyKey(),
          strategy == IdempotencyStrategy.FAIL_ON_RUNNING ? KeyReuse.AFTER_END : KeyReuse.NEVER);
    } catch (IdempotencyKeyTakenException e) {
      if (strategy == IdempotencyStrategy.RETURN_EXISTING) {
        return e.existingRunId();
      }
      throw new IdempotencyConflictException(e.idempotencyKey(), e.project(),
          e.existingRunId(), strategy);
    }
    return runId;
  }

  @Override
  public PolicyCenter policies() {
    return policies;
  }

  @Override
  public TemplateCatalog templates() {
    return templates;
  }

  @Override
  public TriggerRegistry triggers() {
    return triggers;
  }

  @Override
  public ScheduleRegistry schedules() {
    return schedules;
  }

  @Override
  public List<TriggerFiring> emit(Event event) {
    Objects.requireNonNull(event, "event");
    requireRunning();
    Event stamped = event.time().isPresent() ? event : event.withTime(time.now());
    services.notifyListeners(stamped);
    return triggers.fire(stamped, config.maxChainDepth);
  }

  // ---- operations -------------------------------------------------------------------------

  @Override
  public RunView get(String runId) {
    RunRecord record = record(runId);
    return Views.run(record, runs.nodes(runId), runs.attempts(runId),
        registry.secretKeys(record));
  }

  @Override
  public CriticalPath criticalPath(String runId) {
    return get(runId).criticalPath(time.now());
  }

  @Override
  public Page<RunSummary> list(RunQuery query) {
    return runs.list(Objects.requireNonNull(query, "query")); // no spec: nothing to redact
  }

  @Override
  public void stop(String runId, String operator) {
    requireRunning();
    checkOperator(operator);
    onRun(runId, null, "nothing to stop", Kind.STOP, operator,
        run -> run.control().stop(operator));
  }

  @Override
  public void stopNode(String runId, String nodeId, String operator) {
    requireRunning();
    Objects.requireNonNull(nodeId, "nodeId");
    checkOperator(operator);
    onRun(runId, nodeId, "nothing to stop", Kind.STOP_NODE, operator,
        run -> run.control().stopNode(node(run, nodeId), operator));
  }

  @Override
  public void pause(String runId, String operator) {
    requireRunning();
    checkOperator(operator);
    onRun(runId, null, "only a RUNNING run can be paused", Kind.PAUSE, operator,
        run -> run.control().pause(operator));
  }

  @Override
  public void resume(String runId, String operator) {
    requireRunning();
    checkOperator(operator);
    onRun(runId, null, "only a PAUSED run can be resumed", Kind.RESUME, operator,
        run -> run.control().resume(operator));
  }

  /**
   * Applies {@code op} to an unfinished run here, or sends it as a command of {@code kind} to
   * the instance that holds the run; see {@link RunRegistry#unfinished}.
   */
  private void onRun(String runId, String nodeId, String why, Kind kind, String operator,
      Consumer<ActiveRun> op) {
    for (int tries = 1; ; tries++) {
      ActiveRun run = registry.unfinished(runId, nodeId, why);
      if (run == null) {
        commands.send(runId, kind, Optional.ofNullable(nodeId), Optional.empty(), operator);
        return;
      }
      try {
        op.accept(run);
        return;
      } catch (RunDroppedException e) {
        if (tries == 2) {
          throw e;
        }
        // given up here just now (its lease lost): ask again where the run is
      }
    }
  }

  @Override
  public void retry(String runId, String nodeId, String operator) {
    requireRunning();
    checkOperator(operator);
    onNode(runId, nodeId, Kind.RETRY, Optional.empty(), operator,
        (control, v) -> control.retry(v, operator));
  }

  @Override
  public void updateNodeConfig(String runId, String nodeId, ObjectNode patch, String operator) {
    requireRunning();
    Objects.requireNonNull(patch, "patch");
    checkOperator(operator);
    ObjectNode copy = Json.canonicalCopy(patch, "patch", NativeDepths.CONFIG_DEPTH);
    onNode(runId, nodeId, Kind.UPDATE_CONFIG, Optional.of(copy), operator,
        (control, v) -> control.updateConfig(v, copy, operator));
  }

  /**
   * Reads the store; first, for a run this engine writes, waits (up to {@link #LOG_QUERY_WAIT})
   * until the lines it buffered before the call are written.
   */
  @Override
  public List<LogEntry> logs(LogQuery query) {
    String runId = Objects.requireNonNull(query, "query").runId();
    record(runId);
    ActiveRun active = registry.get(runId);
    RunLog log = active != null ? active.log : logWriter.recent(runId);
    if (log != null) {
      logWriter.awaitWritten(log, System.nanoTime() + LOG_QUERY_WAIT.toNanos());
    }
    return logs.query(query);
  }

  @Override
  public List<HistoryEntry> history(String runId) {
    record(runId);
    return runs.history(runId);
  }

  @Override
  public List<StateTransition> transitions(String runId) {
    record(runId);
    return runs.transitions(runId);
  }

  @Override
  public List<StateTransition> transitions(String runId, long skip, int limit) {
    if (skip < 0 || limit < 1) {
      throw new IllegalArgumentException("skip must be >= 0 and limit >= 1, were " + skip
          + " and " + limit);
    }
    record(runId);
    return runs.transitions(runId, skip, limit);
  }

  @Override
  public RunView await(String runId, Duration timeout)
      throws InterruptedException, TimeoutException {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(timeout, "timeout");
    long deadline = System.nanoTime() + timeout.toNanos();
    ActiveRun run = registry.get(runId);
    if (run != null) {
      try {
        run.done().get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        return get(runId);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof RunDroppedException)) {
          throw new IllegalStateException("run " + runId + " ended abnormally", e.getCause());
        }
        // given up here: whoever owns it now finishes it, and the store tells when
      } catch (TimeoutException e) {
        throw new TimeoutException("run '" + runId + "' has not ended within " + timeout);
      }
    }
    RunRecord record = record(runId);
    if (!record.state().isTerminal()) {
      awaitStoredEnd(runId, deadline, timeout);
    }
    return get(runId);
  }

  @Override
  public CompletionStage<RunView> completion(String runId) {
    Objects.requireNonNull(runId, "runId");
    ActiveRun run = registry.get(runId);
    CompletableFuture<RunView> view = new CompletableFuture<>();
    if (run != null) {
      run.done().whenComplete((state, error) -> {
        if (error == null) {
          completeWithView(view, runId);
        } else if (unwrap(error) instanceof RunDroppedException) {
          watchStoredEnd(runId, view); // given up here: the store tells when it ends
        } else {
          view.completeExceptionally(new IllegalStateException("run " + runId
              + " ended abnormally", unwrap(error)));
        }
      });
      return view;
    }
    if (record(runId).state().isTerminal()) { // throws UnknownRunException
      completeWithView(view, runId);
    } else {
      watchStoredEnd(runId, view);
    }
    return view;
  }

  private void watchStoredEnd(String runId, CompletableFuture<RunView> view) {
    CompletableFuture<Boolean> ended = watches.watch(watchInterval(), () -> runs.run(runId)
        .filter(r -> !r.state().isTerminal()).isPresent() ? Optional.empty()
        : Optional.of(Boolean.TRUE));
    view.whenComplete((v, e) -> ended.cancel(false)); // a cancelled view stops the reads
    ended.whenComplete((done, error) -> {
      if (error == null) {
        completeWithView(view, runId);
      } else {
        view.completeExceptionally(unwrap(error));
      }
    });
  }

  private void completeWithView(CompletableFuture<RunView> view, String runId) {
    try {
      view.complete(get(runId));
    } catch (RuntimeException e) {
      view.completeExceptionally(e);
    }
  }

  private static Throwable unwrap(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }

  /**
   * Waits until the store has run {@code runId} ended, reading it every {@link
   * #watchInterval()}: the run is owned by another instance, or by nobody yet.
   */
  private void awaitStoredEnd(String runId, long deadline, Duration timeout)
      throws InterruptedException, TimeoutException {
    try {
      watches.await(watchInterval(), () -> runs.run(runId)
          .filter(r -> !r.state().isTerminal()).isPresent() ? Optional.empty()
          : Optional.of(Boolean.TRUE), deadline);
    } catch (TimeoutException e) {
      throw new TimeoutException("run '" + runId + "' has not ended within " + timeout);
    }
  }

  /** How often a run owned elsewhere is read back from the store: as commands are looked for. */
  Duration watchInterval() {
    return config.commandInterval;
  }

  @Override
  public NodeExplanation explain(String runId, String nodeId) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    ActiveRun run = registry.get(runId);
    if (run == null) {
      RunRecord record = record(runId);
      if (record.spec().indexOf(nodeId) < 0) {
        throw new UnknownNodeException(runId, nodeId);
      }
      NodeRecord node = runs.nodes(runId).stream().filter(n -> n.nodeId().equals(nodeId))
          .findFirst().orElse(NodeRecord.pending(runId, nodeId));
      return withTargetReason(new NodeExplanation(nodeId, node.state(), List.of()),
          record.spec(), record.spec().indexOf(nodeId));
    }
    int v = node(run, nodeId);
    return withTargetReason(run.control().explain(v), run.spec, v);
  }

  /** {@code e}, with the reason if the node was skipped as the run's targets do not need it. */
  private static NodeExplanation withTargetReason(NodeExplanation e, DagSpec spec, int v) {
    SpecGraph graph = SpecGraph.of(spec);
    if (e.state() != NodeState.SKIPPED || !graph.notNeeded(v)) {
      return e;
    }
    return e.withReason(graph.targetReason());
  }

  @Override
  public void addListener(EngineListener listener) {
    services.addListener(Objects.requireNonNull(listener, "listener"));
  }

  @Override
  public Set<String> workerPools() {
    return registry.poolKeys();
  }

  // ---- look-ups ---------------------------------------------------------------------------

  private RunRecord record(String runId) {
    return registry.record(runId);
  }

  /**
   * Applies {@code op} to a node of a running run, or of an ended one loaded for it; sends it
   * as a command of {@code kind} to the instance that holds the run if another does.
   */
  private void onNode(String runId, String nodeId, Kind kind, Optional<ObjectNode> patch,
      String operator, BiConsumer<RunControl, Integer> op) {
    for (int tries = 1; ; tries++) {
      ActiveRun run = registry.forOperation(runId, nodeId);
      if (run == null) {
        commands.send(runId, kind, Optional.of(nodeId), patch, operator);
        return;
      }
      try {
        op.accept(run.control(), node(run, nodeId));
        return;
      } catch (RunDroppedException e) {
        if (tries == 2) {
          throw e;
        }
        // given up here just now (its lease lost): ask again where the run is
      } finally {
        registry.release(run);
      }
    }
  }

  private static int node(ActiveRun run, String nodeId) {
    Objects.requireNonNull(nodeId, "nodeId");
    int v = run.spec.indexOf(nodeId);
    if (v < 0) {
      throw new UnknownNodeException(run.runId, nodeId);
    }
    return v;
  }

  private static String checkOperator(String operator) {
    Objects.requireNonNull(operator, "operator");
    if (operator.isBlank()) {
      throw new IllegalArgumentException("operator must not be blank");
    }
    return operator;
  }
}
