package dev.dagflow.jdbc.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * An INSERT (or an upsert) of many rows as multi-row statements: {@value #CHUNK} rows to a
 * statement, then {@value #SMALL_CHUNK}, then one, each size a JDBC batch of its own. A database
 * runs one statement of 64 rows several times faster than 64 statements of one row, and three
 * fixed shapes keep the driver's and the server's statement caches small. So that no statement
 * nears a server's packet limit (MariaDB's {@code max_allowed_packet}, 1 MiB in older setups), a
 * row holding more than {@value #SMALL_ROW} characters goes in statements of 8 rows at most, and
 * one holding more than {@value #ALONE_FROM} alone: a statement carries at most about 400 KB.
 *
 * <p>A row is an array of its column values in order: {@code String}, {@code Long}, {@code
 * Integer}, {@code Boolean}, or {@link #NULL_TEXT} / {@link #NULL_BIGINT} for SQL NULL. Rows must
 * not repeat a key of an upsert: one statement may not change a row twice. Immutable.
 */
final class MultiRowInsert {
  static final int CHUNK = 64;
  static final int SMALL_CHUNK = 8;
  /** The most characters of a row that goes in a statement of 64 (at most 6 KB in UTF-8). */
  static final int SMALL_ROW = 2_048;
  /** The most characters of a row that goes with others (at most 48 KB in UTF-8). */
  static final int ALONE_FROM = 16_384;
  /** A NULL of a text column. */
  static final Object NULL_TEXT = new Object();
  /** A NULL of a BIGINT column. */
  static final Object NULL_BIGINT = new Object();

  private final int columns;
  private final String oneRow;
  private final String fewRows;
  private final String manyRows;

  /**
   * The statement {@code head} (up to and with {@code VALUES}), a group of {@code columns}
   * parameters per row, then {@code tail} (an upsert's conflict clause, or empty).
   */
  MultiRowInsert(String head, int columns, String tail) {
    this.columns = columns;
    this.oneRow = sql(head, columns, tail, 1);
    this.fewRows = sql(head, columns, tail, SMALL_CHUNK);
    this.manyRows = sql(head, columns, tail, CHUNK);
  }

  private static String sql(String head, int columns, String tail, int rows) {
    String row = "(" + String.join(", ", Collections.nCopies(columns, "?")) + ")";
    return head + String.join(", ", Collections.nCopies(rows, row)) + tail;
  }

  /** The statement of one row. */
  String single() {
    return oneRow;
  }

  /** Writes {@code rows} on {@code c}: in statements of 64, 8 and 1 rows. */
  void write(Connection c, List<Object[]> rows) throws SQLException {
    List<Object[]> small = new ArrayList<>(rows.size());
    List<Object[]> medium = new ArrayList<>();
    List<Object[]> alone = new ArrayList<>();
    for (Object[] row : rows) {
      if (row.length != columns) {
        throw new IllegalArgumentException("a row of " + row.length + " values for " + columns
            + " columns");
      }
      int weight = weight(row);
      (weight <= SMALL_ROW ? small : weight <= ALONE_FROM ? medium : alone).add(row);
    }
    int at = write(c, manyRows, CHUNK, small, 0);
    medium.addAll(small.subList(at, small.size()));
    at = write(c, fewRows, SMALL_CHUNK, medium, 0);
    alone.addAll(medium.subList(at, medium.size()));
    write(c, oneRow, 1, alone, 0);
  }

  /**
   * Writes the rows of {@code rows} from {@code from} in whole statements of {@code size} rows,
   * as one batch; returns the index of the first row left.
   */
  private int write(Connection c, String sql, int size, List<Object[]> rows, int from)
      throws SQLException {
    int statements = (rows.size() - from) / size;
    if (statements == 0) {
      return from;
    }
    try (PreparedStatement st = c.prepareStatement(sql)) {
      int i = from;
      for (int s = 0; s < statements; s++) {
        for (int r = 0; r < size; r++) {
          bind(st, r * columns + 1, rows.get(i++));
        }
        st.addBatch();
      }
      st.executeBatch();
      return i;
    }
  }

  private static void bind(PreparedStatement st, int first, Object[] row) throws SQLException {
    for (int k = 0; k < row.length; k++) {
      int i = first + k;
      Object v = row[k];
      if (v instanceof String s) {
        st.setString(i, s);
      } else if (v instanceof Long l) {
        st.setLong(i, l);
      } else if (v instanceof Integer n) {
        st.setInt(i, n);
      } else if (v instanceof Boolean b) {
        st.setBoolean(i, b);
      } else if (v == NULL_TEXT) {
        st.setNull(i, Types.VARCHAR);
      } else if (v == NULL_BIGINT) {
        st.setNull(i, Types.BIGINT);
      } else {
        throw new IllegalArgumentException("column " + k + " holds a "
            + (v == null ? "Java null" : v.getClass().getName()) + ", not a column value");
      }
    }
  }

  private static int weight(Object[] row) {
    int chars = 0;
    for (Object v : row) {
      if (v instanceof String s) {
        chars += s.length();
      }
    }
    return chars;
  }
}
