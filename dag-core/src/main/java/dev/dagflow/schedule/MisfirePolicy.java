package dev.dagflow.schedule;

/**
 * What a {@link Schedule} does with the fire times it missed while no engine was running (or
 * while it was disabled), judged when an engine starts and when the schedule is enabled again. A
 * fire time is missed when it is earlier than the moment of that judgement and no run was
 * started for it; one at that very moment is on time.
 */
public enum MisfirePolicy {
  /** Starts no run for missed fire times; each counts as skipped. */
  SKIP,
  /** Starts one run, for the latest missed fire time; the others count as skipped. */
  RUN_ONCE,
  /**
   * Starts a run for each missed fire time, oldest first, up to the schedule's {@link
   * Schedule#misfireLimit()}; over the limit the latest ones are kept (the runs nearest to now)
   * and the older ones count as skipped.
   */
  RUN_ALL
}
