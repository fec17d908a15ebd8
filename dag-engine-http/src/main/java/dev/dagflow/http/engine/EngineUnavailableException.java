package dev.dagflow.http.engine;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The remote engine could not be reached (a connection error or timeout), or answered 5xx or
 * 429, on every try the client's retry policy allowed; or it asked (with {@code Retry-After})
 * to wait longer than the client waits by itself. Transient: asking again later may succeed.
 * Immutable.
 */
public final class EngineUnavailableException extends EngineException {
  private static final long serialVersionUID = 1L;

  private final int tries;
  private final OptionalInt status;
  private final Optional<Duration> retryAfter;

  /**
   * @param tries how many requests were sent
   * @param status the last HTTP status; empty after a connection error
   * @param retryAfter how long the engine last asked to wait; empty if it did not
   * @param cause the last connection error; may be null
   */
  public EngineUnavailableException(String operation, String message, int tries,
      OptionalInt status, Optional<Duration> retryAfter, Throwable cause) {
    super(operation, message, cause);
    this.tries = tries;
    this.status = Objects.requireNonNull(status, "status");
    this.retryAfter = Objects.requireNonNull(retryAfter, "retryAfter");
  }

  /** How many requests were sent, retries included. */
  public int tries() {
    return tries;
  }

  /** The HTTP status of the last answer; empty when the last try got no answer. */
  public OptionalInt status() {
    return status;
  }

  /** How long the engine asked to wait before the next request ({@code Retry-After}). */
  public Optional<Duration> retryAfter() {
    return retryAfter;
  }
}
