package dev.dagflow.spec.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.util.List;
import java.util.Set;

/** The steps every JSON format shares: the node limit, and building once the fields are read. */
final class SpecReading {
  private SpecReading() {}

  /**
   * The fields of the document's top-level object, unknown ones reported.
   *
   * @throws InvalidDagException if the document is not an object
   */
  static Fields top(JsonNode root, Set<String> known, List<SpecProblem> problems) {
    ObjectNode top = Fields.asObject(root, "", null, problems);
    if (top == null) {
      throw fail(null, problems);
    }
    Fields f = new Fields(top, "", null, problems);
    f.rejectUnknown(known);
    return f;
  }

  /**
   * The fields of node {@code i}, reported against the id in {@code idField} when it is a string,
   * unknown ones and a missing id reported; {@code null} (after a problem) if it is no object.
   */
  static Fields node(JsonNode element, int i, String idField, Set<String> known,
      List<SpecProblem> problems) {
    String path = "nodes[" + i + "]";
    ObjectNode o = Fields.asObject(element, path, null, problems);
    if (o == null) {
      return null;
    }
    JsonNode rawId = o.get(idField);
    Fields f = new Fields(o, path, rawId != null && rawId.isTextual() ? rawId.textValue() : null,
        problems);
    f.rejectUnknown(known);
    f.text(idField, true);
    return f;
  }

  static InvalidDagException fail(String dagId, List<SpecProblem> problems) {
    return new InvalidDagException(dagId, problems);
  }

  /** Stops at once when the array holds more nodes than allowed: reading them would be waste. */
  static void checkCount(String dagId, ArrayNode nodes, int maxNodes, List<SpecProblem> problems) {
    if (nodes != null && nodes.size() > maxNodes) {
      problems.add(new SpecProblem(Kind.TOO_MANY_NODES, null, "nodes",
          nodes.size() + " nodes exceed the limit of " + maxNodes));
      throw fail(dagId, problems);
    }
  }

  /**
   * Throws the problems found while reading fields, if any; else builds the spec, which checks
   * the graph and throws every problem it finds.
   */
  static DagSpec build(String dagId, DagSpec.Builder dag, List<SpecProblem> problems) {
    if (!problems.isEmpty()) {
      throw fail(dagId, problems);
    }
    return dag.build();
  }
}
