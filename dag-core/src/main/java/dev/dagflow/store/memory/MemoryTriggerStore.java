package dev.dagflow.store.memory;

import dev.dagflow.store.TriggerStore;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerCounters;
import dev.dagflow.trigger.UnknownTriggerException;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory {@link TriggerStore}. Thread-safe: saves and deletes are serialised; each
 * trigger's counters change under that trigger's lock and its processed event ids are a
 * concurrent set, so neither waits on other triggers; its queued event changes under its lock.
 * Processed event ids are kept until the trigger is deleted.
 */
final class MemoryTriggerStore implements TriggerStore {
  private final InstantSource clock;
  private final Object writeLock = new Object();
  private final ConcurrentNavigableMap<String, Entry> byId = new ConcurrentSkipListMap<>();

  /** A store that dates processed event ids on {@code clock}, the store's clock. */
  MemoryTriggerStore(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public void save(EventTrigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    synchronized (writeLock) {
      Entry entry = byId.get(trigger.id());
      if (entry == null) {
        byId.put(trigger.id(), new Entry(trigger));
      } else {
        entry.trigger = trigger;
      }
    }
  }

  @Override
  public Optional<EventTrigger> get(String id) {
    Entry entry = byId.get(Objects.requireNonNull(id, "id"));
    return entry == null ? Optional.empty() : Optional.of(entry.trigger);
  }

  @Override
  public List<EventTrigger> list() {
    return byId.values().stream().map(e -> e.trigger).toList();
  }

  @Override
  public List<EventTrigger> list(Optional<String> project) {
    Objects.requireNonNull(project, "project");
    return byId.values().stream().map(e -> e.trigger).filter(t -> t.project().equals(project))
        .toList();
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    synchronized (writeLock) {
      return byId.remove(id) != null;
    }
  }

  @Override
  public TriggerCounters counters(String id) {
    return entry(id).counters;
  }

  @Override
  public void recordStart(String id, boolean success, Optional<String> error, Instant at) {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(at, "at");
    Entry entry = entry(id);
    synchronized (entry) {
      entry.counters = entry.counters.plus(success, error, at);
    }
  }

  @Override
  public boolean markProcessed(String triggerId, String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return entry(triggerId).processed.putIfAbsent(eventId, clock.instant()) == null;
  }

  @Override
  public boolean isProcessed(String triggerId, String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    return entry(triggerId).processed.containsKey(eventId);
  }

  @Override
  public Optional<Event> queue(String triggerId, Event event) {
    Objects.requireNonNull(event, "event");
    Entry entry = entry(triggerId);
    synchronized (entry) {
      Event before = entry.queued;
      entry.queued = event;
      return Optional.ofNullable(before);
    }
  }

  @Override
  public Optional<Event> queued(String triggerId) {
    Entry entry = byId.get(Objects.requireNonNull(triggerId, "triggerId"));
    return entry == null ? Optional.empty() : Optional.ofNullable(entry.queued);
  }

  @Override
  public boolean unqueue(String triggerId, String eventId) {
    Objects.requireNonNull(eventId, "eventId");
    Entry entry = byId.get(Objects.requireNonNull(triggerId, "triggerId"));
    if (entry == null) {
      return false;
    }
    synchronized (entry) {
      if (entry.queued == null || !entry.queued.id().equals(eventId)) {
        return false;
      }
      entry.queued = null;
      return true;
    }
  }

  @Override
  public int purgeProcessed(Instant processedBefore, int limit) {
    Objects.requireNonNull(processedBefore, "processedBefore");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    record Mark(Entry entry, String eventId, Instant at) {}
    List<Mark> old = new ArrayList<>();
    for (Entry entry : byId.values()) {
      entry.processed.forEach((eventId, at) -> {
        if (at.isBefore(processedBefore)) {
          old.add(new Mark(entry, eventId, at));
        }
      });
    }
    old.sort(Comparator.comparing(Mark::at));
    int forgotten = 0;
    for (Mark mark : old.subList(0, Math.min(limit, old.size()))) {
      if (mark.entry().processed.remove(mark.eventId(), mark.at())) {
        forgotten++;
      }
    }
    return forgotten;
  }

  @Override
  public List<String> withQueued() {
    return byId.entrySet().stream().filter(e -> e.getValue().queued != null)
        .map(Map.Entry::getKey).toList();
  }

  private Entry entry(String id) {
    Entry entry = byId.get(Objects.requireNonNull(id, "id"));
    if (entry == null) {
      throw new UnknownTriggerException(id);
    }
    return entry;
  }

  @Override
  public String toString() {
    return "MemoryTriggerStore{triggers=" + byId.size() + "}";
  }

  /** One trigger with its counters and processed event ids. */
  private static final class Entry {
    volatile EventTrigger trigger;
    /** Replaced under the entry's lock; read without it. */
    volatile TriggerCounters counters;
    /** Each processed event id, with when it was marked. */
    final Map<String, Instant> processed = new ConcurrentHashMap<>();
    /** Replaced under the entry's lock; read without it. */
    volatile Event queued;

    Entry(EventTrigger trigger) {
      this.trigger = trigger;
      this.counters = TriggerCounters.zero(trigger.id());
    }
  }
}
