package dev.dagflow.http.engine;

import java.util.Objects;
import java.util.Optional;

/**
 * The error the remote engine reported for a task or agent: its {@code error} field, a string
 * (the message) or an object with {@code code} and {@code message}. Immutable.
 *
 * @param code the engine's error code; empty if it gave none
 * @param message what went wrong; never null
 */
public record RemoteError(Optional<String> code, String message) {

  public RemoteError {
    Objects.requireNonNull(code, "code");
    Objects.requireNonNull(message, "message");
  }
}
