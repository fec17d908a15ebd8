package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code {"code","message","data"}} bodies every JSON route answers with. */
final class Responses {
  static final String JSON = "application/json; charset=utf-8";

  private Responses() {}

  static ApiResponse ok(JsonNode data) {
    return envelope(200, "success", data, Map.of());
  }

  static ApiResponse created(JsonNode data) {
    return envelope(201, "created", data, Map.of());
  }

  static ApiResponse error(ApiException e) {
    ObjectNode data = Views.NODES.objectNode();
    data.put("error", e.error());
    e.field().ifPresent(f -> data.put("field", f));
    e.details().ifPresent(data::setAll);
    Map<String, String> headers = new LinkedHashMap<>();
    if (e.status() == 401) {
      headers.put("WWW-Authenticate", "Bearer realm=\"dagflow\"");
    }
    return envelope(e.status(), e.getMessage(), data, headers);
  }

  static ApiResponse envelope(int status, String message, JsonNode data,
      Map<String, String> extra) {
    ObjectNode body = Views.NODES.objectNode();
    body.put("code", status);
    body.put("message", message);
    body.set("data", data == null ? Views.NODES.nullNode() : data);
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", JSON);
    headers.put("Cache-Control", "no-store");
    headers.putAll(extra);
    return new ApiResponse(status, headers, Bodies.write(body), null);
  }

  /** A body that is not JSON: a static asset or a document. */
  static ApiResponse raw(int status, String contentType, byte[] bytes) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Content-Type", contentType);
    return new ApiResponse(status, headers, bytes, null);
  }
}
