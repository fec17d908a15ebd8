package dev.dagflow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.eval.internal.JsonPath;
import dev.dagflow.eval.internal.JsonValues;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.StampedLock;

/**
 * The default {@link TriggerMatcher}: enabled triggers are grouped by event type into buckets,
 * and within a bucket indexed under one of their filter's {@link
 * dev.dagflow.eval.Filter#equalityKeys() equality keys}, one index entry per accepted value. Of
 * a filter's keys, the one estimated most selective when it is added is chosen: fewest values
 * relative to the distinct values the bucket's filters name at that path. A trigger whose filter has no equality key sits in
 * its bucket's list of triggers checked on every event.
 *
 * <p>Matching an event resolves each indexed path of its type's bucket in the payload once
 * (every element, if the value is an array), looks the canonical values up, and confirms each
 * candidate with its project rule and whole filter. The cost is that of the candidates, not of
 * every trigger.
 *
 * <p>Thread-safe. Writers are serialised by one lock; each bucket has a read-write lock that a
 * match holds only while it collects candidates (hash look-ups, no filter evaluation), so a
 * writer waits for at most that. Replacing a trigger within one bucket happens under the
 * bucket's write lock, so a match sees the old or the new version, never neither or both.
 * Adding a trigger costs a few hash operations: no bucket is copied.
 */
final class IndexedTriggerMatcher implements TriggerMatcher {
  private static final Comparator<EventTrigger> BY_ID = Comparator.comparing(EventTrigger::id);

  private final Object writeLock = new Object();
  /** Every trigger put, enabled or not; guarded by {@code writeLock}. */
  private final Map<String, EventTrigger> byId = new HashMap<>();
  /** Buckets of enabled triggers by event type; changed under {@code writeLock} only. */
  private final Map<String, Bucket> byType = new ConcurrentHashMap<>();

  @Override
  public void put(EventTrigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    synchronized (writeLock) {
      EventTrigger old = byId.put(trigger.id(), trigger);
      EventTrigger oldIndexed = old != null && old.enabled() ? old : null;
      EventTrigger added = trigger.enabled() ? trigger : null;
      if (oldIndexed != null && added != null
          && oldIndexed.eventType().equals(added.eventType())) {
        byType.get(added.eventType()).replace(oldIndexed, added);
        return;
      }
      if (added != null) {
        byType.computeIfAbsent(added.eventType(), type -> new Bucket()).replace(null, added);
      }
      if (oldIndexed != null) {
        unindex(oldIndexed);
      }
    }
  }

  @Override
  public boolean remove(String triggerId) {
    Objects.requireNonNull(triggerId, "triggerId");
    synchronized (writeLock) {
      EventTrigger old = byId.remove(triggerId);
      if (old == null) {
        return false;
      }
      if (old.enabled()) {
        unindex(old);
      }
      return true;
    }
  }

  /** Removes an indexed trigger from its bucket, and the bucket once empty. */
  private void unindex(EventTrigger trigger) {
    Bucket bucket = byType.get(trigger.eventType());
    if (bucket.replace(trigger, null) == 0) {
      byType.remove(trigger.eventType());
    }
  }

  @Override
  public List<EventTrigger> match(Event event) {
    Objects.requireNonNull(event, "event");
    Bucket bucket = byType.get(event.type());
    if (bucket == null) {
      return List.of();
    }
    JsonNode payload = event.payloadView();
    ArrayList<EventTrigger> found = new ArrayList<>();
    bucket.collect(payload, found);
    int n = 0;
    for (int i = 0; i < found.size(); i++) {
      EventTrigger candidate = found.get(i);
      if (candidate.admitsProjectOf(event) && candidate.filter().matches(payload)) {
        found.set(n++, candidate);
      }
    }
    if (n == 0) {
      return List.of();
    }
    List<EventTrigger> matched = found.subList(0, n);
    matched.sort(BY_ID);
    // a trigger is a candidate twice when several elements of an array hit its index entries
    int unique = 1;
    for (int i = 1; i < n; i++) {
      if (matched.get(i) != matched.get(unique - 1)) {
        matched.set(unique++, matched.get(i));
      }
    }
    return Collections.unmodifiableList(unique == n ? matched : matched.subList(0, unique));
  }

  @Override
  public String toString() {
    synchronized (writeLock) {
      return "IndexedTriggerMatcher{triggers=" + byId.size() + ", eventTypes=" + byType.size()
          + "}";
    }
  }

  /** The enabled triggers of one event type. */
  private static final class Bucket {
    private final StampedLock lock = new StampedLock();
    // all guarded by lock
    private final Map<String, PathIndex> byPath = new HashMap<>();
    private PathIndex[] paths = new PathIndex[0];
    private final List<EventTrigger> unindexed = new ArrayList<>();
    /** Per path, how many triggers' equality keys name each value there. */
    private final Map<String, Map<JsonNode, Integer>> mentioned = new HashMap<>();
    /** The key each indexed trigger was put under, by trigger id. */
    private final Map<String, Map.Entry<String, List<JsonNode>>> keyOf = new HashMap<>();
    private int size;

