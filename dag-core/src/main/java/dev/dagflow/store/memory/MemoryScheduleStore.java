package dev.dagflow.store.memory;

import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.schedule.ScheduleState.Outcome;
import dev.dagflow.schedule.UnknownScheduleException;
import dev.dagflow.store.ScheduleStore;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory {@link ScheduleStore}. Thread-safe: each schedule's definition, state and
 * cursor change under that schedule's entry lock, so no schedule waits on another.
 */
final class MemoryScheduleStore implements ScheduleStore {
  private final ConcurrentNavigableMap<String, Entry> byId = new ConcurrentSkipListMap<>();

  @Override
  public void save(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    Entry fresh = new Entry(schedule);
    Entry entry = byId.putIfAbsent(schedule.id(), fresh);
    if (entry != null) {
      synchronized (entry) {
        entry.schedule = schedule;
      }
    }
  }

  @Override
  public Optional<Schedule> get(String id) {
    Entry entry = byId.get(Objects.requireNonNull(id, "id"));
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      return Optional.of(entry.schedule);
    }
  }

  @Override
  public List<Schedule> list() {
    return byId.keySet().stream().map(this::get).flatMap(Optional::stream).toList();
  }

  @Override
  public List<Schedule> list(Optional<String> project) {
    Objects.requireNonNull(project, "project");
    return list().stream().filter(s -> s.project().equals(project)).toList();
  }

  @Override
  public boolean delete(String id) {
    return byId.remove(Objects.requireNonNull(id, "id")) != null;
  }

  @Override
  public ScheduleState state(String id) {
    Entry entry = entry(id);
    synchronized (entry) {
      return entry.state;
    }
  }

  @Override
  public Optional<Instant> cursor(String id) {
    Entry entry = entry(id);
    synchronized (entry) {
      return Optional.ofNullable(entry.cursor);
    }
  }

  @Override
  public boolean record(String id, Instant fireTime, Outcome outcome, Optional<String> error) {
    Objects.requireNonNull(fireTime, "fireTime");
    Objects.requireNonNull(outcome, "outcome");
    checkError(outcome, error);
    Entry entry = entry(id);
    synchronized (entry) {
      boolean later = entry.cursor == null || fireTime.isAfter(entry.cursor);
      if (outcome != Outcome.FIRED && !later) {
        return false;
      }
      ScheduleState s = entry.state;
      Instant last = s.lastFireTime().filter(t -> t.isAfter(fireTime)).orElse(fireTime);
      entry.state = new ScheduleState(id, s.fired() + (outcome == Outcome.FIRED ? 1 : 0),
          s.skipped() + (outcome == Outcome.SKIPPED ? 1 : 0),
          s.failed() + (outcome == Outcome.FAILED ? 1 : 0), Optional.of(last), s.nextFireTime(),
          outcome == Outcome.FAILED ? error : s.lastError());
      if (later) {
        entry.cursor = fireTime;
      }
      return true;
    }
  }

  /** The check every {@link ScheduleStore#record} makes of its error, before it counts. */
  static void checkError(Outcome outcome, Optional<String> error) {
    Objects.requireNonNull(error, "error");
    if ((outcome == Outcome.FAILED) != error.isPresent()) {
      throw new IllegalArgumentException(outcome == Outcome.FAILED
          ? "a failed start needs an error" : "only a failed start has an error");
    }
  }

  @Override
  public void handled(String id, Instant through) {
    Objects.requireNonNull(through, "through");
    Entry entry = entry(id);
    synchronized (entry) {
      if (entry.cursor == null || through.isAfter(entry.cursor)) {
        entry.cursor = through;
      }
    }
  }

  @Override
  public void nextFireTime(String id, Optional<Instant> next) {
    Objects.requireNonNull(next, "next");
    Entry entry = entry(id);
    synchronized (entry) {
      ScheduleState s = entry.state;
      entry.state = new ScheduleState(id, s.fired(), s.skipped(), s.failed(), s.lastFireTime(),
          next, s.lastError());
    }
  }

  private Entry entry(String id) {
    Entry entry = byId.get(Objects.requireNonNull(id, "id"));
    if (entry == null) {
      throw new UnknownScheduleException(id);
    }
    return entry;
  }

  @Override
  public String toString() {
    return "MemoryScheduleStore{" + byId.size() + " schedules}";
  }

  /** One schedule and what it has done; guarded by itself. */
  private static final class Entry {
    Schedule schedule;
    ScheduleState state;
    Instant cursor;

    Entry(Schedule schedule) {
      this.schedule = schedule;
      this.state = ScheduleState.zero(schedule.id());
    }
  }
}
