package dev.dagflow.http.engine;

import java.util.Objects;

/**
 * The remote engine's answer broke the protocol: not JSON, JSON of the wrong shape, a status
 * this client does not know, or a body over the client's size limit. Not retried: the same
 * engine would most likely answer the same way again. Immutable.
 */
public final class EngineProtocolException extends EngineException {
  private static final long serialVersionUID = 1L;

  private final String field;

  /**
   * @param field the path of the offending value in the answer, such as {@code agents[0].status};
   *     {@code (body)} for the answer as a whole
   */
  public EngineProtocolException(String operation, String field, String message,
      Throwable cause) {
    super(operation, message, cause);
    this.field = Objects.requireNonNull(field, "field");
  }

  /** The path of the offending value, such as {@code agents[0].status}; {@code (body)}. */
  public String field() {
    return field;
  }
}
