package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.engine.UpstreamOutcome;
import dev.dagflow.engine.RunStateChange;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.eval.Gate;
import dev.dagflow.eval.NodeExplanation;
import dev.dagflow.eval.RunEvaluation;
import dev.dagflow.eval.TransitionListener;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.log.LogLevel;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunRecord;
import dev.dagflow.trigger.Event;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run the engine is running: its evaluation, the runtime state of its nodes, its attempts in
 * flight and the nodes it holds back (paused, or at its parallel limit).
 *
 * <p>Every change happens in a {@link #step}: under the run's lock, the evaluation is driven,
 * the changes are collected and written to the run store at once, and only then, outside the
 * lock, are user callbacks (cancel, update) made and listeners told.
 */
final class ActiveRun extends SerialRun implements TransitionListener {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveRun.class);

  static final Comparator<ActiveRun> ADMISSION =
      Comparator.comparingInt((ActiveRun r) -> -r.priority).thenComparingLong(r -> r.seq);

  /** Shared, never changed: attempts copy their config before handing it out. */
  private static final ObjectNode EMPTY = JsonNodeFactory.instance.objectNode();

  final DagSpec spec;
  final ObjectNode params;
  final int priority;
  final long seq;
  final RunPolicy policy;
  /** The run's project, which never changes: read without the lock. */
  final Optional<String> project;
  /** To scrub the run's secret values out of log lines and error messages. */
  final RunSecrets secrets;
  /** The run's log as this engine writes it: numbered on, under the lease's fence. */
  final RunLog log;

  // ---- guarded by lock ----
  RunRecord record;
  private boolean recordChanged;
  private RunEvaluation eval;
  private ScopePool pool;
  private boolean admitted;
  private boolean ended;
  private boolean failFastPending;
  private boolean failFastDone;
  /** In a step that may hand the worker a node: the node it takes, if any. */
  private boolean claiming;
  private ReadyNode claimed;
  private String failFastCause;
  final RunNodes nodes;
  /** The running attempt of each node; null for most. */
  private final Attempt[] inFlight;
  private final NodeSlots slots;
  /**
   * How many node transitions the run has had, stored ones included: what tells one ending of
   * the run from another in its event's id, since every re-opening adds some.
   */
  private long transitions;
  /** During a retry: the nodes it re-opens, by id, with the state each had; else null. */
  private ObjectNode reopened;
  private final WakeUp wakeUp;
  /** The timer of the run's deadline; null when it has none, or it has ended. */
  private TimeSource.Cancellable deadlineTimer;
  /** The containers whose executor runs their subtree, and what is inside; null if none. */
  final Subtrees subtrees;
  /** Volatile besides: awaiting a run never waits for its lock. */
  private volatile CompletableFuture<RunState> done = new CompletableFuture<>();

  // ---- the current step ----
  /** Ready nodes with a slot, for the pool once the step is stored; null while none. */
  private List<ReadyNode> dispatches;
  private ScopePool dispatchPool;
  /**
   * The place an end holds until its write is stored and its effects give the place back: the
   * one a drop frees if that write is lost.
   */
  private ScopePool endPool;
  private boolean endAdmitted;
  /** Set once {@link #drop} has given the run up. */
  private boolean givenUp;
  /** Whether the store still has {@link #lease} as the run's: not once its end is written. */
  private boolean leaseHeld = true;
  private int[] ready = new int[16];
  private int readyCount;

  ActiveRun(RunServices services, RunRecord record, Lease lease, RunLog log, RunPolicy policy,
      long seq) {
    super(services, record.runId(), lease, record.spec().size());
    this.log = log;
    this.spec = record.spec();
    this.params = record.params();
    this.priority = record.priority();
    this.seq = seq;
    this.policy = policy;
    this.project = record.project();
    this.secrets = new RunSecrets(spec, policy);
    this.record = record;
    nodes = new RunNodes(spec.size());
    inFlight = new Attempt[spec.size()];
    slots = new NodeSlots(policy.maxParallelNodes, record.state() == RunState.PAUSED,
        this::queue);
    wakeUp = new WakeUp(services.time(), this::wake);
    subtrees = Subtrees.of(this);
  }

  /** The run's evaluation; under the lock, once started. */
  RunEvaluation eval() {
    return eval;
  }

  /** Whether node {@code v} is a container whose executor runs its subtree. */
  boolean drives(int v) {
    return subtrees != null && subtrees.drives(v);
  }

  int maxConcurrentRuns() {
    return policy.maxConcurrentRuns;
  }

  CompletableFuture<RunState> done() {
    return done;
  }


  /** After the body: dispatches what became ready, applies fail-fast, ends the run, sets timers. */
  @Override
  void settle() {
    if (eval == null) {
      return;
    }
    while (true) {
      for (int i = 0; i < readyCount; i++) { // in order: ready order is dispatch order
        int v = ready[i];
        if (eval.state(v) != NodeState.READY) {
          continue;
        }
        NodeSpec node = spec.nodes().get(v);
        if (subtrees != null && subtrees.inside(v)) {
          subtrees.ready(v); // its container's executor runs it
        } else if (node.isContainer() && node.taskType().isEmpty()) {
          eval.dispatched(v); // no set-up to run: it is RUNNING at once
        } else {
          offer(new ReadyNode(this, v, priority, node.priority(), services.nextReadySeq(),
              now));
        }
      }
      readyCount = 0;
      if (!failFastPending) {
        break;
      }
      failFastPending = false;
      failFast();
    }
    if (!ended && eval.outcome().isPresent()) {
      end(eval.outcome().get());
    }
    scheduleWakeUp();
  }

  // ---- lifecycle -------------------------------------------------------------------------

  /**
   * Starts a run that was admitted to its pool, and by the store if its policy limits its
   * scope's runs: {@link Admissions#start} is how the engine starts one.
   */
  void start(ScopePool pool) {
    boolean[] ran = new boolean[1];
    internalStep(() -> {
      ran[0] = true;
      if (ended) { // stopped after its place was counted: give the place back
        List<ActiveRun> next = pool.runEnded();
        after.add(() -> next.forEach(r -> services.admissions().start(r, pool)));
        return;
      }
      this.pool = pool;
      admitted = true;
      if (record.state() != RunState.PENDING) {
        return;
      }
      setRunState(RunState.RUNNING);
      eval = services.evaluator().newRun(spec, params, now, this);
      eval.start();
      armDeadline(now);
    });
    if (!ran[0]) { // given up (dropped, or the engine closed) after its place was counted
      services.admissions().placeFreed(pool);
    }
  }

  /** Records who submitted the run, as the first entry of its history. */
  void submittedBy(String op) {
    step(op, () -> {
      history(Optional.empty(), "run.submit", NullNode.instance, text(RunState.PENDING));
      return null;
    });
  }

  /**
   * Puts the run back among {@code pool}'s waiting runs after the store refused it a place,
   * under the run's lock, so that a stop cannot come between; false, changing nothing, if the
   * run has ended or was given up (a stop withdraws only a run that waits).
   */
  boolean waitAgain(ScopePool pool) {
    lock.lock();
    try {
      if (ended) {
        return false;
      }
      pool.refused(this);
      return true;
    } finally {
      lock.unlock();
    }
  }

  /** Waits for admission: attached to its pool but not started. */
  void waitFor(ScopePool pool) {
    lock.lock();
    try {
      this.pool = pool;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes over a run from stored records: its evaluation is restored, ready nodes are queued,
   * and running attempts are re-attached or started again.
   */
  void restore(List<NodeRecord> records, List<AttemptRecord> attempts, long transitions,
      ScopePool pool, boolean admit) {
    new RunRecovery(this).restore(records, attempts, transitions, pool, admit);
  }

  /**
   * The first part of a restore, in its step: the run's place, the number of its stored
   * transitions, its nodes' stored records; returns each node's stored state, by index.
   */
  List<NodeState> load(List<NodeRecord> records, long storedTransitions, ScopePool place,
      boolean admit) {
    transitions = storedTransitions;
    pool = place;
    admitted = admit;
    List<NodeState> states = new ArrayList<>(Collections.nCopies(spec.size(), NodeState.PENDING));
    for (NodeRecord r : records) {
      int v = spec.indexOf(r.nodeId());
      states.set(v, r.state());
      nodes.load(v, r);
      r.config().ifPresent(secrets::add);
    }
    return states;
  }

  /**
   * Restores the evaluation of a run stored started from its nodes' stored {@code states},
   * brought up to now. A run stored ended has ended here too: its awaits return at once (it was
   * loaded for an operation).
   */
  void restoreEvaluation(List<NodeState> states) {
    eval = services.evaluator().newRun(spec, params, record.startedAt().orElse(now), this);
    eval.restore(states, nodes::resultOrNull, nodes::waitUntil,
        record.state() == RunState.STOPPED);
    eval.advanceTo(now);
    ended = record.state().isTerminal();
    if (ended) {
      done.complete(record.state());
    } else {
      armDeadline(record.startedAt().orElse(now)); // from the start: past, it fires at once
    }
  }

  /** Attempt {@code a}, stored running, was re-attached to its executor: it is in flight. */
  void reattached(Attempt a) {
    inFlight[a.node] = a;
    services.attemptStarted(a);
    if (services.metrics().on) {
      countRunning(a);
    }
    slots.reattached();
    startTimer(a);
  }

  /** Fails node {@code v}, which is running, for {@code reason}. */
  void nodeFailed(int v, String reason) {
    eval.failed(v, reason);
  }

  /** Brings the evaluation up to the step's time: what waited for a time now past goes on. */
  void advance() {
    eval.advanceTo(now);
  }

  /** A node whose attempt was lost with its engine runs again now, not counting the attempt. */
  void retryAbandoned(int v) {
    nodes.abandoned(v);
    eval.retryAt(v, now, TriggerType.SYSTEM, "abandoned");
  }

  // ---- what the host's operations change (see RunControl) --------------------------------

  /** Whether the run has an evaluation: it has started. */
  boolean started() {
    return eval != null;
  }

  /** Whether the run has ended (and not been re-opened since); under the lock. */
  boolean hasEnded() {
    return ended;
  }

  /** {@link #hasEnded()}, from outside a step: takes the lock. */
  boolean endedNow() {
    lock.lock();
    try {
      return ended;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Stops every node of the run that has not ended. A run waiting for admission leaves its
   * pool's queue and goes PENDING -> STOPPED directly, as the run table allows: an evaluation
   * that never starts stops every node from PENDING.
   */
  void stopRun(String reason) {
    if (eval == null) {
      if (pool != null) {
        pool.withdraw(this);
      }
      eval = services.evaluator().newRun(spec, params, now, this);
    }
    eval.stopRun(reason);
  }

  /** Stops node {@code v} of a started run, a node that has not ended. */
  void stopNode(int v, String reason) {
    eval.stop(v, reason);
  }

  /** The run is PAUSED: nodes that become ready are held; attempts running go on. */
  void pauseDispatch() {
    setRunState(RunState.PAUSED);
    slots.pause();
  }

  /** The run is RUNNING again: the held nodes are queued, as many as it has slots for. */
  void resumeDispatch() {
    setRunState(RunState.RUNNING);
    slots.resume(pool);
  }

  /**
   * Re-opens node {@code v} of a started run for a retry, and with it what must run again
   * around it; returns every node re-opened, by id, with the state each had.
   *
   * @throws IllegalStateException if the evaluation refuses to re-open the node
   */
  ObjectNode reopen(int v, String reason) {
    String refused = subtrees == null ? null : subtrees.refusesRetry(v);
    if (refused != null) {
      throw new IllegalStateException(refused);
    }
    ObjectNode before = JsonNodeFactory.instance.objectNode();
    reopened = before;
    try {
      List<Integer> failedInside = drives(v) ? subtrees.failedInside(v) : List.of();
      if (failedInside.isEmpty()) {
        eval.reopen(v, reason);
      } else { // its executor runs them all again: re-opening them re-opens the container
        failedInside.forEach(f -> eval.reopen(f, reason));
      }
    } finally {
      reopened = null;
    }
    failFastDone = false; // a node failing after the retry fails the run fast again
    return before;
  }

  /** An ended run re-opened by a retry runs again, in {@code place}, which admitted it. */
  void reopenIn(ScopePool place) {
    ended = false;
    armDeadline(now); // a retried run has a deadline of its own, from the retry
    done = new CompletableFuture<>();
    pool = place;
    admitted = true;
    setRunState(RunState.RUNNING);
  }

  /** Node {@code v} has its own config {@code config} from now on; its values are secret. */
  void configure(int v, ObjectNode config) {
    nodes.config(v, config);
    secrets.add(config);
    markDirty(v);
  }

  /** The running attempt of node {@code v}; null if none. */
  Attempt running(int v) {
    return inFlight[v];
  }

  /**
   * Why node {@code v} is where it is: the evaluation's gates, and the run's own (paused, or
   * at its limit of nodes in flight). Takes the lock.
   */
  NodeExplanation explain(int v) {
    lock.lock();
    try {
      if (eval == null) {
        return new NodeExplanation(id(v), NodeState.PENDING, List.of(new Gate(
            Gate.Kind.CONCURRENCY,
            "the run waits for a place among the running runs of its scope")));
      }
      NodeExplanation e = eval.explain(v, services.time().now());
      List<Gate> more = slots.gates(v, e.state());
      return more.isEmpty() ? e : e.with(more);
    } finally {
      lock.unlock();
    }
  }

  private void end(RunState outcome) {
    setRunState(outcome);
    ended = true;
    leaseHeld = false; // the write of the end releases it
    slots.unpause();
    slots.clearHeld(); // every node has ended: what was held back will never run
    wakeUp.cancel();
    cancelDeadline();
    CompletableFuture<RunState> finished = done;
    ScopePool p = pool;
    boolean wasAdmitted = admitted;
    admitted = false;
    pool = null;
    endPool = p; // until its effects give the place back
    endAdmitted = wasAdmitted;
    after.add(() -> endStored(p));
    services.registry().runEnded(this, p, wasAdmitted, endEvent(outcome), after);
    after.add(() -> finished.complete(outcome));
  }

  /** An end is stored: its effects give its place back, a drop need not. */
  private void endStored(ScopePool p) {
    lock.lock();
    try {
      if (endPool == p) {
        endPool = null;
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * The {@code run.completed} or {@code run.failed} event of this ending, built now, under the
   * lock: announced later, outside it, it still tells this ending even if a retry has re-opened
   * the run (and it has ended again) by then. Null for a stop, or when nobody would hear it.
   */
  private Event endEvent(RunState outcome) {
    String type = switch (outcome) {
      case COMPLETED -> "run.completed";
      case FAILED -> "run.failed";
      default -> null;
    };
    if (type == null || !services.wantsEvent(type)) {
      return null;
    }
    List<NodeRecord> completed = new ArrayList<>();
    for (int v = 0; v < spec.size(); v++) {
      if (eval.state(v) == NodeState.COMPLETED) { // only those results go into the payload
        completed.add(nodeRecord(v));
      }
    }
    return EngineEvents.runEnded(type, record, completed, transitions, now);
  }

  void setRunState(RunState to) {
    RunState from = record.state();
    record = record.withState(to, now);
    recordChanged = true;
    Metrics metrics = services.metrics();
    if (metrics.on) {
      after.add(() -> metrics.runStateChanged(to));
    }
    stepNotices.add(new RunStateChange(runId, Optional.of(from), to, now,
        Optional.ofNullable(operator)));
  }

  // ---- dispatch --------------------------------------------------------------------------

  private void offer(ReadyNode item) {
    if (!slots.take(pool)) {
      slots.hold(item);
      return;
    }
    if (claiming && claimed == null && pool.wouldRunFirst(item)) {
      claimed = item; // the worker that finished the upstream runs it next, skipping the queue
      return;
    }
    queue(item);
  }

  /**
   * Hands {@code item}, which holds a slot, to the pool once the step's write is durable: a
   * node is dispatched only after what made it ready is stored. Under the lock.
   */
  private void queue(ReadyNode item) {
    if (dispatches == null) {
      dispatches = new ArrayList<>(4);
      dispatchPool = pool;
    }
    dispatches.add(item);
  }

  @Override
  void discarded() {
    for (Attempt a : inFlight) {
      if (a != null) {
        a.neverStored(); // begun in a step that was given up: never stored, never run
      }
    }
  }

  @Override
  Runnable takeDispatches() {
    if (dispatches == null) {
      return null;
    }
    List<ReadyNode> items = dispatches;
    ScopePool target = dispatchPool;
    dispatches = null;
    dispatchPool = null;
    return () -> items.forEach(target::submit);
  }

  /** A worker took {@code item} from the pool's queue: start its attempt, and run it. */
  void dispatch(ReadyNode item) {
    Attempt begun = item.begun();
    run(begun != null ? stillToRun(begun) : internalStep(() -> begin(item)));
  }

  /**
   * The RUNNING record of {@code a} is durable after its worker went on: it goes back to its
   * pool's queue, in its place, for a worker to run it. On the thread that learnt of the write.
   */
  void resume(Attempt a) {
    a.queuedIn.resumed(a.item.resuming(a));
  }

  /**
   * {@code a}, queued again once stored, if it is still to run; null if it ended meanwhile
   * (stopped, timed out, the run failed fast) or the run was given up here: it is not called.
   */
  private Attempt stillToRun(Attempt a) {
    lock.lock();
    try {
      if (detached || services.isClosed() || a.ended || inFlight[a.node] != a) {
        return null;
      }
      if (a.timeoutDeferred) { // started ahead: its timeout runs from its call, not its start
        a.timeoutDeferred = false;
        startTimer(a, services.time().now());
      }
      return a;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Whether the worker goes on from {@code a}, whose RUNNING record was not durable a moment
   * ago: true unless it is now (or the run was given up). Its timeout then waits for its call,
   * so that the time it waits for a worker after that write does not count. Under the lock, as
   * {@link #stillToRun} is, so that a resumed attempt never runs before its timer is deferred.
   */
  private boolean wentOn(Attempt a) {
    lock.lock();
    try {
      if (a.storedOrLater()) {
        return false;
      }
      if (a.timer != null && !a.ended) {
        a.timer.cancel();
        a.timer = null;
        a.timeoutDeferred = true;
      }
      return true;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Runs attempts on the calling worker: an attempt that completes at once (a task handler)
   * is ended in a step that may hand this worker the next node, so a chain of quick nodes costs
   * one step per node; an attempt still running when {@code execute} returns ends on whatever
   * thread completes it.
   */
  private void run(Attempt a) {
    // each only once its RUNNING record is durable: until then the worker goes on with the
    // queue, and the attempt comes back to it once the write is done
    while (a != null) {
      if (!a.isStored() && wentOn(a)) {
        return;
      }
      CompletableFuture<NodeResult> stage =
          Guard.execute(a.executor, a).toCompletableFuture();
      if (!stage.isDone()) {
        Attempt pending = a;
        stage.thenAccept(result -> attemptEnded(pending, result, false))
            .exceptionally(e -> logFailure(pending, e));
        return;
      }
      a = attemptEnded(a, stage.join(), true);
    }
  }

  /** An attempt's end could not be applied (a store failure, a bug): at least say so. */
  Void logFailure(Attempt a, Throwable e) {
    LOG.error("run {}: the end of attempt {} could not be applied; the node may stay RUNNING",
        runId, a, e);
    return null;
  }

  /** Starts the attempt of a node taken from the queue (or claimed); under the lock. */
  private Attempt begin(ReadyNode item) {
    int v = item.node();
    NodeState s = ended || eval == null ? null : eval.state(v);
    if (s != NodeState.READY) {
      slots.release(pool); // stopped or skipped while it was queued
      return null;
    }
    if (slots.paused()) {
      slots.giveBack();
      slots.hold(item);
      return null;
    }
    if (services.isClosing()) {
      slots.giveBack(); // in close()'s grace period: it stays as stored, for the next engine
      return null;
    }
    int number = nodes.nextAttempt(v);
    eval.dispatched(v);
    Attempt a = newAttempt(v, number, AttemptRecord.started(runId, id(v), number, now)
        .withReadyAt(item.readyAt()));
    a.item = item;
    a.queuedIn = pool;
    inFlight[v] = a;
    services.attemptStarted(a);
    Metrics metrics = services.metrics();
    if (metrics.on) {
      countRunning(a);
      String type = a.taskType();
      Instant readyAt = item.readyAt();
      Instant at = now;
      after.add(() -> metrics.attemptStarted(type, readyAt, at));
    }
    batch.attempt(a.record);
    markDirty(v);
    nodes.started(v, now);
    startTimer(a);
    after.add(a::stored); // run only once its RUNNING record is durable
    return a;
  }

  Attempt newAttempt(int v, int number, AttemptRecord rec) {
    NodeSpec node = spec.nodes().get(v);
    return new Attempt(this, v, number, services.executor(node.taskType().orElseThrow()),
        effectiveConfig(v), rec);
  }

  void startTimer(Attempt a) {
    startTimer(a, now);
  }

  /** Arms the timeout of {@code a}, if its node has one, to run from {@code from}. */
  private void startTimer(Attempt a, Instant from) {
    NodeSpec node = spec.nodes().get(a.node);
    Duration timeout = drives(a.node) ? policy.subtreeTimeout(node)
        : policy.timeout(node);
    if (timeout != null) {
      a.timer = services.time().schedule(from.plus(timeout), () -> timedOut(a, timeout));
    }
  }

  ObjectNode effectiveConfig(int v) {
    NodeSpec node = spec.nodes().get(v);
    ObjectNode own = nodes.config(v);
    if (own == null) {
      own = node.hasConfig() ? node.config() : EMPTY; // config() copies: skip it when empty
    }
    Optional<ObjectNode> defaults = node.taskType().flatMap(policy::defaultConfig);
    return defaults.isPresent() ? JsonMerge.merge(defaults.get(), own) : own;
  }

  /** The results of the completed upstreams of {@code v}, copies, by id; for a context. */
  Map<String, JsonNode> upstreamResults(int v) {
    lock.lock();
    try {
      Map<String, JsonNode> upstream = new LinkedHashMap<>();
      for (Edge e : spec.nodes().get(v).edges()) {
        int u = spec.indexOf(e.upstream());
        if (eval.state(u) == NodeState.COMPLETED) {
          upstream.put(e.upstream(), nodes.result(u).deepCopy());
        }
      }
      return upstream;
    } finally {
      lock.unlock();
    }
  }

  /** How the upstreams of {@code v} stand, by id in edge order, results copied; for a context. */
  Map<String, UpstreamOutcome> upstreams(int v) {
    lock.lock();
    try {
      Map<String, UpstreamOutcome> upstream = new LinkedHashMap<>();
      for (Edge e : spec.nodes().get(v).edges()) {
        int u = spec.indexOf(e.upstream());
        NodeState state = eval.state(u);
        JsonNode result = state == NodeState.COMPLETED ? nodes.resultOrNull(u) : null;
        boolean failed = state.isTerminal() && state != NodeState.COMPLETED;
        upstream.put(e.upstream(), new UpstreamOutcome(e.upstream(), state,
            Optional.ofNullable(result).map(JsonNode::deepCopy),
            Optional.ofNullable(failed ? nodes.errorCode(u) : null),
            Optional.ofNullable(failed ? nodes.errorMessage(u) : null)));
      }
      return upstream;
    } finally {
      lock.unlock();
    }
  }

  // ---- attempt outcomes -------------------------------------------------------------------

  /**
   * An attempt ended with {@code result}. With {@code claim}, a node this makes ready may be
   * handed back to the calling worker, started: its attempt is returned.
   */
  Attempt attemptEnded(Attempt a, NodeResult result, boolean claim) {
    return internalStep(() -> {
      ended(a, result);
      if (!claim || claimed != null) {
        return null;
      }
      claiming = true;
      try {
        settle();
      } catch (RuntimeException e) {
        if (claimed != null) { // never started: its slot goes back
          claimed = null;
          slots.release(pool);
        }
        throw e;
      } finally {
        claiming = false;
      }
      ReadyNode next = claimed;
      claimed = null;
      return next == null ? null : begin(next);
    });
  }

  /** Ends attempt {@code a} with {@code result}: completes, retries or fails its node. */
  private void ended(Attempt a, NodeResult result) {
    NodeSpec node = spec.nodes().get(a.node);
    if (a.ended) {
      // expected after the engine cancelled the attempt; a sign of an executor bug otherwise
      AttemptOutcome outcome = a.record.outcome();
      if (drives(a.node) && outcome != AttemptOutcome.STOPPED
          && outcome != AttemptOutcome.TIMED_OUT) {
        return; // the container ended with its children first: this is the expected end
      }
      boolean cancelled = outcome == AttemptOutcome.TIMED_OUT
          || outcome == AttemptOutcome.STOPPED;
      services.log(this, node, a.number, cancelled ? LogLevel.INFO : LogLevel.WARN,
          "ignored a completion of attempt " + a.number + " (" + result
              + "): the attempt had already ended " + outcome);
      return;
    }
    endAttempt(a);
    int v = a.node;
    if (drives(v) && subtreeEnded(a, result)) {
      return;
    }
    if (result.isSuccess()) {
      JsonNode value = result.result().orElse(NullNode.instance);
      a.record = a.record.ended(now, AttemptOutcome.COMPLETED, value, null, null);
      recordEnded(a.node, a.record);
      if (node.isContainer()) {
        eval.containerReady(v);
      } else {
        nodes.completed(v, value);
        eval.completed(v, value);
      }
      return;
    }
    String code = result.errorCode().orElseThrow();
    String message = secrets.scrub(result.errorMessage().orElseThrow()); // may quote config
    a.record = a.record.ended(now, AttemptOutcome.FAILED, null, code, message);
    recordEnded(a.node, a.record);
    String reason = code + ": " + message;
    if (node.isContainer()) {
      setError(v, code, message);
      eval.failed(v, "set-up failed: " + reason);
    } else if (result.isRetryable() && attemptsLeft(v, node)) {
      retryLater(a, TriggerType.ERROR, "attempt " + a.number + " failed: " + reason);
    } else {
      setError(v, code, message);
      eval.failed(v, result.isRetryable() ? reason
          : reason + " (permanent: not retried)");
    }
  }

  /**
   * The executor that ran the subtree of container {@code a.node} ended with {@code result}:
   * records the attempt and ends the subtree. False, recording nothing, for a failure while the
   * container is INITIALIZING: that is a failed set-up, as for any container.
   */
  private boolean subtreeEnded(Attempt a, NodeResult result) {
    int c = a.node;
    if (result.isSuccess()) {
      a.record = a.record.ended(now, AttemptOutcome.COMPLETED,
          result.result().orElse(NullNode.instance), null, null);
      recordEnded(a.node, a.record);
      subtrees.started(c);
      subtrees.ended(c, null, null);
      return true;
    }
    if (eval.state(c) != NodeState.RUNNING) {
      return false;
    }
    String code = result.errorCode().orElseThrow();
    String message = secrets.scrub(result.errorMessage().orElseThrow());
    a.record = a.record.ended(now, AttemptOutcome.FAILED, null, code, message);
    recordEnded(a.node, a.record);
    subtrees.ended(c, code, message);
    return true;
  }

  private void timedOut(Attempt a, Duration timeout) {
    internalStep(() -> {
      if (a.ended) {
        return;
      }
      a.timer = null;
      endAttempt(a);
      String message = "attempt " + a.number + " exceeded its timeout of " + timeout;
      a.record = a.record.ended(now, AttemptOutcome.TIMED_OUT, null, "TIMEOUT", message);
      recordEnded(a.node, a.record);
      after.add(() -> Guard.cancel(a.executor, a));
      NodeSpec node = spec.nodes().get(a.node);
      if (node.isContainer()) { // not tried again: its set-up, or its subtree, failed
        setError(a.node, "TIMEOUT", message);
        if (eval.state(a.node) == NodeState.INITIALIZING) {
          eval.failed(a.node, "set-up failed: TIMEOUT: " + message);
        } else if (drives(a.node)) {
          subtrees.ended(a.node, "TIMEOUT", message);
        }
      } else if (attemptsLeft(a.node, node)) {
        retryLater(a, TriggerType.TIMEOUT, message);
      } else {
        setError(a.node, "TIMEOUT", message);
        eval.timedOut(a.node, message);
      }
    });
  }

  boolean attemptsLeft(int v, NodeSpec node) {
    return nodes.attemptsUsed(v) < policy.retry(node).maxAttempts();
  }

  private void retryLater(Attempt a, TriggerType trigger, String reason) {
    RetryPolicy retry = policy.retry(spec.nodes().get(a.node));
    Duration wait = services.jitter(retry.delayBefore(nodes.attemptsUsed(a.node)), retry.jitter());
    Instant at = now.plus(wait);
    nodes.waitUntil(a.node, at);
    eval.retryAt(a.node, at, trigger, reason + "; retry in " + wait);
    Metrics metrics = services.metrics();
    if (metrics.on) {
      String type = a.taskType();
      after.add(() -> metrics.retryScheduled(type, trigger));
    }
  }

  private void endAttempt(Attempt a) {
    a.ended = true;
    a.cancelTimer();
    services.logWriter().flushSoon(); // its lines show without waiting for the interval
    if (inFlight[a.node] == a) {
      inFlight[a.node] = null;
      uncountRunning(a);
      if (services.tracksAttempts()) {
        after.add(() -> services.attemptSettled(a)); // once its end is stored
      }
    }
    markDirty(a.node);
    slots.release(pool);
  }

  private void countRunning(Attempt a) {
    if (pool != null) {
      a.countedIn = pool;
      pool.runningNodes.incrementAndGet();
    }
  }

  private static void uncountRunning(Attempt a) {
    if (a.countedIn != null) {
      a.countedIn.runningNodes.decrementAndGet();
      a.countedIn = null;
    }
  }

  /**
   * Writes attempt record {@code rec} of node {@code v}, which has ended: once stored, metrics
   * hear of it. Under the lock.
   */
  void recordEnded(int v, AttemptRecord rec) {
    batch.attempt(rec);
    Metrics metrics = services.metrics();
    if (metrics.on) {
      String type = spec.nodes().get(v).taskType().orElse("");
      after.add(() -> metrics.attemptEnded(type, rec));
    }
  }

  void setError(int v, String code, String message) {
    nodes.error(v, code, message);
  }

  // ---- the evaluation's transitions -------------------------------------------------------

  @Override
  public void onTransition(int v, NodeState from, NodeState to, TriggerType trigger,
      String reason) {
    NodeSpec node = spec.nodes().get(v);
    StateTransition t = new StateTransition(runId, node.id(), nodes.attempt(v), from, to, reason,
        trigger, trigger == TriggerType.USER ? operator : null, now);
    batch.transition(t);
    transitions++;
    if (services.hasListeners()) {
      stepNotices.add(t);
    }
    markDirty(v);
    switch (to) {
      case READY -> addReady(v);
      case WAITING -> {
        if (from.isTerminal()) { // re-opened by a retry
          nodes.reopened(v);
          if (reopened != null) {
            reopened.put(node.id(), from.name());
          }
        }
      }
      case RUNNING, INITIALIZING -> nodes.started(v, now);
      default -> {
        if (to.isTerminal()) {
          nodeEnded(v, to);
        }
      }
    }
  }

  private void nodeEnded(int v, NodeState to) {
    nodes.ended(v, now);
    if (subtrees != null && subtrees.inside(v)) {
      subtrees.nodeEnded(v, to);
    }
    Attempt a = inFlight[v];
    boolean cut = a != null && drives(v) && subtrees.takeInterrupted(v);
    if (a != null && (to == NodeState.COMPLETED || to == NodeState.FAILED) && drives(v)
        && !cut) {
      // every node inside ended: so did the work of the container's executor
      endAttempt(a);
      a.record = to == NodeState.COMPLETED
          ? a.record.ended(now, AttemptOutcome.COMPLETED, NullNode.instance, null, null)
          : a.record.ended(now, AttemptOutcome.FAILED, null, "CHILD_FAILED", "a child failed");
      recordEnded(a.node, a.record);
    } else if (a != null) { // stopped while running
      endAttempt(a);
      a.record = a.record.ended(now, AttemptOutcome.STOPPED, null, "STOPPED",
          "the node was stopped");
      recordEnded(a.node, a.record);
      after.add(() -> Guard.cancel(a.executor, a));
    }
    boolean failed = to == NodeState.FAILED || to == NodeState.TIMED_OUT;
    if (failed || to == NodeState.COMPLETED) {
      String type = failed ? "node.failed" : "node.completed";
      if (services.wantsEvent(type)) {
        Event event = EngineEvents.nodeEnded(record, spec.nodes().get(v), to, nodes.attempt(v),
            nodes.resultOrNull(v), nodes.errorCode(v), nodes.errorMessage(v), now);
        after.add(() -> services.emitQuietly(event));
      }
    }
    if (failed && policy.failureStrategy == FailureStrategy.FAIL_FAST && !failFastDone) {
      failFastPending = true;
      failFastDone = true;
      failFastCause = spec.nodes().get(v).id();
    }
  }

  private void failFast() {
    String reason = "fail fast: node '" + failFastCause + "' failed";
    for (int v = 0; v < spec.size(); v++) {
      NodeState s = eval.state(v);
      if (s == NodeState.WAITING || s == NodeState.READY) {
        eval.stop(v, TriggerType.SYSTEM, reason); // the engine's decision, not a user's
      }
    }
  }

  /** Node {@code v} became ready: dispatched when the step settles, in this order. */
  void addReady(int v) {
    if (readyCount == ready.length) {
      ready = Arrays.copyOf(ready, readyCount * 2);
    }
    ready[readyCount++] = v;
  }

  /** The run's deadline, the spec's or its policies'; null for none. */
  private Duration deadline() {
    return spec.runDeadline().orElse(policy.runDeadline);
  }

  /** Sets the deadline's timer, counted from {@code from}; under the lock. */
  private void armDeadline(Instant from) {
    cancelDeadline();
    Duration d = deadline();
    if (d != null) {
      deadlineTimer = services.time().schedule(from.plus(d), this::deadlinePassed);
    }
  }

  private void cancelDeadline() {
    if (deadlineTimer != null) {
      deadlineTimer.cancel();
      deadlineTimer = null;
    }
  }

  /**
   * The run's deadline passed: its running attempts are cancelled and end TIMED_OUT, and the
   * evaluation ends every node left, so that the run ends FAILED.
   */
  private void deadlinePassed() {
    internalStep(() -> {
      if (ended || eval == null) {
        return;
      }
      deadlineTimer = null;
      String reason = "run deadline of " + deadline() + " passed";
      for (int v = 0; v < spec.size(); v++) {
        Attempt a = inFlight[v];
        if (a != null) {
          endAttempt(a);
          a.record = a.record.ended(now, AttemptOutcome.TIMED_OUT, null, "TIMEOUT", reason);
          recordEnded(v, a.record);
          after.add(() -> Guard.cancel(a.executor, a));
        }
        if (eval.state(v) == NodeState.RUNNING || eval.state(v) == NodeState.INITIALIZING) {
          setError(v, "TIMEOUT", reason);
        }
      }
      // the engine's own decision: the operator is the instance that made it
      batch.history(new HistoryEntry(runId, Optional.empty(), "run.deadline",
          "engine:" + services.config.instanceId, NullNode.instance,
          JsonNodeFactory.instance.textNode(reason), now));
      eval.deadlinePassed(reason);
    });
  }

  private void scheduleWakeUp() {
    if (ended) {
      return;
    }
    eval.nextWakeUp().ifPresent(wakeUp::atOrBefore);
  }

  private void wake() {
    internalStep(() -> {
      wakeUp.rang();
      if (eval != null && !ended) {
        eval.advanceTo(now);
      }
    });
  }

  /** Records usage figure {@code name} of attempt {@code a}, written with this step. */
  void usage(Attempt a, String name, double value) {
    internalStep(() -> {
      if (a.ended) {
        return; // its record is final
      }
      if (!a.record.usage().containsKey(name)
          && a.record.usage().size() == AttemptRecord.MAX_USAGE_FIGURES) {
        services.log(this, spec.nodes().get(a.node), a.number, LogLevel.WARN,
            "ignored usage figure '" + name + "': attempt " + a.number + " has "
                + AttemptRecord.MAX_USAGE_FIGURES + " already");
        return;
      }
      a.record = a.record.withUsage(name, value);
      batch.attempt(a.record);
    });
  }

  void progress(Attempt a, int percent) {
    internalStep(() -> {
      if (!a.ended && nodes.progress(a.node, percent)) {
        markDirty(a.node);
      }
    });
  }

  /**
   * Stores the reference attempt {@code a}'s executor reported, in a step of its own that writes
   * only the attempt: {@code reattach} needs it even if nothing else of the run is stored again.
   * Joins the step under way when the executor reports it from inside one (in {@code reattach}).
   */
  void engineRef(Attempt a, String ref) {
    internalStepStored(() -> { // reportEngineRef returns once the reference is stored
      Optional<String> stored = a.record.engineRef();
      if (stored.isPresent()) {
        if (stored.get().equals(ref)) {
          return; // reported twice at once: the other report stored it
        }
        throw new IllegalStateException("attempt " + a + " already has the engine reference '"
            + stored.get() + "'; refused '" + ref + "'");
      }
      if (a.ended) {
        services.log(this, spec.nodes().get(a.node), a.number, LogLevel.WARN,
            "ignored the engine reference '" + ref + "' reported for attempt " + a.number
                + ": the attempt had already ended " + a.record.outcome());
        return;
      }
      a.storedEngineRef(ref);
      batch.attempt(a.record);
      if (drives(a.node)) {
        subtrees.started(a.node);
      }
    });
  }

  /** The operations a host may ask of this run. */
  RunControl control() {
    return new RunControl(this);
  }

  /** Runs {@code action} under the lock if the run has ended (and not been re-opened since). */
  void ifEnded(Runnable action) {
    lock.lock();
    try {
      if (ended) {
        action.run();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Marks the run as no longer run by this engine: nothing more is written. Waits for a step
   * under way until {@code deadline} (a nano time); returns false if it did not end by then.
   */
  boolean detach(long deadline) {
    detached = true;
    if (!Waits.tryLock(lock, deadline)) {
      // a step stuck in host code holds the lock: its awaits fail now all the same
      done.completeExceptionally(new IllegalStateException(
          "the engine was closed before run " + runId + " ended"));
      abandonParked(new IllegalStateException("the engine was closed before run " + runId
          + " ended"));
      return false;
    }
    try {
      for (Attempt a : inFlight) {
        if (a != null) {
          a.cancelTimer();
          a.neverStored(); // a worker waiting for its write gives it up (a no-op once stored)
        }
      }
      done.completeExceptionally(new IllegalStateException(
          "the engine was closed before run " + runId + " ended"));
      wakeUp.cancel();
      cancelDeadline();
      return true;
    } finally {
      lock.unlock();
      // a write held for a claim back that will not be adopted now: its waiters hear of it
      abandonParked(new IllegalStateException("the engine was closed before run " + runId
          + " ended"));
    }
  }

  @Override
  void dropped(RuntimeException cause) {
    if (cause instanceof LeaseLostException lost) {
      LOG.warn("run {}: its lease was taken over (epoch {}, now {}, {}); dropped here: the new "
          + "owner finishes it", runId, lost.fence().epoch(), lost.currentEpoch(),
          lost.currentOwner().map(o -> "owned by " + o).orElse("owned by nobody"));
      drop("its lease was lost");
    } else {
      LOG.error("run {}: a step's changes could not be stored; dropped here, to be recovered "
          + "from the store by this instance or another", runId, cause);
      if (drop("a write could not be stored")) {
        // claimable at once, by this instance or another, rather than after its lease expires
        services.registry().giveBack(lease);
      }
    }
  }

  /**
   * Gives the run up here without writing anything more: its timers are cancelled, its
   * attempts in flight forgotten (their completions are ignored; their executors are not
   * cancelled, as the run's next owner may re-attach them), its place freed, and its awaits
   * told {@code why}. Once only; leaves alone a run whose end is stored, unless it is the
   * write of a later step (a retry re-opening it) that failed.
   *
   * @return whether the run was dropped now
   */
  boolean drop(String why) {
    return drop(why, -1);
  }

  /**
   * {@link #drop(String)}, unless the run holds a lease of another epoch than {@code epoch}
   * by now (it was claimed back meanwhile, see {@link #adopt}); any epoch for -1.
   */
  boolean drop(String why, long epoch) {
    List<Attempt> running = new ArrayList<>();
    ScopePool p;
    boolean wasAdmitted;
    ScopePool unfreedEnd;
    boolean unfreedEndAdmitted;
    lock.lock(); // after a step under way, which writes nothing now
    try {
      if (givenUp || !writeLost && ended || epoch >= 0 && lease.epoch() != epoch) {
        // dropped already, its end is stored (it leaves as an ended run does), or it was
        // claimed back under a new epoch since the loss was seen
        return false;
      }
      givenUp = true;
      detached = true;
      // the places this engine holds for it (pools are its own bookkeeping, not the store's):
      // the current one, and the one of an end whose write was lost
      p = pool;
      wasAdmitted = admitted;
      unfreedEnd = endPool;
      unfreedEndAdmitted = endAdmitted;
      endPool = null;
      ended = true;
      for (int v = 0; v < inFlight.length; v++) {
        Attempt a = inFlight[v];
        if (a != null) {
          a.ended = true;
          a.cancelTimer();
          a.neverStored(); // a worker waiting for its write gives it up (a no-op once stored)
          inFlight[v] = null;
          uncountRunning(a);
          running.add(a);
        }
      }
      wakeUp.cancel();
      cancelDeadline();
      slots.clearHeld();
      pool = null;
      admitted = false;
    } finally {
      lock.unlock();
    }
    RunDroppedException dropped = new RunDroppedException(runId, why);
    done.completeExceptionally(dropped);
    abandonParked(dropped); // a write that waited for a claim back that is not to be
    running.forEach(services::attemptSettled);
    services.registry().dropped(this, p, wasAdmitted);
    if (unfreedEnd != null) {
      services.registry().freePlace(this, unfreedEnd, unfreedEndAdmitted);
    }
    return true;
  }

  /**
   * Goes on under {@code newLease}, which this engine claimed right after its own lease
   * expired (no other owner between): false, changing nothing, if the run was given up or has
   * ended meanwhile.
   */
  boolean adopt(Lease newLease) {
    boolean adopted;
    lock.lock();
    try {
      adopted = !(detached || givenUp || ended);
      if (adopted) {
        lease = newLease;
        leaseHeld = true;
      }
    } finally {
      lock.unlock();
    }
    if (!adopted) {
      refuseClaimBack(newLease.epoch()); // a write held for it is lost: the run is restored
      return false;
    }
    resumeParked(); // a write refused for the old epoch meanwhile goes on under the new one
    return true;
  }

  /** Whether the store has this run's lease as this engine's (under the lock). */
  boolean holdsLease() {
    return leaseHeld;
  }

  /** The lease was given up (under the lock): a re-opening must claim the run again. */
  void leaseReleased() {
    leaseHeld = false;
  }

  @Override
  void takeLease(Lease newLease) {
    super.takeLease(newLease);
    leaseHeld = true;
  }

  // ---- helpers ----------------------------------------------------------------------------

  void requireState(RunState expected, String message) {
    if (record.state() != expected) {
      throw new RunStateException(runId, record.state(), message);
    }
  }

  NodeState nodeState(int v) {
    return eval == null ? NodeState.PENDING : eval.state(v);
  }

  String id(int v) {
    return spec.nodes().get(v).id();
  }

  void history(Optional<String> nodeId, String action, JsonNode oldValue,
      JsonNode newValue) {
    batch.history(new HistoryEntry(runId, nodeId, action, operator, oldValue, newValue, now));
  }

  static JsonNode text(Enum<?> state) {
    return TextNode.valueOf(state.name());
  }

  @Override
  RunRecord takeChangedRecord() {
    if (!recordChanged) {
      return null;
    }
    recordChanged = false;
    return record;
  }

  @Override
  NodeRecord nodeRecord(int v) {
    return nodes.record(runId, id(v), v, nodeState(v));
  }
}
