package dev.dagflow.engine.internal;

import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.RunStateChange;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.engine.UnknownTaskTypeException;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.log.LogLevel;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.trigger.Event;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the engine's runs and their helpers need of the engine, in one place: its time source,
 * run store and writes, evaluator, executors by task type, log writer, listeners, events,
 * registry of runs, leases, templates and triggers, and whether it is closing. The {@link
 * Engine} builds it and stays the facade; the internal classes get this instead of the facade.
 * Thread-safe.
 */
final class RunServices {
  private static final Logger LOG = LoggerFactory.getLogger(RunServices.class);

  final EngineConfig config;
  private final RunStore runs;
  private final TimeSource time;
  private final RunWrites writes;
  private final LogWriter logWriter;
  private final RunRegistry registry;
  private final Leases leases;
  private final StoreWatch watches;
  private final Admissions admissions;
  private final Metrics metrics;
  private final Templates templates;
  private final Triggers triggers;
  private final Consumer<Event> emit;
  private final List<EngineListener> listeners;
  /** Read on every transition: a plain flag is cheaper than asking the list. */
  private volatile boolean anyListener;
  private final AtomicLong readySeq = new AtomicLong();
  /**
   * The attempts whose executor is running, each until the step that ends it is stored: what
   * close() waits for in its grace period.
   */
  private final Set<Attempt> running = ConcurrentHashMap.newKeySet();
  private final boolean tracksAttempts;
  /** Set when close() begins: nothing new is accepted or started. */
  private volatile boolean closing;
  /** Set once close() gives the runs up (after its grace period): no step runs any more. */
  private volatile boolean halted;

  /**
   * Builds the services over {@code config}, with time from {@code time}; {@code emit} is the
   * engine's {@code emit} and {@code stop} its {@code stop(runId, operator)}, for triggers.
   */
  RunServices(EngineConfig config, TimeSource time, Consumer<Event> emit,
      BiConsumer<String, String> stop) {
    this.config = config;
    this.runs = config.runStore;
    this.time = time;
    this.emit = emit;
    this.tracksAttempts = !config.shutdownGracePeriod.isZero();
    this.metrics = new Metrics(config.metrics);
    this.writes = new RunWrites(runs, this::leaseTimer, config.storeRetries,
        config.storeRetryBackoff, config.storeRetryMaxBackoff, metrics);
    this.logWriter = new LogWriter(config.logStore, config.logBuffer, config.storeRetryBackoff,
        config.storeRetryMaxBackoff);
    this.listeners = new CopyOnWriteArrayList<>(config.listeners);
    this.anyListener = !listeners.isEmpty();
    this.registry = new RunRegistry(this, config);
    this.leases = new Leases(registry, runs, config.instanceId, config.leaseTime);
    this.watches = new StoreWatch(leases.timer());
    this.admissions = new Admissions(runs, leases.timer(), config.leaseTime.dividedBy(3));
    this.templates = new Templates(config.templateStore, this);
    this.triggers = new Triggers(config.triggerStore, config.triggerMatcher, this, templates,
        stop);
  }

  // ---- what the engine is made of ---------------------------------------------------------

  TimeSource time() {
    return time;
  }

  RunStore runs() {
    return runs;
  }

  RunWrites writes() {
    return writes;
  }

  LogWriter logWriter() {
    return logWriter;
  }

  RunRegistry registry() {
    return registry;
  }

  Leases leases() {
    return leases;
  }

  Admissions admissions() {
    return admissions;
  }

  StoreWatch watches() {
    return watches;
  }

  Metrics metrics() {
    return metrics;
  }

  Templates templates() {
    return templates;
  }

  Triggers triggers() {
    return triggers;
  }

  DependencyEvaluator evaluator() {
    return config.evaluator;
  }

  NodeExecutor executor(String taskType) {
    return config.executors.get(taskType);
  }

  void checkTaskTypes(DagSpec spec) {
    Map<String, String> unknown = new LinkedHashMap<>();
    for (NodeSpec node : spec.nodes()) {
      node.taskType().filter(type -> !config.executors.containsKey(type))
          .ifPresent(type -> unknown.put(node.id(), type));
    }
    if (!unknown.isEmpty()) { // nodes inside a subtree another executor runs need none
      Subtrees.driven(spec, config.executors::get).forEach(unknown::remove);
    }
    if (!unknown.isEmpty()) {
      throw new UnknownTaskTypeException(spec.id(), unknown);
    }
  }

  /** The deepest chain of triggered runs whose events still fire triggers. */
  int maxChainDepth() {
    return config.maxChainDepth;
  }

  /** A new run id from the builder's source. */
  String newRunId() {
    return EngineConfig.checkRunId(config.runIds.get());
  }

  /** The next number in the order nodes become ready, across every run. */
  long nextReadySeq() {
    return readySeq.incrementAndGet();
  }

  /** {@code wait}, moved by up to {@code jitter} (a fraction) either way, from the seed. */
  Duration jitter(Duration wait, double jitter) {
    if (jitter == 0 || wait.isZero()) {
      return wait;
    }
    double factor = 1 + jitter * (2 * config.random.nextDouble() - 1);
    return Duration.ofNanos(Math.max(0, (long) (wait.toNanos() * factor)));
  }

  // ---- closing ----------------------------------------------------------------------------

  /** close() began: nothing starts any more; with {@code halt}, no step runs either. */
  void closing(boolean halt) {
    closing = true;
    halted = halt;
  }

  /** close()'s grace period is over: no step runs any more. */
  void halt() {
    halted = true;
  }

  /** Whether the engine runs no more steps: closed, and its grace period over. */
  boolean isClosed() {
    return halted;
  }

  /** Whether close() has begun: nothing new starts, not even a ready node. */
  boolean isClosing() {
    return closing;
  }

  /**
   * Whether close() waits for running attempts, and so the engine tracks them: only with a
   * grace period, so that the default costs the hot path nothing.
   */
  boolean tracksAttempts() {
    return tracksAttempts;
  }

  /** The attempts running now, when tracked; close() waits on this set for it to empty. */
  Set<Attempt> runningAttempts() {
    return running;
  }

  /** An attempt's executor was called (or re-attached to). */
  void attemptStarted(Attempt a) {
    if (tracksAttempts) {
      running.add(a);
    }
  }

  /** The step that ended an attempt is stored: close() may stop waiting for it. */
  void attemptSettled(Attempt a) {
    if (running.remove(a) && closing) {
      synchronized (running) {
        running.notifyAll();
      }
    }
  }

  // ---- listeners and events ---------------------------------------------------------------

  void addListener(EngineListener listener) {
    listeners.add(listener);
    anyListener = true;
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

  /** Whether an event of {@code type} would reach anyone: a trigger or a listener. */
  boolean wantsEvent(String type) {
    return triggers.listensFor(type) || hasListeners();
  }

  /** Emits an event of the engine's own; a failure is logged, never thrown. */
  void emitQuietly(Event event) {
    if (closing) {
      return;
    }
    try {
      emit.accept(event);
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
      triggers.runEnded(r); // unless re-opened by a retry meanwhile: still its trigger's
    }
    if (ended != null) {
      emitQuietly(ended);
    }
  }

  // ---- logs -------------------------------------------------------------------------------

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

  /** The real-time timer beside the renewals: for retries of failed writes, among others. */
  private TimeSource leaseTimer() {
    return leases.timer();
  }
}
