package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A request the API refuses: the HTTP status, an error code for programs, the field or
 * parameter at fault (if one is), a message for people and optional details. Thrown by routes
 * and the request readers; {@link ApiCore} answers it as a {@code {"code","message","data"}}
 * body.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String error;
  private final String field;
  private final transient ObjectNode details;

  ApiException(int status, String error, String field, String message, ObjectNode details) {
    super(field == null || field.isEmpty() ? message : field + ": " + message);
    this.status = status;
    this.error = error;
    this.field = field;
    this.details = details;
  }

  /** 400 for a bad field or parameter, named. */
  public static ApiException badField(String field, String message) {
    return new ApiException(400, "INVALID_FIELD", field, message, null);
  }

  /** 404 for something that does not exist, or exists in a project the caller cannot see. */
  public static ApiException notFound(String what) {
    return new ApiException(404, "NOT_FOUND", null, what + " not found", null);
  }

  /** 409 for a change the current state refuses. */
  public static ApiException conflict(String field, String message) {
    return new ApiException(409, "CONFLICT", field, message, null);
  }

  public static ApiException of(int status, String error, String field, String message) {
    return new ApiException(status, error, field, message, null);
  }

  int status() {
    return status;
  }

  String error() {
    return error;
  }

  Optional<String> field() {
    return Optional.ofNullable(field);
  }

  Optional<ObjectNode> details() {
    return Optional.ofNullable(details);
  }
}
