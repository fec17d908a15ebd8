package dev.dagflow.store;

import dev.dagflow.DagflowException;
import java.util.Objects;

/** A store could not do what it was asked: a missing or duplicate record, or a failure below. */
public class StoreException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String operation;

  /** @param operation what was asked, e.g. {@code "create run r-1"} */
  public StoreException(String operation, String message) {
    super(operation + ": " + message);
    this.operation = Objects.requireNonNull(operation, "operation");
  }

  /** @param operation what was asked, e.g. {@code "create run r-1"} */
  public StoreException(String operation, String message, Throwable cause) {
    super(operation + ": " + message, cause);
    this.operation = Objects.requireNonNull(operation, "operation");
  }

  /** What was asked of the store. */
  public String operation() {
    return operation;
  }
}
