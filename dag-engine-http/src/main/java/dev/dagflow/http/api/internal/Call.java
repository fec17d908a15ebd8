package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.http.api.ApiPrincipal;
import java.util.Map;
import java.util.Optional;

/**
 * One call of a route: its path parameters (decoded), query, principal and body. The body is
 * read lazily, once, under the size limit.
 */
public final class Call {
  private final ApiRequest request;
  private final Map<String, String> params;
  private final Query query;
  private final ApiPrincipal principal;
  private final int maxBody;
  private byte[] body;

  Call(ApiRequest request, Map<String, String> params, Query query, ApiPrincipal principal,
      int maxBody) {
    this.request = request;
    this.params = params;
    this.query = query;
    this.principal = principal;
    this.maxBody = maxBody;
  }

  /** The decoded path parameter {@code name} of the route's template. */
  String path(String name) {
    String value = params.get(name);
    if (value == null) {
      throw new IllegalStateException("the route has no path parameter " + name);
    }
    return value;
  }

  /** The project of the route; the core has checked the principal may see it. */
  String project() {
    return path("project");
  }

  Query query() {
    return query;
  }

  /** The caller; absent only on public routes. */
  ApiPrincipal principal() {
    return principal;
  }

  /** The operator recorded for a change: the principal's name. */
  String operator() {
    return principal.name();
  }

  Optional<String> header(String name) {
    return request.header(name);
  }

  byte[] rawBody() {
    if (body == null) {
      body = Bodies.read(request, maxBody);
    }
    return body;
  }

  /** The body as a JSON document. @throws ApiException 400/413 naming the problem */
  JsonNode json() {
    return Bodies.json(rawBody());
  }

  /** The body as a JSON object. @throws ApiException 400/413 naming the problem */
  ObjectNode object() {
    return Bodies.object(rawBody());
  }

  /** The body as a JSON object, or an empty one if there is no body at all. */
  ObjectNode objectOrEmpty() {
    byte[] raw = rawBody();
    if (raw.length == 0) {
      return Bodies.MAPPER.createObjectNode();
    }
    return Bodies.object(raw);
  }
}
