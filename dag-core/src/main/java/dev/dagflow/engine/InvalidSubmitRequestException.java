package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * A {@link SubmitRequest} is not valid. Carries the offending field ({@code spec},
 * {@code template}, {@code templateVersion}, {@code params}, {@code operator}, {@code
 * idempotencyKey} or {@code idempotencyStrategy}); the message starts with it. Thrown by {@link
 * SubmitRequest.Builder}.
 */
public class InvalidSubmitRequestException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * Creates the exception.
   *
   * @param field the offending field
   * @param problem what is wrong, for people
   */
  public InvalidSubmitRequestException(String field, String problem) {
    super(Objects.requireNonNull(field, "field") + ": " + Objects.requireNonNull(problem,
        "problem"));
    this.field = field;
  }

  /** The offending field, such as {@code template} or {@code operator}. */
  public String field() {
    return field;
  }
}
