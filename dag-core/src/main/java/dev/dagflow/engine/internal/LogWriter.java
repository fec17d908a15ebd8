package dev.dagflow.engine.internal;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LogBatch;
import dev.dagflow.store.LogStore;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How an engine's log lines reach its {@link LogStore}, off the threads that write them: a line
 * is numbered in its run's log and put in a bounded buffer, and one daemon thread of its own,
 * {@code dagflow-logs}, appends the buffer to the store in batches of up to {@value #MAX_BATCH}
 * lines. A line waits at most {@link #FLUSH_INTERVAL} before its batch is written (in real
 * time, whatever the engine's time source), less when a batch is full, when an attempt ends
 * ({@link #flushSoon}), before a query reads the run's log ({@link #awaitWritten}) and on {@link
 * #close}. While the thread has nothing to write it waits on a condition, never polling.
 *
 * <p>A full buffer holds the writing thread until there is room: lines are never dropped for
 * want of space. A line written while its run's lock is held (the engine's own notes, and host
 * code the engine calls inside a step) never waits, so that no step of the run stalls on the
 * log store; those few may take the buffer over its size. A failed append ({@link
 * StoreException}) is retried as the same batch, without limit, with capped exponential
 * backoff, so that a run's lines reach the store in their order; until {@code close()} gives up.
 *
 * <p>A run's lines carry the fence of this engine's lease; a store that has since fenced the
 * run's log at a later epoch (its new owner took it over) refuses them: they are dropped with
 * one WARN line per batch, and the run's later lines here are not even buffered.
 *
 * <p>Thread-safe: every mutable field, those of each {@link RunLog} included, is guarded by one
 * lock, held only to number, buffer and take lines, never across a store call.
 */
final class LogWriter {
  private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);
  /** The longest a line waits in the buffer before its batch is written, the store keeping up. */
  static final Duration FLUSH_INTERVAL = Duration.ofMillis(200);
  /** The most lines one append carries. */
  static final int MAX_BATCH = 1_000;
  /** How many logs of runs this engine opened are kept for a line that comes after their end. */
  static final int RECENT_RUNS = 1_024;
  private static final long INTERVAL = FLUSH_INTERVAL.toNanos();
  private static final long MIN_BACKOFF = TimeUnit.MILLISECONDS.toNanos(1);

  /** A numbered line and the log it belongs to. */
  private record Line(RunLog log, LogEntry entry) {
  }

  private final LogStore store;
  private final int capacity;
  private final int batchSize;
  private final long backoff;
  private final long maxBackoff;
  private final ReentrantLock lock = new ReentrantLock();
  /** The flusher waits on it: for lines, a full batch, a flush asked for, its interval, close. */
  private final Condition work = lock.newCondition();
  /** Writers wait on it while the buffer is full. */
  private final Condition room = lock.newCondition();
  /** Signalled after every batch: queries and close() wait on it. */
  private final Condition progress = lock.newCondition();

  // ---- guarded by lock ----
  private final ArrayDeque<Line> buffer = new ArrayDeque<>();
  /** Insertion order: the logs of the runs opened or ended last. */
  private final LinkedHashMap<String, RunLog> recent = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, RunLog> eldest) {
      return size() > RECENT_RUNS;
    }
  };
  /** When the buffer last went from empty to holding a line (a nano time). */
  private long firstAt;
  /** Write the buffer now, without waiting for the interval. */
  private boolean flushAsked;
  /** How many lines the append under way carries. */
  private int inFlight;
  /** Lines given up on: the store failed until close() stopped waiting. */
  private long lost;
  private boolean closed;
  /** Once closed: when the flusher gives up on a failing store (a nano time). */
  private long stopAt;
  private boolean saidClosed;
  private Thread thread;

  /**
   * @param capacity how many lines the buffer holds before writers wait
   * @param backoff the first wait after a failed append, doubling up to {@code maxBackoff}
   */
  LogWriter(LogStore store, int capacity, Duration backoff, Duration maxBackoff) {
    this.store = store;
    this.capacity = capacity;
    this.batchSize = Math.min(MAX_BATCH, capacity);
    this.backoff = Math.max(MIN_BACKOFF, backoff.toNanos());
    this.maxBackoff = Math.max(this.backoff, maxBackoff.toNanos());
  }

  // ---- logs --------------------------------------------------------------------------------

  /** The log of a run this engine creates under {@code lease}: numbered from 1. */
  RunLog open(Lease lease, Optional<String> project) {
    return keep(new RunLog(lease, project, 0));
  }

  /**
   * The log of a run this engine takes over under {@code lease}: fences the stored log at the
   * lease's epoch, and numbers after the highest line stored. Lines this engine still buffers
   * for the run under an earlier lease (it ran the run before: an operation re-opens it, or it
   * dropped it) are written first, waiting up to {@code wait}, so that the fence refuses none.
   *
   * @throws RuntimeException what the store threw: the run cannot be taken over now
   */
  RunLog takeOver(Lease lease, Optional<String> project, Duration wait) {
    RunLog before = recent(lease.runId());
    if (before != null) {
      awaitWritten(before, System.nanoTime() + wait.toNanos());
    }
    long last = store.fence(lease.runId(), lease.fence());
    return keep(new RunLog(lease, project, last));
  }

  /** Keeps {@code log} among the recent ones, as the newest (a run that ends moves up). */
  RunLog keep(RunLog log) {
    lock.lock();
    try {
      recent.remove(log.runId);
      recent.put(log.runId, log);
      return log;
    } finally {
      lock.unlock();
    }
  }

  /** The log this engine last opened for run {@code runId}, if it still keeps it; else null. */
  RunLog recent(String runId) {
    lock.lock();
    try {
      return recent.get(runId);
    } finally {
      lock.unlock();
    }
  }

  // ---- writing -----------------------------------------------------------------------------

  /**
   * Numbers a line of {@code log} and buffers it. With {@code mayWait} a full buffer holds the
   * calling thread until there is room (the interrupt status is kept, and the wait goes on);
   * without, the line goes in at once. A line of a log fenced off, or written once the writer is
   * closed, is not stored.
   */
  void append(RunLog log, Optional<String> nodeId, int attempt, LogLevel level, String message,
      Instant time, boolean mayWait) {
    lock.lock();
    try {
      if (mayWait) {
        while (buffer.size() >= capacity && !closed && !log.fencedOff) {
          room.awaitUninterruptibly();
        }
      }
      if (closed) {
        if (!saidClosed) {
          saidClosed = true;
          LOG.info("run {}: log lines written from now on are not stored: close() gives the "
              + "engine's runs up", log.runId);
        }
        return;
      }
      if (log.fencedOff) {
        return; // the run's log has a later owner, who would refuse it anyway
      }
      LogEntry entry = new LogEntry(log.runId, log.last + 1, nodeId, attempt, level, message,
          time);
      log.last++;
      if (buffer.isEmpty()) {
        firstAt = System.nanoTime();
      }
      buffer.add(new Line(log, entry));
      if (thread == null) {
        startThread();
      }
      if (buffer.size() == 1 || buffer.size() == batchSize) {
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Asks for the buffer to be written now: an attempt ended, its lines should show soon. */
  void flushSoon() {
    lock.lock();
    try {
      if (!buffer.isEmpty() && !flushAsked) {
        flushAsked = true;
        work.signal();
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * Asks for the buffer to be written now and waits until every line of {@code log} buffered
   * before the call has been through the store, or until {@code deadline} (a nano time): what
   * a query of the run's log does first, so that it reads what was written before it. Returns
   * at once once the writer is closed; an interrupt ends the wait (and stays set).
   */
  void awaitWritten(RunLog log, long deadline) {
    lock.lock();
    try {
      long target = log.last;
      if (log.written >= target || closed) {
        return;
      }
      flushAsked = true;
      work.signal();
      while (log.written < target && !closed) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          return;
        }
        progress.awaitNanos(left);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }

  /**
   * Takes no more lines, writes those buffered until {@code deadline} (a nano time), and ends
   * the thread: what {@code close()} does before it releases the leases. Returns how many lines
   * it could not write by then. Idempotent.
   */
  long close(long deadline) {
    Thread t;
    long left;
    lock.lock();
    try {
      if (closed) {
        return 0;
      }
      closed = true;
      stopAt = deadline;
      flushAsked = true;
      work.signalAll();
      room.signalAll();
      t = thread;
      try {
        while (t != null && (!buffer.isEmpty() || inFlight > 0)) {
          long wait = deadline - System.nanoTime();
          if (wait <= 0) {
            break;
          }
          progress.awaitNanos(wait);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // the caller's: it asked to stop waiting
      }
      left = buffer.size() + inFlight + lost;
    } finally {
      lock.unlock();
    }
    if (t != null && t != Thread.currentThread()) {
      try {
        t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      if (t.isAlive()) {
        t.interrupt(); // stuck in the store: its lines are counted as not written
      }
    }
    return left;
  }

  // ---- the flusher thread --------------------------------------------------------------------

  private void flushLoop() {
    try {
      List<Line> batch;
      while ((batch = take()) != null) {
        write(batch);
        lock.lock();
        try {
          for (Line l : batch) {
            l.log.written = Math.max(l.log.written, l.entry.seq());
          }
          inFlight = 0;
          progress.signalAll();
        } finally {
          lock.unlock();
        }
      }
    } catch (InterruptedException e) {
      // close() gave up on an append that did not return: its lines are counted there
    } finally {
      lock.lock();
      try {
        if (!closed && thread == Thread.currentThread()) {
          // ended by an error (out of memory...): a new thread goes on, or writers would wait
          // for room forever
          inFlight = 0;
          thread = null;
          if (!buffer.isEmpty()) {
            startThread();
          }
        }
        progress.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  /** Starts the flusher thread; under the lock. */
  private void startThread() {
    thread = new Thread(this::flushLoop, "dagflow-logs");
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * Waits for the next batch: lines, and then a full batch, a flush asked for, the interval of
   * the oldest line, or close(). Returns null once closed with nothing left to write, or once
   * close() has given up on the store (the lines left are counted as lost).
   */
  private List<Line> take() throws InterruptedException {
    lock.lock();
    try {
      while (buffer.isEmpty()) {
        if (closed) {
          return null;
        }
        work.await();
      }
      while (!flushAsked && !closed && buffer.size() < batchSize) {
        long left = firstAt + INTERVAL - System.nanoTime();
        if (left <= 0) {
          break;
        }
        work.awaitNanos(left);
      }
      if (closed && System.nanoTime() - stopAt >= 0) {
        lost += buffer.size();
        buffer.clear();
        room.signalAll();
        return null;
      }
      int n = Math.min(buffer.size(), batchSize);
      List<Line> batch = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        batch.add(buffer.poll());
      }
      inFlight = n;
      flushAsked = !buffer.isEmpty(); // a backlog: on at once
      if (!buffer.isEmpty()) {
        firstAt = System.nanoTime();
      }
      room.signalAll();
      return batch;
    } finally {
      lock.unlock();
    }
  }

  /** Appends {@code batch}, retrying a store failure, and drops what the store refused. */
  private void write(List<Line> batch) throws InterruptedException {
    Map<RunLog, List<LogEntry>> byLog = new LinkedHashMap<>();
    for (Line l : batch) {
      byLog.computeIfAbsent(l.log, k -> new ArrayList<>()).add(l.entry);
    }
    List<LogBatch> batches = new ArrayList<>(byLog.size());
    Map<LogBatch, RunLog> logs = new HashMap<>(); // by value: a store may hand back copies
    byLog.forEach((log, lines) -> {
      LogBatch b = new LogBatch(log.runId, log.fence, lines);
      batches.add(b);
      logs.put(b, log);
    });
    long wait = backoff;
    for (int tries = 1; ; tries++) {
      List<LogBatch> refused;
      try {
        refused = store.append(batches);
      } catch (StoreException e) {
        if (!pause(wait)) {
          LOG.warn("appending {} log lines failed {} times; close() gave up on them: {}",
              batch.size(), tries, e.getMessage());
          lock.lock();
          try {
            lost += batch.size();
          } finally {
            lock.unlock();
          }
          return;
        }
        LOG.warn("appending {} log lines failed (try {}); trying again in {} ms: {}",
            batch.size(), tries, TimeUnit.NANOSECONDS.toMillis(wait), e.getMessage());
        wait = Math.min(maxBackoff, wait * 2);
        continue;
      } catch (Throwable e) {
        if (e instanceof VirtualMachineError fatal) {
          throw fatal;
        }
        LOG.error("the log store failed appending {} log lines of runs {}, not with a "
            + "StoreException: a bug, which retrying would not mend; the lines are lost",
            batch.size(), byLog.keySet().stream().map(l -> l.runId).distinct().toList(), e);
        return;
      }
      for (LogBatch b : refused) {
        RunLog log = logs.get(b);
        LOG.warn("run {}: {} log lines ({} to {}) written at epoch {} were refused: the run's "
            + "log has been taken over by a later owner; dropped here", b.runId(),
            b.lines().size(), b.firstSeq(), b.lastSeq(), b.fence().epoch());
        if (log != null) {
          lock.lock();
          try {
            log.fencedOff = true;
          } finally {
            lock.unlock();
          }
        }
      }
      return;
    }
  }

  /**
   * Waits {@code nanos} before the next try, or until close() gives up: false once it has (the
   * deadline of close() has passed).
   */
  private boolean pause(long nanos) throws InterruptedException {
    long end = System.nanoTime() + nanos;
    lock.lock();
    try {
      while (true) {
        long now = System.nanoTime();
        if (closed && now - stopAt >= 0) {
          return false;
        }
        long until = closed && stopAt - end < 0 ? stopAt : end;
        if (until - now <= 0) {
          return true;
        }
        work.awaitNanos(until - now); // close() signals: its deadline may be nearer
      }
    } finally {
      lock.unlock();
    }
  }
}
