package dev.dagflow.spec.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.SpecProblem;
import dev.dagflow.spec.SpecProblem.Kind;
import java.util.List;

/** The steps every JSON format shares: the node limit, and building once the fields are read. */
final class SpecReading {
  private SpecReading() {}

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
