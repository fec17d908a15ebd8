package dev.dagflow.schedule;

import java.util.List;
import java.util.Optional;

/**
 * The schedules of an engine, reached through {@code DagEngine.schedules()}. A schedule is
 * checked when saved: its fields when it is built, its target template here. Saving arms the
 * schedule's timer on this engine; the other engines sharing the store arm theirs within a third
 * of the lease time (when they next look for runs to claim). Thread-safe.
 */
public interface ScheduleRegistry {

  /**
   * Saves {@code schedule}, replacing one with the same id (its counters stay). A schedule
   * saved enabled whose stored version was disabled has the fire times it missed meanwhile
   * judged by its {@link Schedule#misfire()} policy; one saved enabled otherwise fires from now.
   *
   * @throws dev.dagflow.template.UnknownTemplateException if its target template (or version)
   *     does not exist
   * @throws InvalidScheduleException (field {@code template}) if the target belongs to another
   *     project than the schedule's, or to a project while the schedule is global
   */
  void save(Schedule schedule);

  /** The schedule with this id; empty if none. */
  Optional<Schedule> get(String id);

  /** Every schedule, by id. */
  List<Schedule> list();

  /** Deletes the schedule with this id and its counters; returns whether there was one. */
  boolean delete(String id);

  /**
   * What the schedule has done (its counters and last fire time) and its next fire time.
   *
   * @throws UnknownScheduleException if there is no such schedule
   */
  ScheduleState state(String id);
}
