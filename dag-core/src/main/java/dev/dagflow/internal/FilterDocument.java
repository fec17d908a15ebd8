package dev.dagflow.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The document each use of a filter is matched against, and the top-level fields its paths may
 * start with: the rule the {@link dev.dagflow.filter.Filter} Javadoc states under "What a filter
 * sees", in code, so that every use builds and checks its document the same way.
 *
 * <p>Immutable and thread-safe.
 */
public enum FilterDocument {
  /** An edge condition: {@code {"result", "state"}} of the upstream. */
  EDGE_CONDITION("the document of an edge condition", "result", "result", "state"),
  /** An activation condition: {@code {"params"}} of the run. */
  ACTIVATION("the document of an activation condition", "params", "params"),
  /** A trigger's filter and parameter mapping: the whole event. */
  EVENT("the event document a trigger reads", "payload",
      "id", "type", "project", "payload", "time", "cause", "depth");

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String name;
  private final String usual;
  private final List<String> fields;
  private final Set<String> lookup;

  FilterDocument(String name, String usual, String... fields) {
    this.name = name;
    this.usual = usual;
    this.fields = List.of(fields);
    this.lookup = Set.of(fields);
  }

  /** The document's top-level fields, in the order the docs list them; unmodifiable. */
  public List<String> fields() {
    return fields;
  }

  /** Whether a dotted path starts at one of the document's fields. */
  public boolean admits(String path) {
    int dot = path.indexOf('.');
    return lookup.contains(dot < 0 ? path : path.substring(0, dot));
  }

  /** The paths, of those given, that start outside the document, in their order. */
  public List<String> outside(Iterable<String> paths) {
    List<String> outside = new ArrayList<>();
    for (String path : paths) {
      if (!admits(path)) {
        outside.add(path);
      }
    }
    return outside;
  }

  /**
   * What is wrong with a path that starts outside the document, for people: {@code path
   * 'status' starts outside the document of an edge condition, whose fields are result, state
   * (did you mean 'result.status'?)}.
   */
  public String problem(String path) {
    return "path '" + path + "' starts outside " + name + ", whose fields are "
        + String.join(", ", fields) + " (did you mean '" + usual + "." + path + "'?)";
  }

  /** The document of an edge condition; {@code result} is shared, not copied. */
  public static ObjectNode edgeCondition(JsonNode result, String state) {
    ObjectNode doc = NODES.objectNode();
    doc.set("result", result);
    doc.put("state", state);
    return doc;
  }

  /** The document of an activation condition; {@code params} is shared, not copied. */
  public static ObjectNode activation(JsonNode params) {
    ObjectNode doc = NODES.objectNode();
    doc.set("params", params);
    return doc;
  }
}
