package dev.dagflow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The default {@link TriggerMatcher}: enabled triggers are grouped by event type into buckets,
 * and within a bucket indexed under every one of their filter's {@link
 * dev.dagflow.filter.Filter#equalityKeys() equality keys}, one index entry per accepted value (see
 * {@link TriggerBucket}). A trigger whose filter has no equality key sits in its bucket's list of
 * triggers checked on every event.
 *
 * <p>Matching an event resolves each indexed path of its type's bucket once in the event's
 * {@link Event#document() document}, where filters' paths start ({@code payload.asset.type},
 * {@code project}; every element, if the value is an array), looks the canonical values up and
 * counts, per trigger, how many of its keys the event satisfies. Only the triggers with every key
 * satisfied are candidates, each confirmed with its project rule and whole filter. The cost is
 * that of the index entries hit and the candidates, not of every trigger.
 *
 * <p>Thread-safe. Writers are serialised by one lock; each bucket has a read-write lock that a
 * match holds only while it counts (hash look-ups, no filter evaluation), so a writer waits for
 * at most that. Replacing a trigger within one bucket happens under the bucket's write lock, so a
 * match sees the old or the new version, never neither or both. Each thread counts in its own
 * reusable scratch arrays. Adding a trigger costs a few hash operations per key: no bucket is
 * copied.
 */
final class IndexedTriggerMatcher implements TriggerMatcher {
  private static final Comparator<EventTrigger> BY_ID = Comparator.comparing(EventTrigger::id);

  private final Object writeLock = new Object();
  /** Every trigger put, enabled or not; guarded by {@code writeLock}. */
  private final Map<String, EventTrigger> byId = new HashMap<>();
  /** Buckets of enabled triggers by event type; changed under {@code writeLock} only. */
  private final Map<String, TriggerBucket> byType = new ConcurrentHashMap<>();
  /** Each thread's working memory for counting the keys an event hits. */
  private final ThreadLocal<TriggerBucket.Scratch> scratch =
      ThreadLocal.withInitial(TriggerBucket.Scratch::new);

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
        byType.computeIfAbsent(added.eventType(), type -> new TriggerBucket()).replace(null, added);
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
    TriggerBucket bucket = byType.get(trigger.eventType());
    if (bucket.replace(trigger, null) == 0) {
      byType.remove(trigger.eventType());
    }
  }

  @Override
  public List<EventTrigger> match(Event event) {
    Objects.requireNonNull(event, "event");
    TriggerBucket bucket = byType.get(event.type());
    if (bucket == null) {
      return List.of();
    }
    JsonNode document = event.documentView();
    ArrayList<EventTrigger> found = new ArrayList<>();
    bucket.collect(document, scratch.get(), found);
    int n = 0;
    for (int i = 0; i < found.size(); i++) {
      EventTrigger candidate = found.get(i);
      if (candidate.admitsProjectOf(event) && candidate.filter().matches(document)) {
        found.set(n++, candidate);
      }
    }
    if (n == 0) {
      return List.of();
    }
    // each trigger is a candidate at most once
    List<EventTrigger> matched = found.subList(0, n);
    matched.sort(BY_ID);
    return Collections.unmodifiableList(matched);
  }

  @Override
  public String toString() {
    synchronized (writeLock) {
      return "IndexedTriggerMatcher{triggers=" + byId.size() + ", eventTypes=" + byType.size()
          + "}";
    }
  }
}
