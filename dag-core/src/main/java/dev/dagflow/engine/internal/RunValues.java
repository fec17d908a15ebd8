package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.Json;

/**
 * Where a run's parameters and a node's result sit in the documents that hold them, and the
 * checked copies the engine keeps of them, so that a durable store never has to write what it
 * cannot read back.
 */
final class RunValues {

  private RunValues() {}

  /**
   * The canonical copy of a run's parameters.
   *
   * @throws InvalidJsonException naming {@code params} and the path in it, for a value beyond a
   *     {@link dev.dagflow.json.JsonLimits} limit or that is not JSON (NaN, infinities, POJO or
   *     missing nodes)
   */
  static ObjectNode params(ObjectNode params) {
    return Json.canonicalCopy(params, "params", NativeDepths.PARAMS_DEPTH);
  }
}
