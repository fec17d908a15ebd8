package dev.dagflow.engine.internal;

import dev.dagflow.store.Fence;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunRecord;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How the changes of one run are serialised: every change is a {@link #step} that runs under the
 * run's lock and collects what changed; its write then goes to the run store outside the lock,
 * behind the run's earlier writes, and only once it is durable are the step's effects made, in
 * order: the nodes it made ready handed to the pool, the listeners told, the callbacks into host
 * code it queued ({@link #after}) made. {@link ActiveRun} supplies what a step does and what it
 * writes.
 */
abstract class SerialRun {
  /** How often a step tries the lock before it parks. */
  private static final int SPINS = 1_000;

  final RunServices services;
  final String runId;
  final ReentrantLock lock = new ReentrantLock();
  /** This engine's hold on the run: every write carries its fence. Set under the lock. */
  volatile Lease lease;

  // ---- the current step, guarded by lock ----
  /** The time of the current step: every record it writes carries it. */
  Instant now;
  /** Who asked for the current step; null for the engine itself. */
  String operator;
  RunChanges.Builder batch;
  /** Callbacks to make once the step's changes are stored, outside the lock. */
  List<Runnable> after = new ArrayList<>();
  /** Transitions and run state changes of the step, for the listeners. */
  final List<Object> stepNotices = new ArrayList<>();
  /** Nodes whose record must be written at the end of the step, each once. */
  private int[] dirty = new int[16];
  private int dirtyCount;
  private final boolean[] isDirty;

  /**
   * Set once the engine has given the run up ({@link ActiveRun#detach} on close, {@link
   * ActiveRun#drop} when its lease or a write is lost): a step still under way in host code
   * then writes nothing and calls nothing when it ends, and no step runs after it.
   */
  volatile boolean detached;
  /** Set when a step's write could not be stored: the run is being dropped. */
  volatile boolean writeLost;

  /** Whether a step's write could not be stored (the run is dropped here for it). */
  boolean writeLost() {
    return writeLost;
  }

  // ---- the write pipeline, guarded by writesLock (taken inside lock, never around it) ----
  /**
   * The steps whose effects have not happened yet, in order: the head's write is in flight (or
   * its effects are being made), the others wait behind it. A run never has two writes in
   * flight; its lock is not held while one is. A step that finds others waiting behind the head
   * joins the last of them ({@link Pending#join}): the steps made during one write go to the
   * store as one write, so that a run whose writes are slow (a database) writes less often, not
   * later and later.
   */
  private final ArrayDeque<Pending> writes = new ArrayDeque<>();
  /**
   * The head of {@link #writes}, refused under an epoch the store says this engine claimed
   * after it: held until the claim is adopted ({@link #resumeParked}) or the run given up
   * ({@link #abandonParked}); guarded by {@code writesLock}.
   */
  private Pending parked;
  /** Why {@link #parked} was refused; guarded by {@code writesLock}. */
  private LeaseLostException parkedFor;
  /**
   * The highest epoch this engine will not adopt (a claim back it refused, or the run given up
   * here): a write refused for it is lost, not held; guarded by {@code writesLock}.
   */
  private long notAdopted;
  /**
   * Guards {@link #writes} alone: a write completing goes on with the next without the run's
   * lock, which a step stuck in host code may hold.
   */
  private final Object writesLock = new Object();
  /** The thread making this run's effects now, if any: a host operation it calls never waits. */
  private volatile Thread effectsThread;

  /**
   * One step's write and what it causes once the write is durable; with the steps that joined
   * it, theirs too.
   */
  private static final class Pending {
    /** Null when the step wrote nothing. */
    final RunChanges changes;
    /** The later steps that joined this write, in order; null while none has. */
    private List<Pending> joined;
    /** What goes to the store: {@link #changes} merged with those of the joined steps. */
    private RunChanges merged;
    /** The fence of the first of these steps that wrote something; null while none has. */
    private Fence fence;
    /** Hands the step's ready nodes to the pool: first, as it did under the lock before. */
    final Runnable dispatches;
    final List<Object> notices;
    final List<Runnable> callbacks;
    /** For a host operation, which returns once its write is durable; null otherwise. */
    final CompletableFuture<Void> durable;
    /** A refusal the dispatch met (an inline worker executor), for the step to throw. */
    volatile RuntimeException refused;

    Pending(RunChanges changes, Runnable dispatches, List<Object> notices,
        List<Runnable> callbacks, boolean waited) {
      this.changes = changes;
      this.dispatches = dispatches;
      this.notices = notices;
      this.callbacks = callbacks;
      this.durable = waited && changes != null ? new CompletableFuture<>() : null;
      this.fence = changes == null ? null : changes.fence();
    }

    /** Whether {@code later} may be written with this step: under the same fence. */
    boolean canJoin(Pending later) {
      return later.changes == null || fence == null || fence.equals(later.changes.fence());
    }

    /** {@code later} is written with this step, and its effects made right after these. */
    void join(Pending later) {
      if (joined == null) {
        joined = new ArrayList<>(4);
      }
      joined.add(later);
      if (fence == null && later.changes != null) {
        fence = later.changes.fence();
      }
    }

    /** The changes to store for this step and those that joined it; null if none wrote. */
    RunChanges write() {
      if (merged != null || joined == null) {
        return merged != null ? merged : changes;
      }
      List<RunChanges> all = new ArrayList<>(joined.size() + 1);
      if (changes != null) {
        all.add(changes);
      }
      for (Pending p : joined) {
        if (p.changes != null) {
          all.add(p.changes);
        }
      }
      merged = all.isEmpty() ? null : all.size() == 1 ? all.get(0) : RunWrites.merge(all);
      return merged;
    }

    /** Each step of this write, in order: this one, then those that joined it. */
    List<Pending> steps() {
      if (joined == null) {
        return List.of(this);
      }
      List<Pending> all = new ArrayList<>(joined.size() + 1);
      all.add(this);
      all.addAll(joined);
      return all;
    }
  }

  SerialRun(RunServices services, String runId, Lease lease, int nodes) {
    this.services = services;
    this.runId = runId;
    this.lease = lease;
    this.isDirty = new boolean[nodes];
  }

  /** After a step's body, still under the lock: what the body's changes lead to. */
  abstract void settle();

  /** The stored form of node {@code v} as it stands. */
  abstract NodeRecord nodeRecord(int v);

  /** The run's record if the step changed it, else null; resets the change. */
  abstract RunRecord takeChangedRecord();

  /**
   * Runs {@code body} under the lock, then settles and queues the changes' write; for a host
   * operation ({@code op} not null) returns once that write is durable and its effects made.
   * A body that throws still has what it changed before written; the exception is rethrown
   * after. When the changes cannot be stored the run is dropped, nobody hears of them, and a
   * waiting operation gets the store's failure.
   *
   * @throws RunDroppedException if the run was given up before the step
   */
  <T> T step(String op, Supplier<T> body) {
    return step(op, true, body);
  }

  /**
   * {@link #step(String, Supplier)} on behalf of {@code op}, returning before its write is
   * durable unless {@code wait}: for a command applied on an engine thread that must not wait
   * for a write (its retries may need that very thread).
   */
  <T> T step(String op, boolean wait, Supplier<T> body) {
    return run(op, wait && op != null, body);
  }

  /** A step on behalf of {@code op} (null: the engine), waiting for its write if {@code waits}. */
  private <T> T run(String op, boolean waits, Supplier<T> body) {
    if (lock.isHeldByCurrentThread()) {
      // host code called back into the run from inside a step (a context's progress during
      // reattach, a time source running a task at once): it joins the step under way
      return body.get();
    }
    T result = null;
    RuntimeException failure = null;
    Pending p;
    boolean inline;
    boolean start = false;
    acquire();
    try {
      if (services.isClosed()) {
        throw new IllegalStateException("engine is closed");
      }
      if (detached) {
        throw new RunDroppedException(runId, "it was given up before this step");
      }
      now = services.time().now();
      operator = op;
      batch = RunChanges.builder(runId, lease.fence());
      try {
        result = body.get();
        settle();
      } catch (RuntimeException e) {
        failure = e; // an operation refused: what happened before it still counts
      } finally {
        p = collect(waits && effectsThread != Thread.currentThread());
      }
      // nothing written and nothing before it: its effects need no write to wait for
      synchronized (writesLock) {
        inline = p != null && p.changes == null && writes.isEmpty();
        if (p != null && !inline) {
          Pending waiting = writes.size() > 1 ? writes.peekLast() : null; // not the head
          if (waiting != null && waiting.canJoin(p)) {
            waiting.join(p);
          } else {
            writes.add(p);
            start = writes.size() == 1;
          }
        }
      }
    } finally {
      lock.unlock();
    }
    if (inline) {
      effects(p);
    } else if (start) {
      submit(p);
    }
    if (p != null && p.refused != null) {
      throw p.refused; // made on this thread: a worker executor the pool refuses, say
    }
    if (p != null && p.durable != null) {
      try {
        p.durable.join();
      } catch (CompletionException e) {
        throw e.getCause() instanceof RuntimeException r ? r : e;
      }
      if (p.refused != null) {
        throw p.refused; // made by the thread that wrote it, with the steps before it
      }
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

  /**
   * Writes {@code p}'s changes; once they are durable, makes its effects and goes on with the
   * next write of the run. A write completed at once (the in-memory store) makes all of this
   * happen on the calling thread, before it returns.
   */
  private void submit(Pending p) {
    // a loop, not a recursion: with a store that completes at once, a long queue of one run's
    // writes is written here one after the other without growing the stack
    while (p != null) {
      CompletableFuture<RuntimeException> write = services.writes().write(fenced(p.write()));
      if (!write.isDone()) {
        Pending waiting = p;
        write.whenComplete((lost, error) -> submit(written(waiting, failure(lost, error))));
        return;
      }
      p = written(p, failure(write.join(), null));
    }
  }

  /**
   * {@code changes} under the run's lease now: a write built before this engine claimed its own
   * run back (adopted: nobody held it in between) goes on under the new epoch.
   */
  private RunChanges fenced(RunChanges changes) {
    Lease now = lease;
    Fence fence = changes.fence();
    return fence.epoch() < now.epoch() && fence.owner().equals(now.owner())
        ? changes.withFence(now.fence()) : changes;
  }

  /**
   * Whether the store refused a write of this engine's only because this engine has claimed the
   * run again since, with nobody in between: the write goes on under the new epoch.
   */
  private boolean claimedBackBy(RuntimeException lost) {
    return lost instanceof LeaseLostException l
        && l.currentOwner().filter(lease.owner()::equals).isPresent()
        && l.currentEpoch() == l.fence().epoch() + 1;
  }

  /**
   * The claim of this run back by this engine is adopted: the write refused for the old epoch,
   * held meanwhile, is written again under the new one.
   */
  void resumeParked() {
    Pending p;
    synchronized (writesLock) {
      p = parked;
      parked = null;
      parkedFor = null;
    }
    if (p != null) {
      submit(p);
    }
  }

  /**
   * The claim of this run back under {@code epoch} will not be adopted (the run ended here,
   * or was given up): a write held for it, or refused for it later, is lost as any other.
   */
  void refuseClaimBack(long epoch) {
    LeaseLostException lost;
    synchronized (writesLock) {
      notAdopted = Math.max(notAdopted, epoch);
      lost = parked != null ? parkedFor : null;
      parked = null;
      parkedFor = null;
    }
    if (lost != null) {
      writeLost(lost);
    }
  }

  /** The run was given up while a write waited for its claim back: nothing behind it happens. */
  void abandonParked(RuntimeException why) {
    List<Pending> discarded;
    synchronized (writesLock) {
      notAdopted = Long.MAX_VALUE; // given up: nothing is held for a claim back from now on
      if (parked == null) {
        return;
      }
      parked = null;
      parkedFor = null;
      discarded = new ArrayList<>(writes);
      writes.clear();
    }
    failWaiting(discarded, why);
  }

  private static RuntimeException failure(RuntimeException lost, Throwable error) {
    return lost != null ? lost : error == null ? null
        : error instanceof RuntimeException r ? r : new IllegalStateException(error);
  }

  /**
   * {@code p}'s write is done: makes its effects (and those of the steps behind it that wrote
   * nothing); returns the next pending write to submit, or null.
   */
  private Pending written(Pending p, RuntimeException lost) {
    while (true) {
      if (lost != null && claimedBackBy(lost)) {
        LeaseLostException refused = (LeaseLostException) lost;
        synchronized (writesLock) {
          boolean adopted = lease.epoch() == refused.currentEpoch();
          if (!adopted && !detached && refused.currentEpoch() > notAdopted) {
            parked = p; // the claim is not adopted yet: it is, or it is refused, or given up
            parkedFor = refused;
            return null;
          }
          if (adopted) {
            return p; // written again, under the new epoch
          }
        }
        // given up here, or the claim back will not be adopted: lost, as any other
      }
      if (lost != null) {
        writeLost(lost);
        return null;
      }
      effects(p);
      Pending next;
      synchronized (writesLock) {
        writes.poll();
        next = writes.peek();
      }
      if (next == null || next.write() != null) {
        return next;
      }
      p = next; // nothing to write: its effects follow at once
    }
  }

  /** The operations waiting for the steps of {@code discarded} fail with {@code why}. */
  private static void failWaiting(List<Pending> discarded, RuntimeException why) {
    for (Pending write : discarded) {
      for (Pending d : write.steps()) {
        if (d.durable != null) {
          d.durable.completeExceptionally(why);
        }
      }
    }
  }

  /** Makes the effects of each step of {@code p}'s write, in order. */
  private void effects(Pending p) {
    if (p.joined == null) {
      stepEffects(p);
      return;
    }
    for (Pending step : p.steps()) {
      stepEffects(step);
    }
  }

  /** Tells the listeners of {@code p}'s changes, then makes its callbacks, in order. */
  private void stepEffects(Pending p) {
    Thread me = Thread.currentThread();
    Thread before = effectsThread;
    effectsThread = me;
    try {
      if (!services.isClosed()) {
        if (p.dispatches != null) {
          try {
            p.dispatches.run();
          } catch (ScopePool.InlineExecutionException e) {
            p.refused = e; // a worker executor that runs loops inside execute(): said loudly
          } catch (RuntimeException e) {
            Guard.run("dispatch", () -> {
              throw e;
            });
          }
        }
        for (Object notice : p.notices) {
          services.notifyListeners(notice);
        }
        for (Runnable r : p.callbacks) {
          Guard.run("engine callback", r);
        }
      }
    } finally {
      effectsThread = before;
    }
    if (p.durable != null) {
      p.durable.complete(null);
    }
  }

  /** A write could not be stored: nothing queued behind it happens, and the run is dropped. */
  private void writeLost(RuntimeException lost) {
    List<Pending> discarded;
    writeLost = true;
    detached = true;
    synchronized (writesLock) {
      discarded = new ArrayList<>(writes);
      writes.clear();
    }
    failWaiting(discarded, lost);
    dropped(lost);
  }

  /**
   * The step's changes and effects, as a {@link Pending}; null when the run was given up while
   * the step was stuck (another engine may own the run now: nothing is written or called).
   */
  private Pending collect(boolean waited) {
    List<Runnable> callbacks = after;
    after = new ArrayList<>();
    if (detached) {
      for (int i = 0; i < dirtyCount; i++) {
        isDirty[dirty[i]] = false;
      }
      dirtyCount = 0;
      batch = null;
      stepNotices.clear();
      takeDispatches();
      discarded();
      return null;
    }
    for (int i = 0; i < dirtyCount; i++) {
      int v = dirty[i];
      isDirty[v] = false;
      batch.node(nodeRecord(v));
    }
    dirtyCount = 0;
    RunRecord changed = takeChangedRecord();
    if (changed != null) {
      batch.status(changed.status());
    }
    RunChanges changes = batch.build();
    batch = null;
    List<Object> notices = stepNotices.isEmpty() || !services.hasListeners() ? List.of()
        : List.copyOf(stepNotices);
    stepNotices.clear();
    return new Pending(changes.isEmpty() ? null : changes, takeDispatches(), notices, callbacks,
        waited);
  }

  /** The step's changes were discarded (the run given up meanwhile): nothing it began runs. */
  abstract void discarded();

  /** The ready nodes the step queued, as one effect that hands them to the pool; or null. */
  abstract Runnable takeDispatches();

  /** A step on behalf of the engine itself: does nothing once the engine is closed. */
  void internalStep(Runnable body) {
    internalStep(() -> {
      body.run();
      return null;
    });
  }

  /**
   * A step on behalf of the engine itself; {@code null} once the engine is closed or the run
   * given up (its changes then unstored: the run was dropped, and said why).
   */
  <T> T internalStep(Supplier<T> body) {
    return internalStep(false, body);
  }

  /**
   * {@link #internalStep(Runnable)}, returning once its write is durable: for a report whose
   * caller is promised it is stored (an engine reference). Never on the thread that makes the
   * run's effects, which would wait for itself.
   */
  void internalStepStored(Runnable body) {
    internalStep(true, () -> {
      body.run();
      return null;
    });
  }

  private <T> T internalStep(boolean waits, Supplier<T> body) {
    if (services.isClosed() || detached) {
      return null;
    }
    try {
      return run(null, waits, body);
    } catch (RunDroppedException e) {
      return null;
    } catch (RuntimeException e) {
      // given up: its write was lost (the run is dropped, and that logged) or the engine closed
      if (detached || e instanceof IllegalStateException && services.isClosed()) {
        return null;
      }
      throw e;
    }
  }

  /** The step's changes could not be stored: the run is given up here (see the subclass). */
  abstract void dropped(RuntimeException cause);

  /**
   * The step goes on under {@code newLease}, claimed during it (a retry re-opening an ended
   * run): only before the step has changed anything.
   */
  void takeLease(Lease newLease) {
    RunChanges.Builder fresh = RunChanges.builder(runId, newLease.fence());
    if (batch != null && !batch.build().isEmpty()) {
      throw new IllegalStateException("run " + runId + ": a lease taken after changes");
    }
    lease = newLease;
    batch = fresh;
  }

  /** Marks node {@code v}'s record to be written at the end of the step. */
  void markDirty(int v) {
    if (!isDirty[v]) {
      isDirty[v] = true;
      if (dirtyCount == dirty.length) {
        dirty = Arrays.copyOf(dirty, dirtyCount * 2);
      }
      dirty[dirtyCount++] = v;
    }
  }

  /**
   * Takes the run's lock, spinning a little first: steps are short, and a worker that parks
   * waits far longer for the wake-up than for the step it queued behind.
   */
  private void acquire() {
    for (int i = 0; i < SPINS; i++) {
      if (lock.tryLock()) {
        return;
      }
      Thread.onSpinWait();
    }
    lock.lock();
  }


}
