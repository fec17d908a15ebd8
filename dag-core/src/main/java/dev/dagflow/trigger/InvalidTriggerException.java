package dev.dagflow.trigger;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * A trigger definition is not valid. Carries the offending field ({@code id}, {@code project},
 * {@code eventType}, {@code filter}, {@code template}, {@code templateVersion} or {@code
 * mapping.<param>}); the message starts with it. Thrown by {@link EventTrigger.Builder}.
 */
public class InvalidTriggerException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the offending field
   * @param problem what is wrong, for people
   */
  public InvalidTriggerException(String field, String problem) {
    this(field, problem, null);
  }

  /** Creates the exception with the low-level cause. */
  public InvalidTriggerException(String field, String problem, Throwable cause) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(problem,
        "problem"), cause);
    this.field = field;
  }

  /** The offending field, such as {@code filter} or {@code mapping.domain}. */
  public String field() {
    return field;
  }
}
