package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import java.util.Objects;
import java.util.Optional;

/**
 * How one attempt of a node ended: a success with a JSON result, or a failure with an error
 * code, a message and whether another attempt may help. Immutable; the result is not copied,
 * so do not change it after handing it over.
 */
public final class NodeResult {
  private static final NodeResult EMPTY_SUCCESS =
      new NodeResult(NullNode.instance, null, null, false);

  private final JsonNode result;
  private final String errorCode;
  private final String errorMessage;
  private final boolean retryable;

  private NodeResult(JsonNode result, String errorCode, String errorMessage, boolean retryable) {
    this.result = result;
    this.errorCode = errorCode;
    this.errorMessage = errorMessage;
    this.retryable = retryable;
  }

  /** A success without a result (JSON null). */
  public static NodeResult success() {
    return EMPTY_SUCCESS;
  }

  /** A success with {@code result}; a Java null counts as JSON null. */
  public static NodeResult success(JsonNode result) {
    return result == null || result.isNull() ? EMPTY_SUCCESS
        : new NodeResult(result, null, null, false);
  }

  /** A failure that another attempt may fix: retried while the retry policy allows. */
  public static NodeResult failure(String code, String message) {
    return new NodeResult(null, checkCode(code), Objects.requireNonNull(message, "message"),
        true);
  }

  /** A failure no other attempt can fix: never retried. */
  public static NodeResult permanentFailure(String code, String message) {
    return new NodeResult(null, checkCode(code), Objects.requireNonNull(message, "message"),
        false);
  }

  private static String checkCode(String code) {
    Objects.requireNonNull(code, "code");
    if (code.isBlank()) {
      throw new IllegalArgumentException("code must not be blank");
    }
    return code;
  }

  public boolean isSuccess() {
    return errorCode == null;
  }

  /** The result of a success (JSON null when it has none); empty for a failure. */
  public Optional<JsonNode> result() {
    return Optional.ofNullable(result);
  }

  /** The error code of a failure; empty for a success. */
  public Optional<String> errorCode() {
    return Optional.ofNullable(errorCode);
  }

  /** The error message of a failure; empty for a success. */
  public Optional<String> errorMessage() {
    return Optional.ofNullable(errorMessage);
  }

  /** Whether a failure may be retried; false for a success. */
  public boolean isRetryable() {
    return retryable;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NodeResult r && Objects.equals(result, r.result)
        && Objects.equals(errorCode, r.errorCode) && Objects.equals(errorMessage, r.errorMessage)
        && retryable == r.retryable;
  }

  @Override
  public int hashCode() {
    return Objects.hash(result, errorCode, errorMessage, retryable);
  }

  @Override
  public String toString() {
    return isSuccess() ? "success(" + result + ")"
        : (retryable ? "failure(" : "permanentFailure(") + errorCode + ": " + errorMessage + ")";
  }
}
