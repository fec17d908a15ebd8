package dev.dagflow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.json.internal.JsonPath;
import dev.dagflow.json.internal.JsonValues;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.StampedLock;

/**
 * The enabled triggers of one event type, for {@link IndexedTriggerMatcher}, indexed under every
 * {@link dev.dagflow.filter.Filter#equalityKeys() equality key} of their filters.
 *
 * <p>Each indexed trigger has a slot, a small integer dense within the bucket, and the number of
 * its keys. Each path named by a key has a {@link PathIndex}: per canonical value, the slots of
 * the triggers whose key at that path accepts that value. Matching an event resolves each
 * indexed path once in its document and, for every value found there (every element, if it is
 * an array), counts one hit per trigger listed, at most once per trigger and path. A trigger is
 * a candidate only when every one of its keys was hit: a document that fails one key cannot
 * match the filter.
 * Triggers whose filter has no equality key are candidates for every event.
 *
 * <p>Writers ({@link #replace}) must be serialised by the caller. {@link #collect} may run on
 * many threads at once, each with its own {@link Scratch}; it holds the bucket's read lock while
 * it counts (hash look-ups, no filter evaluation), and a writer holds the write lock, so a
 * collect sees a replacement wholly or not at all.
 */
final class TriggerBucket {
  private final StampedLock lock = new StampedLock();
  // all guarded by lock
  private final Map<String, PathIndex> byPath = new HashMap<>();
  private PathIndex[] paths = new PathIndex[0];
  private final List<EventTrigger> unindexed = new ArrayList<>();
  /** The slot of each indexed trigger, by trigger id. */
  private final Map<String, Integer> slotOf = new HashMap<>();
  /** The trigger in each slot, {@code null} when the slot is free. */
  private EventTrigger[] triggerAt = new EventTrigger[16];
  /** How many keys the trigger in each slot is indexed under. */
  private int[] keysAt = new int[16];
  /** Slots below this have been used; the free ones among them are in {@code free}. */
  private int used;
  private int[] free = new int[16];
  private int freeCount;
  private int size;

  /**
   * Removes {@code old} and adds {@code added} (either may be {@code null}) in one step; returns
   * the size after.
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

  /**
   * Adds to {@code out}, once each, the triggers that may match an event's {@code document}
   * ({@link Event#document()}): the unindexed ones and those whose every equality key the
   * document satisfies. {@code scratch} is left as it
   * was found, all zero.
   */
  void collect(JsonNode document, Scratch scratch, List<EventTrigger> out) {
    long stamp = lock.readLock();
    try {
      out.addAll(unindexed);
      scratch.ensureCapacity(used);
      try {
        for (int p = 0; p < paths.length; p++) {
          paths[p].count(document, p + 1, scratch);
        }
        int[] counts = scratch.counts;
        int[] marks = scratch.marks;
        int[] touched = scratch.touched;
        for (int i = 0, n = scratch.touchedCount; i < n; i++) {
          int slot = touched[i];
          if (counts[slot] == keysAt[slot]) {
            out.add(triggerAt[slot]);
          }
          counts[slot] = 0;
          marks[slot] = 0;
        }
        scratch.touchedCount = 0;
      } finally {
        scratch.clear();
      }
    } finally {
      lock.unlockRead(stamp);
    }
  }

  private void add(EventTrigger trigger) {
    size++;
    Map<String, List<JsonNode>> keys = trigger.filter().equalityKeys();
    int indexed = 0;
    for (List<JsonNode> values : keys.values()) {
      indexed += values.isEmpty() ? 0 : 1;
    }
    if (indexed == 0) {
      unindexed.add(trigger);
      return;
    }
    int slot = takeSlot();
    triggerAt[slot] = trigger;
    keysAt[slot] = indexed;
    slotOf.put(trigger.id(), slot);
    for (Map.Entry<String, List<JsonNode>> key : keys.entrySet()) {
      if (key.getValue().isEmpty()) {
        continue;
      }
      PathIndex index = byPath.get(key.getKey());
      if (index == null) {
        index = new PathIndex(JsonPath.parse(key.getKey()));
        byPath.put(key.getKey(), index);
        paths = byPath.values().toArray(new PathIndex[0]);
      }
      for (JsonNode value : key.getValue()) {
        index.byValue.computeIfAbsent(value, v -> new Slots()).add(slot);
      }
    }
  }

