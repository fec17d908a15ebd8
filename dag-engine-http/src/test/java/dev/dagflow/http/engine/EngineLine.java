package dev.dagflow.http.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;

/**
 * A line of an agent's log on the {@link FakeEngine}: its timestamp as the engine writes it
 * (an ISO string, or epoch milliseconds when {@code numeric}), level, message and optional id.
 */
record EngineLine(Instant time, boolean numeric, String level, String message, String id) {

  static EngineLine at(Instant time, String level, String message) {
    return new EngineLine(time, false, level, message, null);
  }

  EngineLine withId(String lineId) {
    return new EngineLine(time, numeric, level, message, lineId);
  }

  EngineLine inMillis() {
    return new EngineLine(time, true, level, message, id);
  }

  ObjectNode json() {
    ObjectNode o = Reply.JSON.createObjectNode();
    if (numeric) {
      o.put("timestamp", time.toEpochMilli());
    } else {
      o.put("timestamp", time.toString());
    }
    o.put("level", level).put("message", message);
    if (id != null) {
      o.put("id", id);
    }
    return o;
  }
}
