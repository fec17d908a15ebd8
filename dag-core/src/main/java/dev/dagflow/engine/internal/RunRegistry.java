package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.RunStateChange;
import dev.dagflow.engine.RunStateException;
import dev.dagflow.engine.UnknownNodeException;
import dev.dagflow.engine.UnknownRunException;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.policy.UnknownPolicyException;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.KeyReuse;
import dev.dagflow.store.Lease;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.trigger.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs an engine is running, and their places: a run is created or recovered here, admitted
 * to its scope's pool (or kept waiting for a place), found by id while it runs, and given up
 * here when it ends. An ended run can be loaded back for an operation (a retry re-opens it).
 * Thread-safe.
 */
final class RunRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(RunRegistry.class);

  private final RunServices services;
  private final EngineConfig config;
  private final RunStore runs;
  private final ScopePools pools;
  private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
  private final AtomicLong seq = new AtomicLong();
  private final Object loading = new Object();

  RunRegistry(RunServices services, EngineConfig config) {
    this.services = services;
    this.config = config;
    this.runs = config.runStore;
    this.pools = new ScopePools(config, services.time(), services.metrics());
  }

  /**
   * Creates run {@code runId} placed at {@code place}: checks its task types and policies,
   * stores it PENDING, records who asked for it, and admits it to its pool or lets it wait there.
   *
   * @param startKey what makes this start happen once (see {@link RunRecord#startKey()})
   * @throws dev.dagflow.store.DuplicateStartException if a stored run has {@code startKey}
   */
  void create(String runId, RunPlacement place, Optional<DagTemplate> template,
      ObjectNode params, Optional<String> operator, Optional<String> cause, int chainDepth,
      Optional<String> startKey) {
    create(runId, place, template, params, operator, cause, chainDepth, startKey,
        Optional.empty(), KeyReuse.NEVER);
  }

  /**
   * {@link #create(String, RunPlacement, Optional, ObjectNode, Optional, Optional, int,
   * Optional)} claiming {@code idempotencyKey} (if any) in the run's project as {@code reuse}
   * says, in the store operation that stores the run.
   *
   * @throws dev.dagflow.store.IdempotencyKeyTakenException if the key names a run {@code
   *     reuse} keeps it for
   */
  void create(String runId, RunPlacement place, Optional<DagTemplate> template,
      ObjectNode params, Optional<String> operator, Optional<String> cause, int chainDepth,
      Optional<String> startKey, Optional<String> idempotencyKey, KeyReuse reuse) {
    DagSpec spec = place.spec;
    services.checkTaskTypes(spec);
    RunPolicy policy = place.policy(config.policyStore, config.engineDefaultPolicy);
    String scopeKey = place.workerKey(runId);
    Instant now = services.time().now();
    RunRecord record = new RunRecord(runId, spec, RunValues.params(params), RunState.PENDING,
        scopeKey, place.project, template.map(DagTemplate::name),
        template.map(DagTemplate::version).orElse(0), spec.priority(), now, Optional.empty(),
        Optional.empty(), cause, chainDepth, startKey, idempotencyKey);
    ScopePool pool = pools.attach(scopeKey); // first: it refuses once the engine is closed
    Lease lease;
    try {
      lease = runs.create(record, config.instanceId, config.leaseTime, reuse);
    } catch (RuntimeException e) {
      pools.detach(pool);
      // a run stored all the same (its answer was what was lost) is nobody's once its lease
      // expires: this instance or another claims and runs it then
      throw e;
    }
    ActiveRun run = new ActiveRun(services, record, lease,
        services.logWriter().open(lease, record.project()), policy, seq.incrementAndGet());
    run.waitFor(pool); // its pool is known before anyone can see or stop it
    active.put(runId, run);
    try {
      operator.ifPresent(run::submittedBy);
    } catch (RuntimeException e) {
      if (!run.writeLost()) {
        throw e; // the engine closing, say: the caller hears of it
      }
      // stored, but not its submit record: dropped here, it runs once claimed from the store,
      // and the caller gets its id all the same (a retried submit would make a second run)
      LOG.warn("run {} is stored but its submit record could not be; it runs once recovered "
          + "from the store", runId);
      return;
    }
    services.notifyListeners(new RunStateChange(runId, Optional.empty(), RunState.PENDING, now,
        operator));
    if (pool.admit(run, policy.maxConcurrentRuns)) {
      services.admissions().start(run, pool);
    }
  }

  /**
   * Takes over a run this engine has claimed ({@code lease}), left unfinished in the store by
   * an engine that stopped or lost it; returns it.
   */
  ActiveRun recover(Lease lease) {
    String runId = lease.runId();
    ActiveRun held = active.get(runId);
    if (held != null && lease.epoch() == held.lease.epoch() + 1 && held.adopt(lease)) {
      // its own lease had expired (renewals late) and nobody claimed it meanwhile: what this
      // engine has in memory is still the run as stored, so it goes on under the new epoch
      LOG.info("run {}: its lease had expired; claimed back at epoch {}", runId, lease.epoch());
      return held;
    }
    RunRecord record;
    RunPolicy policy;
    RunLog log;
    try {
      record = runs.run(runId).orElseThrow(() -> new UnknownRunException(runId));
      if (record.state().isTerminal() || services.isClosing()) {
        // it ended between a look and the claim, or this engine is closing: nobody's again
        releaseQuietly(List.of(lease));
        return null;
      }
      services.checkTaskTypes(record.spec()); // an executor removed since: say so, not fail nodes
      policy = policy(record);
      // fences the former owner's late lines off, and numbers on after its last stored one
      log = services.logWriter().takeOver(lease, record.project(), Engine.LOG_QUERY_WAIT);
    } catch (RuntimeException e) {
      releaseQuietly(List.of(lease)); // for an instance that can run it
      throw e;
    }
    ActiveRun stale = active.get(runId);
    if (stale != null) { // held here under an older epoch that was lost meanwhile
      stale.drop("it was claimed again under epoch " + lease.epoch());
    }
    ActiveRun run = new ActiveRun(services, record, lease, log, policy, seq.incrementAndGet());
    boolean running = record.state() != RunState.PENDING;
    ScopePool pool = null;
    try {
      pool = pools.attach(record.scopeKey());
      if (running) {
        pool.readmit();
      }
      run.restore(runs.nodes(runId), runs.attempts(runId), runs.transitionCount(runId), pool,
          running);
    } catch (RuntimeException e) {
      if (pool != null) {
        if (running) {
          services.admissions().placeFreed(pool);
        }
        pools.detach(pool);
      }
      releaseQuietly(List.of(lease));
      throw e;
    }
    // seen by operations only once restored; one whose end the restore stored leaves again
    active.put(runId, run);
    run.ifEnded(() -> active.remove(runId, run));
    if (!running && pool.admit(run, run.maxConcurrentRuns())) {
      services.admissions().start(run, pool);
    } else if (!running) {
      run.waitFor(pool);
    }
    LOG.info("recovered run {} ({}) at epoch {}", runId, record.state(), lease.epoch());
    return run;
  }

  /** The run if this engine runs it now; null otherwise. */
  ActiveRun get(String runId) {
    return active.get(runId);
  }

  /**
   * Where an operation on an unfinished run goes: the run if this engine runs it, or has just
   * claimed it because nobody held it; null when another instance holds it (the operation is
   * then sent as a command). Checks first what it can: the run and node {@code nodeId} (if
   * not null) exist, and the run has not ended ({@link RunStateException} saying {@code why}).
   */
  ActiveRun unfinished(String runId, String nodeId, String why) {
    ActiveRun run = held(runId);
    if (run != null) {
      return run;
    }
    RunRecord record = record(runId);
    if (nodeId != null && record.spec().indexOf(nodeId) < 0) {
      throw new UnknownNodeException(runId, nodeId);
    }
    if (record.state().isTerminal()) {
      throw new RunStateException(runId, record.state(), "it has ended; " + why);
    }
    return claimNow(runId);
  }

  /**
   * The run this engine runs, for an operation a host asks: only if the store still has it as
   * this engine's. An operation that is refused writes nothing, so fencing alone would never
   * show an engine that lost its lease unnoticed (its renewals failing) that it answers from a
   * stale copy: the store is asked. A run found lost is dropped here; null then, as for a run
   * not run here (or given up already).
   */
  private ActiveRun held(String runId) {
    ActiveRun run = active.get(runId);
    if (run == null || run.detached) {
      return null;
    }
    Lease mine = run.lease;
    Optional<Lease> stored = runs.lease(runId);
    boolean lost = stored.map(l -> l.epoch() != mine.epoch()).orElse(false)
        || stored.isEmpty() && !run.endedNow();
    if (lost && run.drop("its lease was lost", mine.epoch())) {
      LOG.warn("run {}: the store no longer has it as this engine's (epoch {}); dropped here",
          runId, mine.epoch());
      return null;
    }
    return lost ? null : run;
  }

  /** Claims and restores run {@code runId} if nobody holds it; null if somebody does. */
  private ActiveRun claimNow(String runId) {
    Optional<Lease> lease = runs.claim(runId, config.instanceId, config.leaseTime);
    if (lease.isEmpty()) {
      return null;
    }
    ActiveRun run = recover(lease.get()); // maybe ended by now: the operation then says so
    if (run == null) { // it ended between the look and the claim (or this engine closes)
      RunRecord now = record(runId);
      throw new RunStateException(runId, now.state(), now.state().isTerminal()
          ? "it has ended" : "this engine is closing");
    }
    return run;
  }

  /**
   * The running run, an unfinished one claimed now because nobody held it, or an ended one
   * loaded from the store (and claimed) for an operation on node {@code nodeId}; null when
   * another instance holds it. Pass a run to {@link #release} when the operation is done.
   */
  ActiveRun forOperation(String runId, String nodeId) {
    ActiveRun run = held(runId);
    if (run != null) {
      return run;
    }
    synchronized (loading) {
      run = held(runId);
      if (run != null) {
        return run;
      }
      RunRecord seen = record(runId);
      if (seen.spec().indexOf(Objects.requireNonNull(nodeId, "nodeId")) < 0) {
        throw new UnknownNodeException(runId, nodeId);
      }
      if (!seen.state().isTerminal()) {
        return claimNow(runId); // null: another instance holds it, and gets a command
      }
      // claimed first, so that no other instance re-opens it at the same time
      Lease lease = runs.claim(runId, config.instanceId, config.leaseTime)
          .orElseThrow(() -> new RunStateException(runId, seen.state(),
              "another engine instance holds it now; try again"));
      RunRecord record = record(runId); // as it is now it is ours: it may have changed since
      if (!record.state().isTerminal()) {
        runs.release(List.of(lease));
        throw new RunStateException(runId, record.state(),
            "it was re-opened by another engine instance meanwhile; try again");
      }
      try {
        RunPolicy policy = policy(record);
        RunLog log = services.logWriter().takeOver(lease, record.project(),
            Engine.LOG_QUERY_WAIT);
        run = new ActiveRun(services, record, lease, log, policy, seq.incrementAndGet());
        run.restore(runs.nodes(runId), runs.attempts(runId), runs.transitionCount(runId),
            null, false);
      } catch (RuntimeException e) {
        runs.release(List.of(lease)); // a policy deleted since, a log store that failed
        throw e;
      }
      // shared while an operation works on it, so two operations see one run
      active.put(runId, run);
      return run;
    }
  }

  /**
   * An operation on {@code run} is done: an ended run is no longer kept, and the lease taken to
   * load it for the operation is given up (unless the operation re-opened it).
   */
  void release(ActiveRun run) {
    run.ifEnded(() -> {
      if (active.remove(run.runId, run)) {
        run.leaseReleased(); // a retry sharing it must claim it again before it re-opens it
        releaseQuietly(List.of(run.lease));
      }
    });
  }

  /** {@code run}'s end is stored, which gave its lease up: it is no longer kept. */
  private void ended(ActiveRun run) {
    run.ifEnded(() -> {
      if (active.remove(run.runId, run)) {
        services.logWriter().keep(run.log); // for a line about it that comes after its end
      }
    });
  }

  /** The leases of the runs this engine holds, for renewal. */
  List<Lease> leases() {
    List<Lease> held = new ArrayList<>(active.size());
    for (ActiveRun run : active.values()) {
      held.add(run.lease);
    }
    return held;
  }

  /** The store no longer has {@code lease} as a run's: the run is dropped here. */
  void leaseLost(Lease lease) {
    ActiveRun run = active.get(lease.runId());
    if (run == null || run.lease.epoch() != lease.epoch() || services.isClosing()) {
      return; // gone, claimed again since, or being given up by close()
    }
    if (run.drop("its lease was lost", lease.epoch())) { // not ended, not claimed back
      String now = runs.lease(lease.runId())
          .map(l -> "is at epoch " + l.epoch() + ", owned by " + l.owner())
          .orElse("has it owned by nobody");
      LOG.warn("run {}: its lease (epoch {}) could not be renewed: the store {}; dropped here",
          lease.runId(), lease.epoch(), now);
    }
  }

  /**
   * {@code run} was given up here ({@link ActiveRun#drop}): it leaves the active runs, and the
   * place it held in {@code pool} (if any) goes to a run that waits.
   */
  void dropped(ActiveRun run, ScopePool pool, boolean admitted) {
    active.remove(run.runId, run);
    freePlace(run, pool, admitted);
  }

  /** Gives back the place {@code run} held in {@code pool} (if any), and its pool. */
  void freePlace(ActiveRun run, ScopePool pool, boolean admitted) {
    if (pool != null) {
      if (admitted) {
        services.admissions().placeFreed(pool);
      } else {
        pool.withdraw(run);
      }
      pools.detach(pool);
    }
  }

  /**
   * A run ended (under its lock): once its end is stored, it leaves the active runs, frees its
   * place and its pool, runs that waited start, and {@code event} (this ending's, or null) goes
   * out.
   */
  void runEnded(ActiveRun run, ScopePool pool, boolean admitted, Event event,
      List<Runnable> after) {
    // not before the store has the end: await() reads the store once the run is not active
    after.add(() -> ended(run));
    if (pool != null) { // the place too is given back only once the end is stored
      after.add(() -> {
        if (admitted) {
          services.admissions().placeFreed(pool);
        } else {
          pool.withdraw(run);
        }
        pools.detach(pool);
      });
    }
    after.add(() -> services.runFinished(run.runId, event));
  }

  /**
   * An ended run re-opened by a retry (under its lock): claimed first unless this engine holds
   * it already (an ended run is nobody's), then runs again at once in its pool.
   *
   * @throws RunStateException if another instance holds it
   */
  ScopePool reopen(ActiveRun run, String scopeKey) {
    if (!run.holdsLease()) {
      Lease lease = runs.claim(run.runId, config.instanceId, config.leaseTime)
          .orElseThrow(() -> new RunStateException(run.runId, run.record.state(),
              "another engine instance holds it now; try again"));
      if (lease.epoch() != run.lease.epoch() + 1) {
        // another instance had it between its end and this claim: what is here is stale
        releaseQuietly(List.of(lease));
        throw new RunStateException(run.runId, run.record.state(),
            "another engine instance changed it meanwhile; try again");
      }
      run.takeLease(lease);
    }
    ActiveRun other = active.putIfAbsent(run.runId, run);
    if (other != null && other != run) {
      throw new RunStateException(run.runId, RunState.RUNNING,
          "it was re-opened concurrently; try again");
    }
    ScopePool pool = pools.attach(scopeKey);
    pool.readmit();
    return pool;
  }

  /** A re-open that could not go on: gives the run's place and pool back. */
  void undoReopen(ScopePool pool) {
    services.admissions().placeFreed(pool);
    pools.detach(pool);
  }

  /** The worker keys of the pools alive now. */
  Set<String> poolKeys() {
    return pools.keys();
  }

  /**
   * Stops every run writing and shuts the pools down, waiting until {@code deadline} (a nano
   * time) at most; returns what it gave up on, for the log.
   */
  List<String> close(long deadline) {
    List<String> stuck = new ArrayList<>();
    List<Lease> held = new ArrayList<>();
    for (ActiveRun run : active.values()) {
      if (!run.detach(deadline)) {
        stuck.add(run.runId);
      }
      held.add(run.lease);
    }
    releaseQuietly(held); // another instance may take the runs over at once

    List<String> abandoned = new ArrayList<>();
    if (!stuck.isEmpty()) {
      abandoned.add("runs " + stuck + ", whose step under way did not end");
    }
    abandoned.addAll(pools.close(deadline));
    return abandoned;
  }

  /** Gives {@code lease} up, if the store takes it: for a run dropped after a failed write. */
  void giveBack(Lease lease) {
    releaseQuietly(List.of(lease));
  }

  private void releaseQuietly(List<Lease> leases) {
    if (leases.isEmpty()) {
      return;
    }
    try {
      runs.release(leases);
    } catch (RuntimeException e) {
      LOG.warn("releasing the leases of runs {} failed: they expire after {}",
          leases.stream().map(Lease::runId).toList(), config.leaseTime, e);
    }
  }

  RunRecord record(String runId) {
    Objects.requireNonNull(runId, "runId");
    return runs.run(runId).orElseThrow(() -> new UnknownRunException(runId));
  }

  /**
   * The secret keys of a run: its policies' as it runs, or as they are now for a run not run
   * here; a policy deleted since falls back to the defaults and the engine default's keys.
   */
  SecretKeys secretKeys(RunRecord record) {
    ActiveRun run = active.get(record.runId());
    if (run != null) {
      return run.policy.secretKeys;
    }
    try {
      return policy(record).secretKeys;
    } catch (UnknownPolicyException e) {
      return config.engineDefaultPolicy.secretKeys()
          .map(keys -> keys.and(SecretKeys.defaults().patterns().toArray(String[]::new)))
          .orElse(SecretKeys.defaults());
    }
  }

  private RunPolicy policy(RunRecord record) {
    return RunPolicy.resolve(record.spec(), record.project(), config.policyStore,
        config.engineDefaultPolicy);
  }
}
