package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/** A submitted spec has nodes whose task type no executor is registered for. */
public class UnknownTaskTypeException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String specId;
  private final Map<String, String> typesByNode;

  /** @param typesByNode the unknown task type of each such node, by node id, in spec order */
  public UnknownTaskTypeException(String specId, Map<String, String> typesByNode) {
    super("DAG '" + specId + "' has nodes of task types no executor is registered for: "
        + typesByNode.entrySet().stream().limit(10)
            .map(e -> "node '" + e.getKey() + "' (type '" + e.getValue() + "')")
            .collect(Collectors.joining(", "))
        + (typesByNode.size() > 10 ? " and " + (typesByNode.size() - 10) + " more" : ""));
    this.specId = specId;
    this.typesByNode = Collections.unmodifiableMap(new LinkedHashMap<>(typesByNode));
  }

  public String specId() {
    return specId;
  }

  /** The unknown task type of each such node, by node id, in spec order; unmodifiable. */
  public Map<String, String> typesByNode() {
    return typesByNode;
  }
}
