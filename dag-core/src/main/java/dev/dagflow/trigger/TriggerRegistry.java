package dev.dagflow.trigger;

import java.util.List;
import java.util.Optional;

/**
 * The event triggers of an engine, reached through {@code DagEngine.triggers()}. A trigger is
 * checked when saved: its filter and mapping when it is built (their paths start in the event
 * document, see {@link dev.dagflow.filter.Filter}, "What a filter sees"), its target template
 * here. {@link #explain} tests a trigger against a sample event without saving or firing it.
 * Thread-safe.
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

  /**
   * Tests {@code trigger}, saved or not, against a sample {@code event}: whether emitting the
   * event now would fire it and why. Every check {@code emit} makes is evaluated and reported
   * (enabled, event type, project, each key of the filter, the chain depth limit, the overlap
   * policy against the runs the trigger with this id has active now, the target template, the
   * parameter mapping), with the parameters the run would get. An event without a time is
   * stamped with the engine's clock first, as {@code emit} does.
   *
   * <p>Only reads: it starts and stops no run, changes no counter, does not mark the event
   * processed, and neither saves the trigger nor tells listeners of the event. The ids of
   * events already processed are not consulted.
   *
   * @throws NullPointerException if an argument is {@code null}
   */
  TriggerExplanation explain(EventTrigger trigger, Event event);

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
