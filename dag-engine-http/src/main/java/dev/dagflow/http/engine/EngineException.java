package dev.dagflow.http.engine;

import dev.dagflow.DagflowException;
import java.util.Objects;

/**
 * A call to the remote engine failed. The subclasses say how: {@link
 * EngineUnavailableException} (it could not be reached, or answered 5xx or 429, on every try),
 * {@link EngineRequestException} (it refused the request with another 4xx) and {@link
 * EngineProtocolException} (its answer broke the protocol). Immutable.
 */
public class EngineException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String operation;

  /**
   * @param operation what was asked of the engine, such as {@code status of engine task 't-1'}
   */
  public EngineException(String operation, String message, Throwable cause) {
    super(operation + ": " + message, cause);
    this.operation = Objects.requireNonNull(operation, "operation");
  }

  /** What was asked of the engine, such as {@code status of engine task 't-1'}. */
  public String operation() {
    return operation;
  }
}
