package dev.dagflow.trigger;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How often a trigger has tried to start a run, as its {@link dev.dagflow.store.TriggerStore}
 * counts them: every attempt counts in {@code total}, and in {@code success} or {@code failed}
 * (a start refused for a missing parameter, an unknown template, a full queue, … is a failure).
 *
 * <p>Immutable and thread-safe. No component is {@code null}.
 *
 * @param triggerId the trigger counted
 * @param total starts attempted; always {@code success + failed}
 * @param success runs started
 * @param failed starts that failed
 * @param lastFired when the latest start was attempted; empty if never
 * @param lastError the reason of the latest failed start; empty if none failed
 * @throws NullPointerException if a component is {@code null}
 * @throws IllegalArgumentException if a count is negative or {@code total != success + failed}
 */
public record TriggerCounters(String triggerId, long total, long success, long failed,
    Optional<Instant> lastFired, Optional<String> lastError) {

  public TriggerCounters {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(lastFired, "lastFired");
    Objects.requireNonNull(lastError, "lastError");
    if (success < 0 || failed < 0 || total != success + failed) {
      throw new IllegalArgumentException("counts must be non-negative with total = success + "
          + "failed, were total=" + total + " success=" + success + " failed=" + failed);
    }
  }

  /** The counters of a trigger that has never fired. */
  public static TriggerCounters zero(String triggerId) {
    return new TriggerCounters(triggerId, 0, 0, 0, Optional.empty(), Optional.empty());
  }

  /**
   * These counters after one more start attempt at {@code at}: {@code lastFired} becomes the
   * later of the two times, and a failure's {@code error} becomes {@code lastError}.
   *
   * @throws IllegalArgumentException if a success has an error or a failure has none
   */
  public TriggerCounters plus(boolean succeeded, Optional<String> error, Instant at) {
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(at, "at");
    if (succeeded == error.isPresent()) {
      throw new IllegalArgumentException(succeeded ? "a successful start has no error"
          : "a failed start needs an error");
    }
    Instant fired = lastFired.filter(last -> last.isAfter(at)).orElse(at);
    return new TriggerCounters(triggerId, total + 1, success + (succeeded ? 1 : 0),
        failed + (succeeded ? 0 : 1), Optional.of(fired), succeeded ? lastError : error);
  }
}
