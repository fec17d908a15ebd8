package dev.dagflow.schedule;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * A schedule definition is not valid. Carries the offending field ({@code id}, {@code project},
 * {@code template}, {@code templateVersion}, {@code cron}, {@code zone}, {@code params}, {@code
 * overlap}, {@code misfire}, {@code misfireLimit}, or a field of the JSON form); the message
 * starts with it. Thrown by {@link Schedule.Builder}, {@link ScheduleJson} and {@link
 * ScheduleRegistry#save}.
 */
public class InvalidScheduleException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the offending field
   * @param problem what is wrong, for people
   */
  public InvalidScheduleException(String field, String problem) {
    this(field, problem, null);
  }

  /** Creates the exception with the low-level cause. */
  public InvalidScheduleException(String field, String problem, Throwable cause) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(problem,
        "problem"), cause);
    this.field = field;
  }

  /** The offending field, such as {@code cron}. */
  public String field() {
    return field;
  }
}
