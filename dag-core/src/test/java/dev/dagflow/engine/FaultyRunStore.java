package dev.dagflow.engine;

import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.EndedRuns;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.KeyReuse;
import dev.dagflow.store.Lease;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real {@link RunStore} around another, for fault tests: it fails the next applies, or every
 * apply of chosen runs, or every renewal, or the next few renewals; fails the next creates,
 * before the store has the run or after (its answer lost); or cuts its engine off from the store
 * altogether (a crash, as far as the store and the other instances can tell); {@link #heal}
 * lifts every fault. One per engine: the engines of a test share the
 * store inside, each through a wrapper of its own. Thread-safe.
 */
final class FaultyRunStore implements RunStore {
  private final RunStore inner;
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger failNextCreates = new AtomicInteger();
  private final AtomicInteger loseNextCreates = new AtomicInteger();
  private final Set<String> failingRuns = ConcurrentHashMap.newKeySet();
  private final AtomicInteger failed = new AtomicInteger();
  private final AtomicInteger failNextRenewals = new AtomicInteger();
  private volatile CountDownLatch renewalsHealed = new CountDownLatch(0);
  private volatile boolean renewalsFail;
  private volatile ScheduledExecutorService committer;
  private volatile Duration lateBy = Duration.ZERO;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private final Map<String, Integer> lateWrites = new ConcurrentHashMap<>();
  private volatile boolean renewalsOnlyFail;
  private volatile boolean cutOff;
  private volatile Runnable onRelease = () -> { };
  private volatile Duration nodeReadsTake = Duration.ZERO;

  FaultyRunStore(RunStore inner) {
    this.inner = inner;
  }

  /** The next {@code count} applies fail, whatever run they write. */
  FaultyRunStore failNextApplies(int count) {
    failNext.set(count);
    return this;
  }

  /** The next {@code count} creates fail before the store inside sees them: nothing is stored. */
  FaultyRunStore failNextCreates(int count) {
    failNextCreates.set(count);
    return this;
  }

  /**
   * The next {@code count} creates are stored by the store inside, and then fail: the run is
   * there, but its creator never hears so (a crash right after the create, or its answer lost).
   */
  FaultyRunStore loseNextCreateAnswers(int count) {
    loseNextCreates.set(count);
    return this;
  }

  /** Every apply of run {@code runId} fails from now on. */
  FaultyRunStore failAppliesOf(String runId) {
    failingRuns.add(runId);
    return this;
  }

  /**
   * Every renewal and every claim fails from now on, as for an engine whose lease thread cannot
   * reach the store: its leases run out while its workers go on writing.
   */
  FaultyRunStore failRenewals() {
    renewalsFail = true;
    return this;
  }

  /** Every renewal fails from now on, and nothing else: the engine's leases run out. */
  FaultyRunStore failRenewalsOnly() {
    renewalsOnlyFail = true;
    return this;
  }

  /**
   * The next {@code count} renewals fail, and nothing else; then renewals work again, as for a
   * lease thread that lost the store for a while. {@link #renewalsHealed} opens after the last.
   */
  FaultyRunStore failNextRenewals(int count) {
    renewalsHealed = new CountDownLatch(1);
    failNextRenewals.set(count);
    return this;
  }

  /** Opens once the renewals {@link #failNextRenewals} fails have all failed. */
  CountDownLatch renewalsHealed() {
    return renewalsHealed;
  }

  /** Every fault set so far is lifted (a cut-off too): calls reach the store inside again. */
  FaultyRunStore heal() {
    failNext.set(0);
    failNextCreates.set(0);
    loseNextCreates.set(0);
    failingRuns.clear();
    failNextRenewals.set(0);
    renewalsHealed.countDown();
    renewalsFail = false;
    renewalsOnlyFail = false;
    cutOff = false;
    return this;
  }

  /**
   * From now on {@link #applyAsync} completes late: each write is applied {@code delay} after
   * it was asked for, on {@code committer}, and only then completes, as a database that groups
   * writes into one commit does. Counts the writes in flight ({@link #mostInFlight}).
   */
  FaultyRunStore completeLate(ScheduledExecutorService committer, Duration delay) {
    this.committer = committer;
    this.lateBy = delay;
    return this;
  }

  /** How many writes of run {@code runId} were asked for while writes completed late. */
  int lateWritesOf(String runId) {
    return lateWrites.getOrDefault(runId, 0);
  }

  /** The most writes that were in flight at once while writes completed late. */
  int mostInFlight() {
    return mostInFlight.get();
  }

  @Override
  public CompletionStage<Void> applyAsync(RunChanges changes) {
    ScheduledExecutorService late = committer;
    if (late == null) {
      return RunStore.super.applyAsync(changes);
    }
    mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    lateWrites.merge(changes.runId(), 1, Integer::sum);
    CompletableFuture<Void> done = new CompletableFuture<>();
    late.schedule(() -> {
      try {
        apply(changes);
        done.complete(null);
      } catch (RuntimeException e) {
        done.completeExceptionally(e);
      } finally {
        inFlight.decrementAndGet();
      }
    }, lateBy.toNanos(), TimeUnit.NANOSECONDS);
    return done;
  }

  /**
   * From now on each read of a run's nodes takes {@code time} longer, as on a slow database:
   * restoring a run reads them, so restoring many runs takes that long per run.
   */
  FaultyRunStore slowNodeReads(Duration time) {
    nodeReadsTake = time;
    return this;
  }

  /** Every call fails from now on: nothing of the engine reaches the store any more. */
  FaultyRunStore cutOff() {
    cutOff = true;
    return this;
  }

  /** Runs {@code action} on every release, before the leases are released. */
  FaultyRunStore onRelease(Runnable action) {
    onRelease = action;
    return this;
  }

  /** How many calls this wrapper has failed. */
  int failures() {
    return failed.get();
  }

  private void check(String operation) {
    if (cutOff) {
      throw fail(operation, "cut off from the store");
    }
  }

  /** Whether {@code left} was positive; takes one from it if so. */
  private static boolean takeOne(AtomicInteger left) {
    return left.getAndUpdate(n -> Math.max(0, n - 1)) > 0;
  }

  private StoreException fail(String operation, String why) {
    failed.incrementAndGet();
    return new StoreException(operation, "injected failure: " + why);
  }

  @Override
  public Lease create(RunRecord run, String owner, Duration leaseTime, KeyReuse reuse) {
    String operation = "create run " + run.runId();
    check(operation);
    if (takeOne(failNextCreates)) {
      throw fail(operation, "one of the next creates");
    }
    Lease lease = inner.create(run, owner, leaseTime, reuse);
    if (takeOne(loseNextCreates)) {
      throw fail(operation, "the answer to one of the next creates was lost");
    }
    return lease;
  }

  @Override
  public void apply(RunChanges changes) {
    String operation = "apply run " + changes.runId();
    check(operation);
    if (failingRuns.contains(changes.runId())) {
      throw fail(operation, "this run's applies fail");
    }
    if (takeOne(failNext)) {
      throw fail(operation, "one of the next applies");
    }
    inner.apply(changes);
  }

  @Override
  public List<Lease> claim(String owner, int limit, Duration leaseTime) {
    check("claim runs");
    if (renewalsFail) {
      throw fail("claim runs", "the lease thread cannot reach the store");
    }
    return inner.claim(owner, limit, leaseTime);
  }

  @Override
  public void heartbeat(String instanceId, Instant startedAt) {
    check("record a heartbeat");
    inner.heartbeat(instanceId, startedAt);
  }

  @Override
  public List<String> purgeEnded(EndedRuns which, int limit) {
    check("purge ended runs");
    return inner.purgeEnded(which, limit);
  }

  @Override
  public boolean admit(String runId, Fence fence, int limit) {
    check("admit run " + runId);
    return inner.admit(runId, fence, limit);
  }

  @Override
  public Optional<Lease> claim(String runId, String owner, Duration leaseTime) {
    check("claim run " + runId);
    return inner.claim(runId, owner, leaseTime);
  }

  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseTime) {
    check("renew leases");
    if (renewalsFail || renewalsOnlyFail) {
      throw fail("renew leases", "renewals fail");
    }
    if (takeOne(failNextRenewals)) {
      if (failNextRenewals.get() == 0) {
        renewalsHealed.countDown();
      }
      throw fail("renew leases", "one of the next renewals");
    }
    return inner.renew(leases, leaseTime);
  }

  @Override
  public void release(Collection<Lease> leases) {
    check("release leases");
    onRelease.run();
    inner.release(leases);
  }

  @Override
  public Optional<Lease> lease(String runId) {
    check("lease of run " + runId);
    return inner.lease(runId);
  }

  @Override
  public void addCommand(RunCommand command) {
    check("add command " + command.id());
    inner.addCommand(command);
  }

  @Override
  public List<RunCommand> pendingCommands(String owner) {
    check("pending commands of " + owner);
    return inner.pendingCommands(owner);
  }

  @Override
  public Optional<RunCommand> command(String commandId) {
    check("read command " + commandId);
    return inner.command(commandId);
  }

  @Override
  public boolean takeCommand(String commandId, String owner) {
    check("take command " + commandId);
    return inner.takeCommand(commandId, owner);
  }

  @Override
  public Optional<RunCommand> cancelCommand(String commandId, Instant at) {
    check("cancel command " + commandId);
    return inner.cancelCommand(commandId, at);
  }

  @Override
  public Optional<RunRecord> run(String runId) {
    check("read run " + runId);
    return inner.run(runId);
  }

  @Override
  public List<NodeRecord> nodes(String runId) {
    check("read nodes of run " + runId);
    Duration slow = nodeReadsTake;
    if (!slow.isZero()) {
      try {
        Thread.sleep(slow.toMillis()); // the injected slowness itself
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw fail("read nodes of run " + runId, "interrupted");
      }
    }
    return inner.nodes(runId);
  }

  @Override
  public List<AttemptRecord> attempts(String runId) {
    check("read attempts of run " + runId);
    return inner.attempts(runId);
  }

  @Override
  public List<StateTransition> transitions(String runId, long skip, int limit) {
    check("read transitions of run " + runId);
    return inner.transitions(runId, skip, limit);
  }

  @Override
  public long transitionCount(String runId) {
    check("count transitions of run " + runId);
    return inner.transitionCount(runId);
  }

  @Override
  public List<HistoryEntry> history(String runId, long skip, int limit) {
    check("read history of run " + runId);
    return inner.history(runId, skip, limit);
  }

  @Override
  public Page<RunSummary> list(RunQuery query) {
    check("list runs");
    return inner.list(query);
  }
}
