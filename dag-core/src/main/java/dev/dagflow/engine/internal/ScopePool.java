package dev.dagflow.engine.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker pool of one worker key: a bounded set of threads taking ready nodes from a queue
 * ordered by run priority, node priority, then ready order; and the admission of runs under the
 * policies' limit of concurrent runs. Thread-safe: one lock guards the queue and counters, and
 * is never held while a run's lock is taken or user code runs.
 */
final class ScopePool {
  private static final Logger LOG = LoggerFactory.getLogger(ScopePool.class);
  final String key;
  private final int size;
  private final ExecutorService threads;
  /** The threads the pool made that have not ended. */
  private final Set<Thread> made;
  private final Object lock = new Object();
  private final PriorityQueue<ReadyNode> queue = new PriorityQueue<>();
  private final PriorityQueue<ActiveRun> waitingRuns = new PriorityQueue<>(ActiveRun.ADMISSION);
  private int busyWorkers;
  private int runningRuns;
  /** Runs attached to this pool (admitted or waiting); the pool is released at zero. */
  int attached;
  boolean closed;

  ScopePool(String key, int size, ExecutorService threads, Set<Thread> made) {
    this.key = key;
    this.size = size;
    this.threads = threads;
    this.made = made;
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
      threads.execute(this::work);
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
    boolean counted = true;
    try {
      while (true) {
        ReadyNode next;
        synchronized (lock) {
          next = closed ? null : queue.poll();
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
      if (counted) {
        synchronized (lock) {
          busyWorkers--;
        }
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
      return admitWaiting();
    }
  }

  /** A waiting run was stopped before it started. */
  void withdraw(ActiveRun run) {
    synchronized (lock) {
      waitingRuns.remove(run);
    }
  }

  private List<ActiveRun> admitWaiting() {
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
    return Waits.awaitTermination(threads, deadline);
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
    threads.shutdownNow();
  }
}
