package dev.dagflow.trigger;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * An event is not valid, or a trigger's parameter mapping cannot be applied to it. Carries the
 * offending field ({@code type}, {@code id}, {@code project}, {@code cause}, {@code depth},
 * {@code payload}, or {@code mapping.<param>}); the message starts with it.
 */
public class InvalidEventException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the offending field
   * @param problem what is wrong, for people
   */
  public InvalidEventException(String field, String problem) {
    this(field, problem, null);
  }

  /** Creates the exception with the low-level cause. */
  public InvalidEventException(String field, String problem, Throwable cause) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(problem,
        "problem"), cause);
    this.field = field;
  }

  /** The offending field, such as {@code payload} or {@code mapping.domain}. */
  public String field() {
    return field;
  }
}
