package dev.dagflow.engine.internal;

import dev.dagflow.metrics.PoolStats;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool of one worker key: a bounded number of worker loops taking ready nodes from a
 * queue ordered by run priority, node priority, then ready order; and the admission of runs under
 * the policies' limit of concurrent runs, as this instance counts them (the store counts them
 * over every instance: {@link Admissions}). The loops run on threads the pool made, or on the
 * host's executor, which the pool never shuts down: then the bound, the queue and the order are
 * still the pool's, only the threads are the host's. Thread-safe: one lock guards the queue and
 * counters, and is never held while a run's lock is taken or user code runs.
 */
final class ScopePool implements PoolStats {
  private static final Logger LOG = LoggerFactory.getLogger(ScopePool.class);
  /** How many nodes per worker a pool starts ahead while their RUNNING records are written. */
  static final int START_AHEAD = 4;
  final String key;
  private final int size;
  private final Executor threads;
  /** The executor the pool made and shuts down; null when the loops run on the host's. */
  private final ExecutorService own;
  /**
   * The threads the pool made that have not ended; with the host's executor, the threads
   * running one of the pool's loops now.
   */
  private final Set<Thread> made;
  /** The thread inside the host executor's {@code execute} now, to catch one that runs inline. */
  private volatile Thread spawning;
  private final Object lock = new Object();
  private final PriorityQueue<ReadyNode> queue = new PriorityQueue<>();
  private final PriorityQueue<ActiveRun> waitingRuns = new PriorityQueue<>(ActiveRun.ADMISSION);
  private int busyWorkers;
  /**
   * Attempts begun from this pool whose RUNNING record is not durable yet, and whose worker went
   * on: at most {@link #START_AHEAD} per worker, so that a slow store never has workers begin
   * many more nodes than they can run (each waiting, RUNNING and timed, for its turn), as a
   * scheduler that fetches a few executions per thread ahead.
   */
  private int waitingForWrites;
  private int runningRuns;
  /** Attempts of its runs in flight, counted only when the engine has metrics. */
  final AtomicInteger runningNodes = new AtomicInteger();
  /** Runs attached to this pool (admitted or waiting); the pool is released at zero. */
  int attached;
  boolean closed;

  /** A pool on threads it made: {@code made} holds them while they live. */
  ScopePool(String key, int size, ExecutorService threads, Set<Thread> made) {
    this.key = key;
    this.size = size;
    this.threads = threads;
    this.own = threads;
    this.made = made;
  }

  /** A pool whose loops run on the host's executor. */
  ScopePool(String key, int size, Executor host) {
    this.key = key;
    this.size = size;
    this.threads = host;
    this.own = null;
    this.made = ConcurrentHashMap.newKeySet();
  }

  /** Queues a ready node; a free worker picks the first in order. */
  void submit(ReadyNode node) {
    boolean spawn;
    synchronized (lock) {
      queue.add(node);
      spawn = busyWorkers < size && !closed;
      if (spawn) {
        busyWorkers++;
      }
    }
    if (spawn) {
      spawn();
    }
  }

  /** A worker went on from an attempt whose RUNNING record is not durable yet. */
  void wentOn() {
    synchronized (lock) {
      waitingForWrites++;
    }
  }

  /** An attempt a worker went on from is stored: {@code item} runs it, before newer nodes. */
  void resumed(ReadyNode item) {
    synchronized (lock) {
      waitingForWrites--;
    }
    submit(item);
  }

  /** An attempt a worker went on from will never run (its run was given up here). */
  void notResumed() {
    boolean spawn;
    synchronized (lock) {
      waitingForWrites--;
      spawn = !queue.isEmpty() && busyWorkers < size && !closed;
      if (spawn) {
        busyWorkers++;
      }
    }
    if (spawn) { // the queued nodes it held back may go now
      try {
        spawn();
      } catch (InlineExecutionException e) {
        LOG.error("the worker executor of {} ran a worker loop inline; its queued nodes wait for"
            + " the next loop", key, e);
      }
    }
  }

  private void spawn() {
    if (own != null) {
      threads.execute(this::work);
      return;
    }
    try {
      spawning = Thread.currentThread();
      threads.execute(this::work);
    } catch (RuntimeException e) {
      synchronized (lock) {
        busyWorkers--; // the loop never ran; the node stays queued for the next one
      }
      if (e instanceof InlineExecutionException) {
        throw e;
      }
      LOG.error("the worker executor refused a worker loop of {}; its queued nodes wait for the"
          + " next loop it accepts", key, e);
    } finally {
      spawning = null;
    }
  }

  /** Whether {@code node} would be taken before every node waiting in the queue. */
  boolean wouldRunFirst(ReadyNode node) {
    synchronized (lock) {
      ReadyNode head = queue.peek();
      return head == null || node.compareTo(head) <= 0;
    }
  }

