package dev.dagflow.engine.internal;

import dev.dagflow.store.Lease;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * How the changes of one run are serialised: every change is a {@link #step} that runs under the
 * run's lock, collects what changed, writes it to the run store at once, and only then, outside
 * the lock, makes the callbacks into host code it queued ({@link #after}) and tells the
 * listeners, in order. {@link ActiveRun} supplies what a step does and what it writes.
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
  /** Set, under the lock, when a step's write could not be stored: the run is being dropped. */
  boolean writeLost;

  /** Whether a step's write could not be stored (the run is dropped here for it). */
  boolean writeLost() {
    lock.lock();
    try {
      return writeLost;
    } finally {
      lock.unlock();
    }
  }

  // ---- listener notices, published in order outside the lock ----
  private final ConcurrentLinkedQueue<Object> notices = new ConcurrentLinkedQueue<>();
  private final ReentrantLock noticeLock = new ReentrantLock();

  SerialRun(RunServices services, String runId, Lease lease, int nodes) {
    this.services = services;
    this.runId = runId;
    this.lease = lease;
    this.isDirty = new boolean[nodes];
  }

  /** Before a step's body, under the lock: what a step whose write fails falls back to. */
  abstract void beginStep();

  /** After a step's body, still under the lock: what the body's changes lead to. */
  abstract void settle();

  /** The stored form of node {@code v} as it stands. */
  abstract NodeRecord nodeRecord(int v);

  /** The run's record if the step changed it, else null; resets the change. */
  abstract RunRecord takeChangedRecord();

  /**
   * Runs {@code body} under the lock, then settles, writes the changes, and, outside the lock,
   * tells the listeners and makes the queued callbacks. A body that throws still has what it
   * changed before written; the exception is rethrown after. When the changes cannot be stored
   * the run is dropped, nobody hears of them, and the store's failure is thrown.
   *
   * @throws RunDroppedException if the run was given up before the step
   */
  <T> T step(String op, Supplier<T> body) {
    if (lock.isHeldByCurrentThread()) {
      // host code called back into the run from inside a step (a context's progress during
      // reattach, a time source running a task at once): it joins the step under way
      return body.get();
    }
    List<Runnable> todo;
    T result = null;
    RuntimeException failure = null;
    RuntimeException lost;
    acquire();
    try {
      if (services.isClosed()) {
        throw new IllegalStateException("engine is closed");
      }
      if (detached) {
        throw new RunDroppedException(runId, "it was given up before this step");
      }
      now = services.time().now();
      beginStep();
      operator = op;
      batch = RunChanges.builder(runId, lease.fence());
      try {
        result = body.get();
        settle();
      } catch (RuntimeException e) {
        failure = e; // an operation refused: what happened before it still counts
      } finally {
        lost = flush();
        todo = after;
        after = new ArrayList<>();
      }
    } finally {
      lock.unlock();
    }
    if (lost != null) {
      dropped(lost);
      throw lost;
    }
    publish(); // listeners hear of the step before its callbacks run (unless another thread
    // is publishing this run's notices right now: it publishes these too, maybe a moment later)
    for (Runnable r : todo) {
      Guard.run("engine callback", r);
    }
    if (failure != null) {
      throw failure;
    }
    return result;
  }

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
    if (services.isClosed() || detached) {
      return null;
    }
    try {
      return step(null, body);
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

  /** Writes the step's changes; returns null once stored, or why they could not be. */
  private RuntimeException flush() {
    if (batch == null) {
      return null;
    }
    if (detached) { // given up while this step was stuck: another engine may own the run now
      for (int i = 0; i < dirtyCount; i++) {
        isDirty[dirty[i]] = false;
      }
      dirtyCount = 0;
      batch = null;
      stepNotices.clear();
      after.clear();
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
    if (!changes.isEmpty()) {
      RuntimeException lost = services.writes().apply(changes);
      if (lost != null) { // nobody hears of what was not stored
        detached = true;
        writeLost = true;
        stepNotices.clear();
        after.clear();
        return lost;
      }
    }
    if (services.hasListeners()) {
      notices.addAll(stepNotices);
    }
    stepNotices.clear();
    return null;
  }

  private void publish() {
    while (!notices.isEmpty()) {
      if (!noticeLock.tryLock()) {
        return; // the thread holding it publishes ours too
      }
      try {
        Object notice;
        while ((notice = notices.poll()) != null) {
          services.notifyListeners(notice);
        }
      } finally {
        noticeLock.unlock();
      }
    }
  }
}
