package dev.dagflow.store;

import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.schedule.UnknownScheduleException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * SPI: where schedules live, by id, with what each has done ({@link ScheduleState}) and the
 * fire time up to which its fire times have been handled (its cursor), so that an engine
 * starting after downtime knows which fire times it missed, and so that a fire time skipped by
 * several engines at once counts once. A fire time's run is made once by the run store (its
 * start key), not here.
 *
 * <p>Implementations are thread-safe: the engine calls them from its timer threads and the host
 * from any thread. {@link #record} and {@link #handled} are atomic. Results are never {@code
 * null}; lists are unmodifiable. {@link StoreException} is for the store's own failures, never
 * for a missing schedule.
 */
public interface ScheduleStore {

  /**
   * Saves {@code schedule}, replacing the schedule of the same id and keeping its state and
   * cursor; a new schedule starts with a zero state and no cursor.
   */
  void save(Schedule schedule);

  /** The schedule {@code id}; empty if none. */
  Optional<Schedule> get(String id);

  /** Every schedule, by id. */
  List<Schedule> list();

  /**
   * The schedules of {@code project}, by id; for an empty project, the global schedules.
   * Global schedules are not listed with a project's.
   */
  List<Schedule> list(Optional<String> project);

  /** Deletes schedule {@code id} with its state; returns whether there was one. */
  boolean delete(String id);

  /**
   * What schedule {@code id} has done, and its next fire time as last set.
   *
   * @throws UnknownScheduleException if there is no schedule {@code id}
   */
  ScheduleState state(String id);

  /**
   * The fire time up to which schedule {@code id}'s fire times have been handled: the latest
   * given to {@link #record} or {@link #handled}; empty if none was.
   *
   * @throws UnknownScheduleException if there is no schedule {@code id}
   */
  Optional<Instant> cursor(String id);

  /**
   * Counts how fire time {@code fireTime} of schedule {@code id} ended, atomically. A {@code
   * FIRED} fire time always counts (its run was made once, by the run store); a {@code SKIPPED}
   * or {@code FAILED} one counts only if it is later than the cursor, so that of several
   * engines skipping one fire time one counts it. What counts becomes the last fire time (unless
   * a later one is recorded) and, for {@code FAILED}, {@code error} the last error; the cursor
   * becomes {@code fireTime} unless it is later.
   *
   * @param error the reason of a failed start; empty otherwise
   * @return whether it counted
   * @throws IllegalArgumentException if a failure has no error or another outcome has one
   * @throws UnknownScheduleException if there is no schedule {@code id}
   */
  boolean record(String id, Instant fireTime, ScheduleState.Outcome outcome,
      Optional<String> error);

  /**
   * Moves the cursor of schedule {@code id} to {@code through} unless it is later, counting
   * nothing: the fire times up to there are not missed (a schedule saved or enabled now has none
   * before now).
   *
   * @throws UnknownScheduleException if there is no schedule {@code id}
   */
  void handled(String id, Instant through);

  /**
   * Sets the next fire time shown in schedule {@code id}'s state; empty for none.
   *
   * @throws UnknownScheduleException if there is no schedule {@code id}
   */
  void nextFireTime(String id, Optional<Instant> next);
}
