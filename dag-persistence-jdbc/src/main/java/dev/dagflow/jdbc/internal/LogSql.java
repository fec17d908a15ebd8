package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;

/**
 * The statements of {@link JdbcLogStore}. The purge differs by dialect, as it deletes in chunks
 * so that no purge holds a long transaction: MariaDB and H2 delete with a row limit, PostgreSQL
 * (which has none on DELETE) deletes the keys a limited SELECT finds. Immutable.
 */
final class LogSql {
  private static final String COLUMNS = "seq, node_id, attempt, level, logged_at, message";

  final String lockFence;
  final String insertFence;
  final String raiseFence;
  final String updateLastSeq;
  final String existing;
  final String insertLine;
  /** Queries by {@code [node given][since given]}, each with the parameters in that order. */
  final String[][] query = new String[2][2];
  final String purgeChunk;
  final String deleteRunLines;
  final String deleteRunFence;

  LogSql(Tables tables, Dialect dialect) {
    String logs = tables.name("logs");
    String fences = tables.name("log_fences");
    lockFence = "SELECT epoch, last_seq FROM " + fences + " WHERE run_id = ? FOR UPDATE";
    insertFence = "INSERT INTO " + fences + " (run_id, epoch, last_seq) VALUES (?, 0, 0)";
    raiseFence = "UPDATE " + fences + " SET epoch = ? WHERE run_id = ? AND epoch < ?";
    updateLastSeq = "UPDATE " + fences + " SET last_seq = ? WHERE run_id = ?";
    existing = "SELECT seq FROM " + logs + " WHERE run_id = ? AND seq BETWEEN ? AND ?";
    insertLine = "INSERT INTO " + logs + " (run_id, " + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)";
    String select = "SELECT " + COLUMNS + " FROM " + logs
        + " WHERE run_id = ? AND seq > ? AND level >= ?";
    for (int node = 0; node < 2; node++) {
      for (int since = 0; since < 2; since++) {
        query[node][since] = select + (node == 1 ? " AND node_id = ?" : "")
            + (since == 1 ? " AND logged_at >= ?" : "") + " ORDER BY seq LIMIT ?";
      }
    }
    deleteRunLines = "DELETE FROM " + logs + " WHERE run_id = ?";
    deleteRunFence = "DELETE FROM " + fences + " WHERE run_id = ?";
    purgeChunk = dialect.kind() == JdbcDialect.POSTGRESQL
        ? "DELETE FROM " + logs + " WHERE (run_id, seq) IN (SELECT run_id, seq FROM " + logs
            + " WHERE logged_at < ? LIMIT ?)"
        : dialect.kind() == JdbcDialect.MARIADB
            ? "DELETE FROM " + logs + " WHERE logged_at < ? LIMIT ?"
            : "DELETE FROM " + logs + " WHERE logged_at < ? FETCH FIRST ? ROWS ONLY";
  }
}
