package dev.dagflow;

/**
 * Root of every exception dagflow throws on purpose. Subclasses carry the context of the failure
 * (run id, node id, field) as fields as well as in the message.
 *
 * <p>Plain misuse of an argument (a {@code null} where a value is required, a negative size) is
 * reported with the standard {@link NullPointerException} or {@link IllegalArgumentException}
 * instead.
 */
public class DagflowException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Creates an exception with the given message. */
  public DagflowException(String message) {
    super(message);
  }

  /** Creates an exception with the given message and cause. */
  public DagflowException(String message, Throwable cause) {
    super(message, cause);
  }
}
