package dev.dagflow.schedule;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What a schedule has done, as its {@link dev.dagflow.store.ScheduleStore} keeps it: each fire
 * time counts once in {@code fired} (a run was started for it), {@code skipped} (missed and not
 * run, or its previous run was still active under overlap {@code SKIP}) or {@code failed} (its
 * run could not be started: an unknown template, say).
 *
 * <p>Immutable and thread-safe. No component is {@code null}.
 *
 * @param scheduleId the schedule
 * @param fired fire times that started a run
 * @param skipped fire times that started none, on purpose
 * @param failed fire times whose run could not be started
 * @param lastFireTime the latest fire time counted; empty if none
 * @param nextFireTime the next fire time an engine has armed a timer for; empty if none (the
 *     schedule is disabled, no engine has seen it yet, or its cron never fires again)
 * @param lastError the reason of the latest failed start; empty if none failed
 * @throws NullPointerException if a component is {@code null}
 * @throws IllegalArgumentException if a count is negative
 */
public record ScheduleState(String scheduleId, long fired, long skipped, long failed,
    Optional<Instant> lastFireTime, Optional<Instant> nextFireTime, Optional<String> lastError) {

  public ScheduleState {
    Objects.requireNonNull(scheduleId, "scheduleId");
    Objects.requireNonNull(lastFireTime, "lastFireTime");
    Objects.requireNonNull(nextFireTime, "nextFireTime");
    Objects.requireNonNull(lastError, "lastError");
    if (fired < 0 || skipped < 0 || failed < 0) {
      throw new IllegalArgumentException("counts must be non-negative, were fired=" + fired
          + " skipped=" + skipped + " failed=" + failed);
    }
  }

  /** The state of a schedule that has done nothing yet. */
  public static ScheduleState zero(String scheduleId) {
    return new ScheduleState(scheduleId, 0, 0, 0, Optional.empty(), Optional.empty(),
        Optional.empty());
  }

  /** How one fire time ended, for {@link dev.dagflow.store.ScheduleStore#record}. */
  public enum Outcome {
    /** A run was started for it. */
    FIRED,
    /** No run, on purpose: missed under the misfire policy, or overlap {@code SKIP}. */
    SKIPPED,
    /** Its run could not be started. */
    FAILED
  }
}
