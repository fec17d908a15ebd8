package dev.dagflow.http.engine;

import java.time.Duration;
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
  private final Integer status;
  private final Duration retryAfter;

  /**
   * @param status the last HTTP status, or {@code null} after a connection error
   * @param retryAfter how long the engine last asked to wait, or {@code null}
   */
  public EngineUnavailableException(String operation, String message, int tries, Integer status,
      Duration retryAfter, Throwable cause) {
    super(operation, message, cause);
    this.tries = tries;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** How many requests were sent, retries included. */
  public int tries() {
    return tries;
  }

  /** The HTTP status of the last answer; empty when the last try got no answer. */
  public OptionalInt status() {
    return status == null ? OptionalInt.empty() : OptionalInt.of(status);
  }

  /** How long the engine asked to wait before the next request ({@code Retry-After}). */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
