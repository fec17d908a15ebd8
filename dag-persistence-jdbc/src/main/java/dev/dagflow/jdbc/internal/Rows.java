package dev.dagflow.jdbc.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.store.StoreException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How values go into columns and come back: instants as BIGINT epoch milliseconds, JSON as text
 * written by one {@link ObjectMapper}, absent values as SQL NULL. Stateless and thread-safe.
 */
final class Rows {
  private static final ObjectMapper JSON = JsonCodec.MAPPER;

  private Rows() {}

  static void setString(PreparedStatement st, int i, Optional<String> value) throws SQLException {
    if (value.isPresent()) {
      st.setString(i, value.get());
    } else {
      st.setNull(i, Types.VARCHAR);
    }
  }

  static void setMillis(PreparedStatement st, int i, Instant time) throws SQLException {
    st.setLong(i, millis(time));
  }

  static void setMillis(PreparedStatement st, int i, Optional<Instant> time)
      throws SQLException {
    if (time.isPresent()) {
      st.setLong(i, millis(time.get()));
    } else {
      st.setNull(i, Types.BIGINT);
    }
  }

  static void setJson(PreparedStatement st, int i, Optional<? extends JsonNode> value)
      throws SQLException {
    if (value.isPresent()) {
      st.setString(i, json(value.get()));
    } else {
      st.setNull(i, Types.VARCHAR);
    }
  }

  /** {@code value} as a column value of a {@link MultiRowInsert} row. */
  static Object text(Optional<String> value) {
    return value.isPresent() ? value.get() : MultiRowInsert.NULL_TEXT;
  }

  /** {@code time} as a column value of a {@link MultiRowInsert} row. */
  static Object millisOrNull(Optional<Instant> time) {
    return time.isPresent() ? (Object) millis(time.get()) : MultiRowInsert.NULL_BIGINT;
  }

  /** {@code value} as JSON text, a column value of a {@link MultiRowInsert} row. */
  static Object jsonOrNull(Optional<? extends JsonNode> value) {
    return value.isPresent() ? json(value.get()) : MultiRowInsert.NULL_TEXT;
  }

  static long millis(Instant time) {
    try {
      return time.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("time " + time + " is out of range", e);
    }
  }

  /**
   * {@code time} as a bound of a query on millisecond columns: a time past what a long holds
   * is the largest or smallest long, beyond every stored time.
   */
  static long bound(Instant time) {
    try {
      return time.toEpochMilli();
    } catch (ArithmeticException e) {
      return time.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
  }

  static Optional<String> string(ResultSet rs, String column) throws SQLException {
    return Optional.ofNullable(rs.getString(column));
  }

  static Instant instant(ResultSet rs, String column) throws SQLException {
    return Instant.ofEpochMilli(rs.getLong(column));
  }

  static Optional<Instant> optionalInstant(ResultSet rs, String column) throws SQLException {
    long millis = rs.getLong(column);
    return rs.wasNull() ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }

  static String json(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
    }
  }

  static JsonNode jsonNode(String text, String what) {
    try {
      return JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StoreException("read " + what, "its stored JSON cannot be read: "
          + e.getOriginalMessage(), e);
    }
  }

  static ObjectNode object(String text, String what) {
    JsonNode node = jsonNode(text, what);
    if (!(node instanceof ObjectNode object)) {
      throw new StoreException("read " + what, "its stored JSON is not an object");
    }
    return object;
  }

  static Optional<JsonNode> optionalJson(ResultSet rs, String column, String what)
      throws SQLException {
    String text = rs.getString(column);
    return text == null ? Optional.empty() : Optional.of(jsonNode(text, what));
  }

  static Optional<ObjectNode> optionalObject(ResultSet rs, String column, String what)
      throws SQLException {
    String text = rs.getString(column);
    return text == null ? Optional.empty() : Optional.of(object(text, what));
  }

  /** Usage figures as a JSON object of numbers by name; empty for none (stored as NULL). */
  static Optional<String> usage(Map<String, Double> figures) {
    if (figures.isEmpty()) {
      return Optional.empty();
    }
    ObjectNode object = JSON.createObjectNode();
    figures.forEach(object::put);
    return Optional.of(json(object));
  }

  /** The usage figures stored in {@code column}; empty for NULL. */
  static Map<String, Double> usage(ResultSet rs, String column, String what)
      throws SQLException {
    String text = rs.getString(column);
    if (text == null) {
      return Map.of();
    }
    Map<String, Double> figures = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : object(text, what).properties()) {
      if (!e.getValue().isNumber()) {
        throw new StoreException("read " + what, "usage figure '" + e.getKey()
            + "' is not a number");
      }
      figures.put(e.getKey(), e.getValue().doubleValue());
    }
    return figures;
  }
}
