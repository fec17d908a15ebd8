package dev.dagflow.http.engine.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Builds the engine's URIs from the base and the path templates, encoding ids and queries. */
public final class Paths {
  /** The placeholder of an id in a path template. */
  public static final String ID = "{id}";

  private Paths() {
  }

  /**
   * Checks a path template: it starts with {@code /}, has no query or fragment and, when {@code
   * withId}, holds {@link #ID} exactly once.
   *
   * @throws IllegalArgumentException naming {@code field}
   */
  public static String check(String field, String path, boolean withId) {
    if (path == null) {
      throw new NullPointerException(field);
    }
    if (!path.startsWith("/") || path.contains("?") || path.contains("#")
        || path.chars().anyMatch(c -> c <= ' ')) {
      throw new IllegalArgumentException(field + " must start with '/' and hold no query, "
          + "fragment or whitespace, was '" + Protocol.cut(path) + "'");
    }
    int at = path.indexOf(ID);
    if (withId && (at < 0 || path.indexOf(ID, at + 1) >= 0)) {
      throw new IllegalArgumentException(field + " must hold " + ID + " once, was '"
          + Protocol.cut(path) + "'");
    }
    if (!withId && at >= 0) {
      throw new IllegalArgumentException(field + " takes no " + ID + ", was '"
          + Protocol.cut(path) + "'");
    }
    return path;
  }

  /** {@code base} with {@code path} appended, {@code id} in place of its placeholder. */
  public static URI uri(URI base, String path, String id, String query) {
    String b = base.toString();
    if (b.endsWith("/")) {
      b = b.substring(0, b.length() - 1);
    }
    String p = id == null ? path : path.replace(ID, segment(id));
    return URI.create(b + p + (query == null ? "" : "?" + query));
  }

  /** {@code name=value}, form-encoded. */
  public static String query(String name, String value) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8) + "="
        + URLEncoder.encode(value, StandardCharsets.UTF_8);
  }

  /** {@code id} encoded as one path segment: {@code /} and {@code ?} cannot escape it. */
  static String segment(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
