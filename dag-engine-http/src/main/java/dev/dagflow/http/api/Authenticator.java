package dev.dagflow.http.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * SPI: turns the bearer token of a request's {@code Authorization: Bearer <token>} header into
 * the {@link ApiPrincipal} calling. Called by {@link DagHttpApi} for every request, on the
 * thread of the server that received it, possibly on many at once: it must be thread-safe. An
 * empty answer (an unknown or expired token) answers 401; so does a throw, which is logged.
 */
@FunctionalInterface
public interface Authenticator {

  /**
   * The principal {@code token} stands for; empty if it stands for none.
   *
   * @param token the text after {@code Bearer }, never empty
   */
  Optional<ApiPrincipal> authenticate(String token);

  /**
   * An authenticator of fixed tokens, each standing for its principal; tokens are compared in
   * time independent of where they differ.
   *
   * @throws NullPointerException if the map, a token or a principal is {@code null}
   * @throws IllegalArgumentException naming {@code tokens} for an empty token
   */
  static Authenticator tokens(Map<String, ApiPrincipal> tokens) {
    Map<byte[], ApiPrincipal> copy = new LinkedHashMap<>();
    Objects.requireNonNull(tokens, "tokens").forEach((token, principal) -> {
      Objects.requireNonNull(token, "tokens");
      if (token.isEmpty()) {
        throw new IllegalArgumentException("tokens must not hold an empty token");
      }
      copy.put(token.getBytes(StandardCharsets.UTF_8),
          Objects.requireNonNull(principal, "tokens"));
    });
    return token -> {
      byte[] given = token.getBytes(StandardCharsets.UTF_8);
      ApiPrincipal found = null;
      for (Map.Entry<byte[], ApiPrincipal> e : copy.entrySet()) {
        if (MessageDigest.isEqual(e.getKey(), given)) {
          found = e.getValue();
        }
      }
      return Optional.ofNullable(found);
    };
  }
}
