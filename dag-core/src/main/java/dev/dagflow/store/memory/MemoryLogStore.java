package dev.dagflow.store.memory;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.LogStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The in-memory {@link LogStore}: one list of lines per run. Thread-safe: each run's list is
 * guarded by its own monitor, so appends to different runs do not wait for each other, and a
 * batch is appended to each run whole.
 */
final class MemoryLogStore implements LogStore {
  private final ConcurrentHashMap<String, List<LogEntry>> runs = new ConcurrentHashMap<>();

  @Override
  public void append(List<LogEntry> entries) {
    Objects.requireNonNull(entries, "entries");
    Map<String, List<LogEntry>> byRun = new LinkedHashMap<>();
    for (LogEntry e : entries) {
      Objects.requireNonNull(e, "entries must not hold null");
      byRun.computeIfAbsent(e.runId(), id -> new ArrayList<>()).add(e);
    }
    byRun.forEach((runId, lines) -> {
      while (true) {
        List<LogEntry> list = runs.computeIfAbsent(runId, id -> new ArrayList<>());
        synchronized (list) {
          // purgeBefore may have dropped an emptied list from the map meanwhile
          if (runs.get(runId) == list) {
            list.addAll(lines);
            return;
          }
        }
      }
    });
  }

  @Override
  public List<LogEntry> query(LogQuery query) {
    Objects.requireNonNull(query, "query");
    List<LogEntry> list = runs.get(query.runId());
    if (list == null) {
      return List.of();
    }
    List<LogEntry> out = new ArrayList<>();
    synchronized (list) {
      for (LogEntry e : list) {
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
    for (Map.Entry<String, List<LogEntry>> run : runs.entrySet()) {
      List<LogEntry> list = run.getValue();
      synchronized (list) {
        int before = list.size();
        list.removeIf(e -> e.time().isBefore(time));
        removed += before - list.size();
        if (list.isEmpty()) {
          runs.remove(run.getKey(), list);
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
