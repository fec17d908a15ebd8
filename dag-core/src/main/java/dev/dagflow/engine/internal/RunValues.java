package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.Json;

/**
 * Where a run's parameters and a node's result sit in the documents that hold them, and the
 * checked copies the engine keeps of them, so that a durable store never has to write what it
 * cannot read back.
 */
final class RunValues {
  /** Parameters sit one level down: {@code {"params": …}}, a run record or a submit request. */
  static final int PARAMS_DEPTH = 1;
  /** A result sits one level down: {@code {"result": …}}, the document edge conditions see. */
  static final int RESULT_DEPTH = 1;

  private RunValues() {}

  /**
   * The canonical copy of a run's parameters.
   *
   * @throws InvalidJsonException naming {@code params} and the path in it, for a value beyond a
   *     {@link dev.dagflow.json.JsonLimits} limit or that is not JSON (NaN, infinities, POJO or
   *     missing nodes)
   */
  static ObjectNode params(ObjectNode params) {
    return Json.canonicalCopy(params, "params", PARAMS_DEPTH);
  }
}