    /**
     * Removes {@code old} and adds {@code added} (either may be {@code null}) in one step;
     * returns the size after.
     */
    int replace(EventTrigger old, EventTrigger added) {
      long stamp = lock.writeLock();
      try {
        if (old != null) {
          remove(old);
        }
        if (added != null) {
          add(added);
        }
        return size;
      } finally {
        lock.unlockWrite(stamp);
      }
    }

    /** Adds to {@code out} every trigger that may match {@code payload}, some more than once. */
    void collect(JsonNode payload, List<EventTrigger> out) {
      long stamp = lock.readLock();
      try {
        out.addAll(unindexed);
        for (PathIndex path : paths) {
          path.collect(payload, out);
        }
      } finally {
        lock.unlockRead(stamp);
      }
    }

    private void add(EventTrigger trigger) {
      size++;
      countMentions(trigger, 1);
      Map.Entry<String, List<JsonNode>> key = cheapestKey(trigger);
      if (key == null) {
        unindexed.add(trigger);
        return;
      }
      keyOf.put(trigger.id(), key);
      PathIndex index = byPath.get(key.getKey());
      if (index == null) {
        index = new PathIndex(JsonPath.parse(key.getKey()));
        byPath.put(key.getKey(), index);
        paths = byPath.values().toArray(new PathIndex[0]);
      }
      for (JsonNode value : key.getValue()) {
        index.byValue.computeIfAbsent(value, v -> new ArrayList<>(2)).add(trigger);
      }
    }

    private void remove(EventTrigger trigger) {
      size--;
      countMentions(trigger, -1);
      Map.Entry<String, List<JsonNode>> key = keyOf.remove(trigger.id());
      if (key == null) {
        removeSame(unindexed, trigger);
        return;
      }
      PathIndex index = byPath.get(key.getKey());
      for (JsonNode value : key.getValue()) {
        List<EventTrigger> entry = index.byValue.get(value);
        if (entry != null && removeSame(entry, trigger) && entry.isEmpty()) {
          index.byValue.remove(value);
        }
      }
      if (index.byValue.isEmpty()) {
        byPath.remove(key.getKey());
        paths = byPath.values().toArray(new PathIndex[0]);
      }
    }

    /** Counts (or uncounts) the values the trigger's equality keys mention, per path. */
    private void countMentions(EventTrigger trigger, int delta) {
      for (Map.Entry<String, List<JsonNode>> key : trigger.filter().equalityKeys().entrySet()) {
        Map<JsonNode, Integer> values = mentioned.computeIfAbsent(key.getKey(),
            path -> new HashMap<>());
        for (JsonNode value : key.getValue()) {
          values.merge(value, delta, (a, b) -> a + b == 0 ? null : a + b);
        }
        if (values.isEmpty()) {
          mentioned.remove(key.getKey());
        }
      }
    }

    /**
     * The equality key to index {@code trigger} under: the one an event is least likely to hit,
     * estimated as the count of its values over the count of distinct values the bucket's
     * triggers mention at its path (a path where triggers name many different values, such as
     * domains, is selective; one with a few, such as a severity, is not). Fewer values, then the
     * first key, on a tie; {@code null} when the filter has no equality key. The estimate is
     * made once, when the trigger is added.
     */
    private Map.Entry<String, List<JsonNode>> cheapestKey(EventTrigger trigger) {
      Map.Entry<String, List<JsonNode>> best = null;
      double bestShare = Double.MAX_VALUE;
      for (Map.Entry<String, List<JsonNode>> key : trigger.filter().equalityKeys().entrySet()) {
        int values = key.getValue().size();
        if (values == 0) {
          continue;
        }
        double share = (double) values / mentioned.get(key.getKey()).size();
        if (share < bestShare || share == bestShare && values < best.getValue().size()) {
          best = key;
          bestShare = share;
        }
      }
      return best;
    }

    private static boolean removeSame(List<EventTrigger> list, EventTrigger trigger) {
      for (int i = 0; i < list.size(); i++) {
        if (list.get(i) == trigger) {
          list.remove(i);
          return true;
        }
      }
      return false;
    }
  }

  /** The triggers of one bucket indexed under one path, by canonical value. */
  private static final class PathIndex {
    private final JsonPath path;
    private final Map<JsonNode, List<EventTrigger>> byValue = new HashMap<>();

    PathIndex(JsonPath path) {
      this.path = path;
    }

    void collect(JsonNode payload, List<EventTrigger> out) {
      JsonNode value = path.resolve(payload);
      if (value.isArray()) {
        for (int i = 0, n = value.size(); i < n; i++) {
          lookUp(value.get(i), out);
        }
      } else {
        lookUp(value, out);
      }
    }

    private void lookUp(JsonNode value, List<EventTrigger> out) {
      if (!JsonValues.isScalar(value)) {
        return;
      }
      List<EventTrigger> hits = byValue.get(JsonValues.canonicalKey(value));
      if (hits != null) {
        out.addAll(hits);
      }
    }
  }
}
