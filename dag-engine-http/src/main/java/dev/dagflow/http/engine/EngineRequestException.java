package dev.dagflow.http.engine;

/**
 * The remote engine refused a request with a 4xx status other than 429: asking the same again
 * would be refused again, so it is not retried. 404 on a task's status means the engine does not
 * know the task. Immutable.
 */
public final class EngineRequestException extends EngineException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String body;

  /** @param body the start of the answer's body, for the message; may be empty */
  public EngineRequestException(String operation, int status, String body) {
    super(operation, "the engine answered " + status + (body.isEmpty() ? "" : ": " + body),
        null);
    this.status = status;
    this.body = body;
  }

  /** The HTTP status of the answer. */
  public int status() {
    return status;
  }

  /** The start of the answer's body (at most 500 characters); empty if it had none. */
  public String body() {
    return body;
  }
}
