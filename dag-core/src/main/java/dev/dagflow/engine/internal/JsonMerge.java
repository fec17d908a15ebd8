package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Iterator;
import java.util.Map;

/** JSON merge patch (RFC 7396) over objects: fields merge, a null value removes a field. */
final class JsonMerge {
  private JsonMerge() {
  }

  /** A new object: {@code target} with {@code patch} merged in; neither is changed. */
  static ObjectNode merge(ObjectNode target, ObjectNode patch) {
    ObjectNode result = target.deepCopy();
    apply(result, patch);
    return result;
  }

  private static void apply(ObjectNode target, ObjectNode patch) {
    Iterator<Map.Entry<String, JsonNode>> fields = patch.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      JsonNode value = e.getValue();
      if (value.isNull()) {
        target.remove(e.getKey());
      } else if (value.isObject() && target.get(e.getKey()) instanceof ObjectNode inner) {
        apply(inner, (ObjectNode) value);
      } else {
        target.set(e.getKey(), value.deepCopy());
      }
    }
  }
}
