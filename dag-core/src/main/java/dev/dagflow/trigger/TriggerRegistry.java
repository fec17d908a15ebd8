package dev.dagflow.trigger;

import java.util.List;
import java.util.Optional;

/**
 * The event triggers of an engine, reached through {@code DagEngine.triggers()}. A trigger is
 * checked when saved: its filter when it is built, its target template here. Thread-safe.
 */
public interface TriggerRegistry {

  /**
   * Saves {@code trigger}, replacing one with the same id (its counters stay).
   *
   * @throws dev.dagflow.template.UnknownTemplateException if its target template (or version)
   *     does not exist
   * @throws dev.dagflow.template.InvalidTemplateException if the target belongs to a project the
   *     trigger's project may not use
   */
  void save(EventTrigger trigger);

  /** The trigger with this id; empty if none. */
  Optional<EventTrigger> get(String id);

  /** Every trigger, by id. */
  List<EventTrigger> list();

  /** Deletes the trigger with this id; returns whether there was one. */
  boolean delete(String id);

  /**
   * How often the trigger fired: starts in all, successful and failed, the last time and the
   * last failure's reason.
   *
   * @throws dev.dagflow.store.StoreException if there is no such trigger
   */
  TriggerCounters counters(String id);
}
