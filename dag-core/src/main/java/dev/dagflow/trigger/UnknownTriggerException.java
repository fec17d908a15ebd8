package dev.dagflow.trigger;

import dev.dagflow.DagflowException;

/** No trigger has the id asked for. */
public class UnknownTriggerException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String triggerId;

  public UnknownTriggerException(String triggerId) {
    super("no trigger with id '" + triggerId + "'");
    this.triggerId = triggerId;
  }

  /** The id asked for. */
  public String triggerId() {
    return triggerId;
  }
}
