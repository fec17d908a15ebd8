package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.RunStateChange;
import dev.dagflow.engine.RunView;
import dev.dagflow.engine.SubmitRequest;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.engine.UnknownNodeException;
import dev.dagflow.engine.UnknownTaskTypeException;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.policy.PolicyCenter;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.TemplateCatalog;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.TriggerFiring;
import dev.dagflow.trigger.TriggerRegistry;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.json.internal.Json;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.LogStore;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunCommand.Kind;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
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
  private final RunRegistry registry;
  private final Leases leases;
  private final Commands commands;
  private final StoreWatch watches;
  private final RunWrites writes;
  private final LogWriter logWriter;
  private final Policies policies;
  private final Templates templates;
  private final Triggers triggers;
  private final List<EngineListener> listeners;
  private final AtomicLong readySeq = new AtomicLong();
  private final Object lifecycle = new Object();
  private boolean starting;
  private volatile boolean started;
  /** Set when close() begins: nothing new is accepted or started. */
  private volatile boolean closed;
  /** Set once close() gives the runs up (after its grace period): no step runs any more. */
  private volatile boolean halted;
  /**
   * The attempts whose executor is running, each until the step that ends it is stored: what
   * close() waits for in its grace period.
   */
  private final Set<Attempt> running = ConcurrentHashMap.newKeySet();
  private final boolean tracksAttempts;
  /** Read on every transition: a plain flag is cheaper than asking the list. */
  private volatile boolean anyListener;

  /** Only {@link EngineConfig#build()} makes one, from a copy with every default filled in. */
  Engine(EngineConfig config) {
    this.config = config;
    this.runs = config.runStore;
    this.logs = config.logStore;
    this.ownTimer = config.timeSource == null ? new SystemTimeSource("dagflow-timer") : null;
    this.time = config.timeSource != null ? config.timeSource : ownTimer;
    this.tracksAttempts = !config.shutdownGracePeriod.isZero();
    this.writes = new RunWrites(runs, config.storeRetries, config.storeRetryBackoff,
        config.storeRetryMaxBackoff);
    this.logWriter = new LogWriter(logs, config.logBuffer, config.storeRetryBackoff,
        config.storeRetryMaxBackoff);
    this.registry = new RunRegistry(this, config);
    this.leases = new Leases(registry, runs, config.instanceId, config.leaseTime);
    this.watches = new StoreWatch(leases.timer());
    this.commands = new Commands(this, runs, config.instanceId, config.commandInterval,
        config.commandTimeout);
    this.listeners = new CopyOnWriteArrayList<>(config.listeners);
    this.anyListener = !listeners.isEmpty();
    this.policies = new Policies(config.policyStore, config.engineDefaultPolicy);
    this.templates = new Templates(config.templateStore, this);
    this.triggers = new Triggers(config.triggerStore, config.triggerMatcher, this, templates);
  }

  // ---- lifecycle --------------------------------------------------------------------------

  @Override
  public void start() {
    synchronized (lifecycle) {
      if (closed) {
        throw new IllegalStateException("engine is closed");
      }
      if (starting) {
        throw new IllegalStateException("engine already started");
      }
      starting = true;
    }
    triggers.load();
    // claims what is free now: the runs of engines that stopped, then more on a timer
    leases.start();
    commands.start();
    started = true;
  }

  @Override
  public void close() {
    synchronized (lifecycle) {
      if (closed) {
        return;
      }
      closed = true;
      halted = config.shutdownGracePeriod.isZero();
    }
    leases.stopClaiming();
    commands.close();
    watches.close(); // awaits of runs owned elsewhere, commands waiting for their owners
    List<String> abandoned = new ArrayList<>();
    if (!halted) {
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
      halted = true;
    }
    // a bound in real time, whatever the time source says: a manual clock never moves here
    long deadline = System.nanoTime() + config.shutdownTimeout.toNanos();
    long unwritten = logWriter.close(deadline); // before the leases go: the lines are ours
    if (unwritten > 0) {
      abandoned.add(unwritten + " log lines, which the log store did not take in time");
    }
    abandoned.addAll(registry.close(deadline)); // and releases its leases
    if (!leases.close(deadline)) {
      abandoned.add("the lease thread dagflow-leases, still busy");
    }
    if (ownTimer != null && !ownTimer.close(deadline)) {
      abandoned.add("the timer thread dagflow-timer, still busy in a task");
    }
    if (!abandoned.isEmpty()) {
      LOG.warn("close() gave up after {} and abandoned: {}", config.shutdownGracePeriod.isZero()
          ? config.shutdownTimeout : config.shutdownGracePeriod + " + " + config.shutdownTimeout,
          String.join("; ", abandoned));
    }
  }

  /** Whether the engine runs no more steps: closed, and its grace period over. */
  boolean isClosed() {
    return halted;
  }

  /** Whether close() has begun: nothing new starts, not even a ready node. */
  boolean isClosing() {
    return closed;
  }

  /**
   * Whether close() waits for running attempts, and so the engine tracks them: only with a
   * grace period, so that the default costs the hot path nothing.
   */
  boolean tracksAttempts() {
    return tracksAttempts;
  }

  /** An attempt's executor was called (or re-attached to). */
  void attemptStarted(Attempt a) {
    if (tracksAttempts) {
      running.add(a);
    }
  }

  /** The step that ended an attempt is stored: close() may stop waiting for it. */
  void attemptSettled(Attempt a) {
    if (running.remove(a) && closed) {
      synchronized (running) {
        running.notifyAll();
      }
    }
  }

  private void requireRunning() {
    if (!started) {
      throw new IllegalStateException("engine not started: call start() first");
    }
    if (closed) {
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
        .orElseGet(() -> RunPlacement.ofSpec(request.spec().orElseThrow()));
    return start(newRunId(), place, template, request.params(), request.operator(),
        Optional.empty(), 0, Optional.empty());
  }

  /** The next number in the order nodes become ready, across every run. */
  long nextReadySeq() {
    return readySeq.incrementAndGet();
  }

  /** A new run id from the builder's source. */
  String newRunId() {
    return EngineConfig.checkRunId(config.runIds.get());
  }

  /**
   * Starts a run with an id the caller made with {@link #newRunId()}: checks its task types and
   * policies, stores it PENDING, and admits it to its pool or lets it wait there.
   *
   * @param startKey what makes this start happen once (see {@link RunRecord#startKey()})
   * @throws dev.dagflow.store.DuplicateStartException if a stored run has {@code startKey}
   */
  String start(String runId, RunPlacement place, Optional<DagTemplate> template,
      ObjectNode params, Optional<String> operator, Optional<String> cause, int chainDepth,
      Optional<String> startKey) {
    registry.create(runId, place, template, params, operator, cause, chainDepth, startKey);
    return runId;
  }

  RunRegistry registry() {
    return registry;
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
  public List<TriggerFiring> emit(Event event) {
    Objects.requireNonNull(event, "event");
    requireRunning();
    Event stamped = event.time().isPresent() ? event : event.withTime(time.now());
    notifyListeners(stamped);
    return triggers.fire(stamped, config.maxChainDepth);
  }

  /** The deepest chain of triggered runs whose events still fire triggers. */
  int maxChainDepth() {
    return config.maxChainDepth;
  }

  /** Whether an event of {@code type} would reach anyone: a trigger or a listener. */
  boolean wantsEvent(String type) {
    return triggers.listensFor(type) || hasListeners();
  }

  /** Emits an event of the engine's own; a failure is logged, never thrown. */
  void emitQuietly(Event event) {
    if (closed) {
      return;
    }
    try {
      emit(event);
    } catch (RuntimeException e) {
      LOG.error("emitting {} failed", event, e);
    }
  }

  /**
   * A run's end is stored: its trigger may start a queued event, and {@code ended}, the event
   * that ending built (null if none), goes out. The event is the ending's own: a retry that
   * re-opened the run since (and maybe ended it again) neither changes nor repeats it.
   */
  void runFinished(String runId, Event ended) {
    RunRecord r = runs.run(runId).orElse(null);
    if (r != null && r.state().isTerminal()) {
      triggers.runEnded(runId); // re-opened by a retry meanwhile: it is still its trigger's
    }
    if (ended != null) {
      emitQuietly(ended);
    }
  }

  /**
   * Writes a line of the run itself to run {@code runId}'s log if that names a run: stored if
   * this engine runs it, or ran it lately (its log is among the {@link LogWriter#RECENT_RUNS}
   * kept); else echoed only, since the run's numbering is its owner's. Never waits for room.
   */
  void logIfRun(String runId, LogLevel level, String message) {
    ActiveRun active = registry.get(runId);
    RunLog log = active != null ? active.log : logWriter.recent(runId);
    Optional<String> project = log != null ? log.project
        : runs.run(runId).map(RunRecord::project).orElse(null);
    if (project == null) {
      return; // no such run
    }
    String scrubbed = active == null ? message : active.secrets.scrub(message);
    LogEcho.echo(runId, Optional.empty(), 0, level, scrubbed, project, Optional.empty());
    if (log != null) {
      logWriter.append(log, Optional.empty(), 0, level, scrubbed, time.now(), false);
    } else {
      LOG.debug("run {} is not run by this engine: a line not stored in its log: {}", runId,
          scrubbed);
    }
  }

  void checkTaskTypes(DagSpec spec) {
    Map<String, String> unknown = new LinkedHashMap<>();
    for (NodeSpec node : spec.nodes()) {
      node.taskType().filter(type -> !config.executors.containsKey(type))
          .ifPresent(type -> unknown.put(node.id(), type));
    }
    if (!unknown.isEmpty()) {
      throw new UnknownTaskTypeException(spec.id(), unknown);
    }
  }

  // ---- operations -------------------------------------------------------------------------

  @Override
  public RunView get(String runId) {
    RunRecord record = record(runId);
    return Views.run(record, runs.nodes(runId), runs.attempts(runId),
        registry.secretKeys(record));
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
    ActiveRun run = registry.unfinished(runId, nodeId, why);
    if (run == null) {
      commands.send(runId, kind, Optional.ofNullable(nodeId), Optional.empty(), operator);
    } else {
      op.accept(run);
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
      return new NodeExplanation(nodeId, node.state(), List.of());
    }
    return run.control().explain(node(run, nodeId));
  }

  @Override
  public void addListener(EngineListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
    anyListener = true;
  }

  @Override
  public Set<String> workerPools() {
    return registry.poolKeys();
  }

  // ---- for runs ---------------------------------------------------------------------------

  RunStore runs() {
    return runs;
  }

  RunWrites writes() {
    return writes;
  }

  Leases leases() {
    return leases;
  }

  StoreWatch watches() {
    return watches;
  }

  TimeSource time() {
    return time;
  }

  DependencyEvaluator evaluator() {
    return config.evaluator;
  }

  NodeExecutor executor(String taskType) {
    return config.executors.get(taskType);
  }

  boolean hasListeners() {
    return anyListener;
  }

  void notifyListeners(Object notice) {
    for (EngineListener l : listeners) {
      if (notice instanceof StateTransition t) {
        Guard.run("listener " + l, () -> l.onTransition(t));
      } else if (notice instanceof RunStateChange c) {
        Guard.run("listener " + l, () -> l.onRunStateChange(c));
      } else if (notice instanceof Event e) {
        Guard.run("listener " + l, () -> l.onEvent(e));
      }
    }
  }

  /**
   * Writes a line of node {@code node} of {@code run}, attempt {@code attempt}, to the log: it
   * is echoed at once and buffered for the log store. A full buffer holds the calling thread
   * until there is room, unless it holds the run's lock (the engine's own notes, host code
   * called inside a step): a step never waits for the log store.
   */
  void log(ActiveRun run, NodeSpec node, int attempt, LogLevel level, String message) {
    String scrubbed = run.secrets.scrub(message); // executors may quote their config
    Optional<String> nodeId = Optional.of(node.id());
    LogEcho.echo(run.runId, nodeId, attempt, level, scrubbed, run.project, node.taskType());
    logWriter.append(run.log, nodeId, attempt, level, scrubbed, time.now(),
        !run.lock.isHeldByCurrentThread());
  }

  LogWriter logWriter() {
    return logWriter;
  }

  Duration jitter(Duration wait, double jitter) {
    if (jitter == 0 || wait.isZero()) {
      return wait;
    }
    double factor = 1 + jitter * (2 * config.random.nextDouble() - 1);
    return Duration.ofNanos(Math.max(0, (long) (wait.toNanos() * factor)));
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
    ActiveRun run = registry.forOperation(runId, nodeId);
    if (run == null) {
      commands.send(runId, kind, Optional.of(nodeId), patch, operator);
      return;
    }
    try {
      op.accept(run.control(), node(run, nodeId));
    } finally {
      registry.release(run);
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
