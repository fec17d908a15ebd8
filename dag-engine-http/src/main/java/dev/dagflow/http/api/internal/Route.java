package dev.dagflow.http.api.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One entry of the route table: a method and a path template such as {@code
 * /api/v1/projects/{project}/runs/{run}}, who may call it, whether it reads a JSON body, the
 * query parameters it takes, a summary for the OpenAPI document, and its handler.
 *
 * @param query the names of the query parameters the route takes
 * @param body what the request body is, for the OpenAPI document; empty for no body
 */
public record Route(String method, String template, Access access, String summary,
    Set<String> query, String body, Handler handler) {

  /** Who may call a route. */
  public enum Access {
    /** Anyone, without a token: the OpenAPI document and Swagger UI. */
    PUBLIC,
    /** A principal that may read the route's {project}. */
    READ,
    /** A principal that may change the route's {project}. */
    CHANGE
  }

  /** Answers a call of the route. */
  @FunctionalInterface
  public interface Handler {
    ApiResponse handle(Call call);
  }

  public Route {
    query = Set.copyOf(query);
  }

  /** The template's segments, without the empty one before the first slash. */
  List<String> segments() {
    return List.of(template.substring(1).split("/", -1));
  }

  /** The path parameters of {@code path}, or {@code null} if the path does not fit. */
  Map<String, String> match(List<String> path) {
    List<String> mine = segments();
    if (mine.size() != path.size()) {
      return null;
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < mine.size(); i++) {
      String s = mine.get(i);
      if (s.startsWith("{")) {
        if (path.get(i).isEmpty()) {
          return null;
        }
        params.put(s.substring(1, s.length() - 1), path.get(i));
      } else if (!s.equals(path.get(i))) {
        return null;
      }
    }
    return params;
  }
}
