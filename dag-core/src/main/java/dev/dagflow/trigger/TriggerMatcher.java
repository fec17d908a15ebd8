package dev.dagflow.trigger;

import java.util.List;

/**
 * SPI: finds the triggers an event fires. The engine keeps one matcher of every saved trigger,
 * calls {@link #put} and {@link #remove} as triggers are saved and deleted, and {@link #match}
 * on the thread that emits an event.
 *
 * <p>A trigger matches an event exactly when {@link EventTrigger#matches(Event)} says so: it is
 * enabled, its project rule admits the event, the event types are equal and its filter matches
 * the event's {@link Event#document() document}. Implementations must be thread-safe: {@code
 * match} may run on many threads at once and alongside {@code put} and {@code remove}, and sees
 * each trigger either as it was before a concurrent change or after it, never neither. No
 * method accepts or returns {@code null}.
 */
public interface TriggerMatcher {

  /**
   * The default matcher: an index by event type, then by every exact-match key of each filter
   * ({@link dev.dagflow.filter.Filter#equalityKeys()}), so that matching an event confirms only
   * the triggers whose every such key the event's values satisfy, not every trigger. Triggers
   * whose filters have no such key are checked on every event of their type. Each call returns
   * a new, empty matcher.
   */
  static TriggerMatcher indexed() {
    return new IndexedTriggerMatcher();
  }

  /** Adds {@code trigger}, or replaces the trigger of the same id. */
  void put(EventTrigger trigger);

  /** Removes the trigger {@code triggerId}; returns whether there was one. */
  boolean remove(String triggerId);

  /**
   * The triggers {@code event} fires, by trigger id; unmodifiable, empty when none. A disabled
   * trigger never appears.
   */
  List<EventTrigger> match(Event event);
}
