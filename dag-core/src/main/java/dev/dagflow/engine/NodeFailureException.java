package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * Thrown by a {@link TaskHandler} (or used to complete an executor's stage exceptionally) to fail
 * the attempt with an error code, and to say whether another attempt may help. Any other
 * exception fails the attempt with the code {@code EXCEPTION} and is retried.
 */
public class NodeFailureException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String code;
  private final boolean retryable;

  /** A failure with {@code code} that another attempt may fix. */
  public NodeFailureException(String code, String message) {
    this(code, message, true);
  }

  /** @throws IllegalArgumentException if {@code code} is blank */
  public NodeFailureException(String code, String message, boolean retryable) {
    super(message);
    Objects.requireNonNull(code, "code");
    if (code.isBlank()) {
      throw new IllegalArgumentException("code must not be blank");
    }
    this.code = code;
    this.retryable = retryable;
  }

  public String code() {
    return code;
  }

  public boolean isRetryable() {
    return retryable;
  }
}