  private void remove(EventTrigger trigger) {
    size--;
    Integer slot = slotOf.remove(trigger.id());
    if (slot == null) {
      removeSame(unindexed, trigger);
      return;
    }
    // the filter is immutable: its keys are those it was indexed under
    for (Map.Entry<String, List<JsonNode>> key : trigger.filter().equalityKeys().entrySet()) {
      if (key.getValue().isEmpty()) {
        continue;
      }
      PathIndex index = byPath.get(key.getKey());
      for (JsonNode value : key.getValue()) {
        Slots entry = index.byValue.get(value);
        if (entry.remove(slot) && entry.isEmpty()) {
          index.byValue.remove(value);
        }
      }
      if (index.byValue.isEmpty()) {
        byPath.remove(key.getKey());
        paths = byPath.values().toArray(new PathIndex[0]);
      }
    }
    triggerAt[slot] = null;
    keysAt[slot] = 0;
    if (freeCount == free.length) {
      free = Arrays.copyOf(free, freeCount * 2);
    }
    free[freeCount++] = slot;
  }

  /** A free slot, reusing one left by a removed trigger before making a new one. */
  private int takeSlot() {
    if (freeCount > 0) {
      return free[--freeCount];
    }
    if (used == triggerAt.length) {
      triggerAt = Arrays.copyOf(triggerAt, used * 2);
      keysAt = Arrays.copyOf(keysAt, used * 2);
    }
    return used++;
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

  /**
   * One thread's working memory for {@link #collect}, reusable across buckets and calls: per
   * slot, how many keys of its trigger were hit and the path that hit it last, and the slots hit
   * at all, so that only those are reset. All zero between calls.
   */
  static final class Scratch {
    private int[] counts = new int[0];
    /** Per slot, 1 + the index of the path that last counted it; 0 when none in this call. */
    private int[] marks = new int[0];
    private int[] touched = new int[64];
    private int touchedCount;

    private void ensureCapacity(int slots) {
      if (counts.length < slots) {
        int capacity = Math.max(slots, counts.length * 2);
        counts = new int[capacity];
        marks = new int[capacity];
      }
    }

    /** Counts a hit of the path marked {@code mark} on the trigger in {@code slot}. */
    private void hit(int slot, int mark) {
      if (marks[slot] == mark) {
        return; // another element of the same array already hit this trigger's key
      }
      marks[slot] = mark;
      if (counts[slot]++ == 0) {
        if (touchedCount == touched.length) {
          touched = Arrays.copyOf(touched, touchedCount * 2);
        }
        touched[touchedCount++] = slot;
      }
    }

    /** Resets what the current call counted, if it has not already been. */
    private void clear() {
      for (int i = 0; i < touchedCount; i++) {
        counts[touched[i]] = 0;
        marks[touched[i]] = 0;
      }
      touchedCount = 0;
    }
  }

  /** The slots of the triggers with a key at one path, by the canonical value it accepts. */
  private static final class PathIndex {
    private final JsonPath path;
    private final Map<JsonNode, Slots> byValue = new HashMap<>();

    PathIndex(JsonPath path) {
      this.path = path;
    }

    /** Counts a hit, marked {@code mark}, for each trigger the value at the path satisfies. */
    void count(JsonNode document, int mark, Scratch scratch) {
      JsonNode value = path.resolve(document);
      if (value.isArray()) {
        for (int i = 0, n = value.size(); i < n; i++) {
          countValue(value.get(i), mark, scratch);
        }
      } else {
        countValue(value, mark, scratch);
      }
    }

    private void countValue(JsonNode value, int mark, Scratch scratch) {
      if (!JsonValues.isScalar(value)) {
        return;
      }
      Slots hits = byValue.get(JsonValues.canonicalKey(value));
      if (hits != null) {
        for (int i = 0; i < hits.size; i++) {
          scratch.hit(hits.slots[i], mark);
        }
      }
    }
  }

  /** A set of slots as an unordered array. */
  private static final class Slots {
    private int[] slots = new int[2];
    private int size;

    void add(int slot) {
      if (size == slots.length) {
        slots = Arrays.copyOf(slots, size * 2);
      }
      slots[size++] = slot;
    }

    boolean remove(int slot) {
      for (int i = 0; i < size; i++) {
        if (slots[i] == slot) {
          slots[i] = slots[--size];
          return true;
        }
      }
      return false;
    }

    boolean isEmpty() {
      return size == 0;
    }
  }
}
