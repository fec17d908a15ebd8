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
   * @throws InvalidTriggerException (field {@code template}) if the target belongs to a project
   *     the trigger may not start runs in: another project's, or, for a global trigger, any
   *     project's (it would fail on every other project's event)
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
   * @throws UnknownTriggerException if there is no such trigger
   */
  TriggerCounters counters(String id);
}