  private void work() {
    Thread me = Thread.currentThread();
    if (own == null) {
      if (spawning == me) {
        // called under a run's lock: running nodes here would nest steps of runs inside it
        throw new InlineExecutionException(key);
      }
      made.add(me);
    }
    boolean counted = true;
    try {
      while (true) {
        ReadyNode next;
        synchronized (lock) {
          next = closed ? null : queue.peek();
          if (next != null && next.begun() == null
              && waitingForWrites >= size * START_AHEAD) {
            next = null; // enough started nodes wait for their writes: the next waits for them
          }
          if (next != null) {
            queue.poll();
          }
          if (next == null) {
            busyWorkers--;
            counted = false;
            return;
          }
        }
        try {
          next.run().dispatch(next);
        } catch (RuntimeException | StackOverflowError e) {
          // a bug or a store failure: the run may be stuck, the worker must not die with it
          LOG.error("worker of {} failed on node {} of run {}", key, next.node(),
              next.run().runId, e);
        }
      }
    } finally {
      if (counted || own == null) {
        endLoop(me, counted);
      }
    }
  }

  private void endLoop(Thread me, boolean counted) {
    synchronized (lock) {
      if (counted) {
        busyWorkers--;
      }
      if (own == null) {
        made.remove(me);
        lock.notifyAll(); // for awaitTermination
      }
    }
  }

  /**
   * Admits {@code run} if its scope runs fewer runs than {@code limit} (0: no limit); otherwise
   * it waits, in priority order, until {@link #runEnded} makes room.
   */
  boolean admit(ActiveRun run, int limit) {
    synchronized (lock) {
      if (waitingRuns.isEmpty() && (limit == 0 || runningRuns < limit)) {
        runningRuns++;
        return true;
      }
      waitingRuns.add(run);
      return false;
    }
  }

  /** Counts a run re-opened by a retry: it runs at once. */
  void readmit() {
    synchronized (lock) {
      runningRuns++;
    }
  }

  /** A run ended: returns the waiting runs that may start now, already counted as running. */
  List<ActiveRun> runEnded() {
    synchronized (lock) {
      runningRuns--;
      return admitWaitingLocked();
    }
  }

  /**
   * The store refused {@code run} a place ({@link Admissions}) after this pool counted it as
   * running: it waits again, in its order, until the pool is asked for its waiting runs again.
   */
  void refused(ActiveRun run) {
    synchronized (lock) {
      runningRuns--;
      waitingRuns.add(run);
    }
  }

  /** The waiting runs that may start now, already counted as running. */
  List<ActiveRun> admitWaiting() {
    synchronized (lock) {
      return admitWaitingLocked();
    }
  }

  /** A waiting run was stopped before it started. */
  void withdraw(ActiveRun run) {
    synchronized (lock) {
      waitingRuns.remove(run);
    }
  }

  private List<ActiveRun> admitWaitingLocked() {
    List<ActiveRun> admitted = new ArrayList<>();
    while (!waitingRuns.isEmpty()) {
      int limit = waitingRuns.peek().maxConcurrentRuns();
      if (limit != 0 && runningRuns >= limit) {
        break;
      }
      runningRuns++;
      admitted.add(waitingRuns.poll());
    }
    return admitted;
  }

  /** Whether the pool's threads ended by {@code deadline} (a nano time), after shutdown. */
  boolean awaitTermination(long deadline) {
    if (made.contains(Thread.currentThread())) {
      return true; // closed by host code on one of our workers: it cannot wait for itself
    }
    if (own != null) {
      return Waits.awaitTermination(own, deadline);
    }
    synchronized (lock) { // the host's threads live on: wait for our loops on them to return
      return Waits.until(lock, made::isEmpty, deadline);
    }
  }

  /** The names of the pool's threads still alive, sorted. */
  List<String> liveThreads() {
    return made.stream().filter(Thread::isAlive).map(Thread::getName).sorted().toList();
  }

  void shutdown() {
    synchronized (lock) {
      closed = true;
      queue.clear();
    }
    if (own != null) {
      own.shutdownNow(); // only what the pool made: the host's executor and threads are the host's
    }
  }

  // ---- the figures a metrics system reads (PoolStats) -----------------------------------

  @Override
  public String workerKey() {
    return key;
  }

  @Override
  public int workers() {
    synchronized (lock) {
      return closed ? 0 : size;
    }
  }

  @Override
  public int busyWorkers() {
    synchronized (lock) {
      return closed ? 0 : busyWorkers;
    }
  }

  @Override
  public int queuedNodes() {
    synchronized (lock) {
      return queue.size();
    }
  }

  @Override
  public int runningNodes() {
    return runningNodes.get();
  }

  @Override
  public int activeRuns() {
    synchronized (lock) {
      return closed ? 0 : runningRuns;
    }
  }

  @Override
  public int waitingRuns() {
    synchronized (lock) {
      return closed ? 0 : waitingRuns.size();
    }
  }

  /** The host's executor ran a worker loop inside {@code execute}, on the calling thread. */
  static final class InlineExecutionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    InlineExecutionException(String key) {
      super("the worker executor ran a worker loop of " + key + " inside execute(), on the "
          + "calling thread; the engine calls it under a run's lock, so it must hand the loop to"
          + " another thread or queue it (in tests, dev.dagflow.testing.ManualWorkers)");
    }
  }
}
