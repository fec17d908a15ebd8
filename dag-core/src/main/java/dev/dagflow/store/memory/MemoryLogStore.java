package dev.dagflow.store.memory;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.Fence;
import dev.dagflow.store.LogBatch;
import dev.dagflow.store.LogStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory {@link LogStore}: per run, its lines in number order, the epoch its log is
 * fenced at and the highest number it has stored. Thread-safe: each run's log is guarded by its
 * own monitor, so appends to different runs do not wait for each other, and a batch is taken or
 * refused whole. A run's entry stays when its lines are purged (a few bytes), so that its
 * numbering and fence survive.
 */
final class MemoryLogStore implements LogStore {
  private final ConcurrentHashMap<String, RunLog> runs = new ConcurrentHashMap<>();

  /** One run's log; guarded by its monitor. */
  private static final class RunLog {
    /** Sorted by seq, each seq once. */
    final ArrayList<LogEntry> lines = new ArrayList<>();
    long fencedAt;
    long highest;

    /** Where line {@code seq} is, or {@code -(insertion point) - 1}. */
    int find(long seq) {
      int lo = 0;
      int hi = lines.size() - 1;
      while (lo <= hi) {
        int mid = (lo + hi) >>> 1;
        long at = lines.get(mid).seq();
        if (at < seq) {
          lo = mid + 1;
        } else if (at > seq) {
          hi = mid - 1;
        } else {
          return mid;
        }
      }
      return -(lo + 1);
    }

    void add(LogEntry line) {
      if (lines.isEmpty() || lines.get(lines.size() - 1).seq() < line.seq()) {
        lines.add(line); // an owner appends in order: the usual case
      } else {
        int at = find(line.seq());
        if (at >= 0) {
          return; // stored already: a batch appended again
        }
        lines.add(-at - 1, line);
      }
      highest = Math.max(highest, line.seq());
    }
  }

  private RunLog log(String runId) {
    return runs.computeIfAbsent(runId, id -> new RunLog());
  }

  @Override
  public List<LogBatch> append(List<LogBatch> batches) {
    Objects.requireNonNull(batches, "batches");
    for (LogBatch b : batches) {
      Objects.requireNonNull(b, "batches must not hold null");
    }
    List<LogBatch> refused = new ArrayList<>();
    for (LogBatch b : batches) {
      RunLog log = log(b.runId());
      synchronized (log) {
        if (b.fence().epoch() < log.fencedAt) {
          refused.add(b);
          continue;
        }
        for (LogEntry line : b.lines()) {
          log.add(line);
        }
      }
    }
    return List.copyOf(refused);
  }

  @Override
  public long fence(String runId, Fence fence) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(fence, "fence");
    RunLog log = log(runId);
    synchronized (log) {
      log.fencedAt = Math.max(log.fencedAt, fence.epoch());
      return log.highest;
    }
  }

  @Override
  public List<LogEntry> query(LogQuery query) {
    Objects.requireNonNull(query, "query");
    RunLog log = runs.get(query.runId());
    if (log == null) {
      return List.of();
    }
    List<LogEntry> out = new ArrayList<>();
    synchronized (log) {
      int from = log.find(query.afterSequence() + 1);
      for (int i = from >= 0 ? from : -from - 1; i < log.lines.size(); i++) {
        LogEntry e = log.lines.get(i);
        if (query.matches(e)) {
          out.add(e);
          if (out.size() == query.limit()) {
            break;
          }
        }
      }
    }
    return List.copyOf(out);
  }

  @Override
  public long purgeBefore(Instant time) {
    Objects.requireNonNull(time, "time");
    long removed = 0;
    for (RunLog log : runs.values()) {
      synchronized (log) {
        int before = log.lines.size();
        log.lines.removeIf(e -> e.time().isBefore(time));
        removed += before - log.lines.size();
        if (log.lines.isEmpty()) {
          log.lines.trimToSize();
        }
      }
    }
    return removed;
  }

  @Override
  public long deleteRuns(Collection<String> runIds) {
    long removed = 0;
    for (String runId : runIds) {
      RunLog log = runs.remove(Objects.requireNonNull(runId, "runIds"));
      if (log != null) {
        synchronized (log) {
          removed += log.lines.size();
        }
      }
    }
    return removed;
  }

  @Override
  public String toString() {
    return "MemoryLogStore{runs=" + runs.size() + "}";
  }
}
