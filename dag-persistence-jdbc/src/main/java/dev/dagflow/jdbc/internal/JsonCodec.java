package dev.dagflow.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The JSON text the stores write into their TEXT columns, compact, and read back. Stored text
 * was written by a store, so a column that does not read is corruption: {@link
 * IllegalStateException}. Thread-safe.
 */
final class JsonCodec {
  static final ObjectMapper MAPPER = JsonMapper.builder().build();

  private JsonCodec() {}

  static String write(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }

  /** The object stored as {@code text}; {@code what} names it in the message of a failure. */
  static ObjectNode readObject(String text, String what) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node instanceof ObjectNode object) {
        return object;
      }
      throw new IllegalStateException("the stored " + what + " is not a JSON object");
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("the stored " + what + " is not JSON: "
          + e.getOriginalMessage(), e);
    }
  }
}
