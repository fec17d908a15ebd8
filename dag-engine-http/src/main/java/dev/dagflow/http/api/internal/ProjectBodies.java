package dev.dagflow.http.api.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What the project of a route means for the body of a policy, trigger or event: the body may
 * leave {@code project} out or name the route's own, never another; the route's project is
 * written into a copy the codec reads.
 */
final class ProjectBodies {
  private ProjectBodies() {}

  /** A copy of {@code body} with the route's project. @throws ApiException 400 otherwise */
  static ObjectNode inProject(ObjectNode body, String project) {
    JsonNode given = body.get("project");
    if (given != null && !given.isNull() && !(given.isTextual()
        && given.textValue().equals(project))) {
      throw ApiException.badField("project", "must be left out or be '" + project
          + "', the project of the route");
    }
    ObjectNode copy = body.deepCopy();
    copy.put("project", project);
    return copy;
  }

  /**
   * Checks {@code field} of {@code body} is absent or {@code expected}, the id of the route, and
   * returns a copy holding it.
   */
  static ObjectNode withId(ObjectNode body, String field, String expected) {
    JsonNode given = body.get(field);
    if (given != null && !given.isNull() && !(given.isTextual()
        && given.textValue().equals(expected))) {
      throw ApiException.badField(field, "must be left out or be '" + expected
          + "', the " + field + " of the route");
    }
    ObjectNode copy = body.deepCopy();
    copy.put(field, expected);
    return copy;
  }
}
