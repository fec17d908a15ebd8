package dev.dagflow.jdbc.engine;

import dev.dagflow.engine.NodeContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The tables of the process tests, beside dagflow's in the same database: {@code t_executions},
 * a row per thing a task handler did (its start, by idempotency key, and for some handlers its
 * return), written by the handler itself in a transaction of its own, and {@code t_releases},
 * the runs whose held node the test let go. Every JVM of a test reads and writes them; they are
 * dagflow's only witness that a task ran, independent of dagflow's own records. Thread-safe.
 */
final class ExecutionTable {
  /** What a handler records as it begins: the execution of an attempt. */
  static final String EXECUTED = "executed";
  /** What a handler that waits records once it is done waiting, just before it returns. */
  static final String RETURNED = "returned";

  /** One row of {@code t_executions}; {@code at} in milliseconds of the writer's clock. */
  record Execution(String key, String runId, String nodeId, int attempt, String instance,
      String what, long at) {}

  private ExecutionTable() {}

  /** Creates the tables (the test does, before any engine runs). */
  static void create(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection()) {
      create(c);
    }
  }

  /** Creates the tables through {@code c}. */
  static void create(Connection c) throws SQLException {
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TABLE t_executions (idem_key VARCHAR(400) NOT NULL, "
          + "run_id VARCHAR(256) NOT NULL, node_id VARCHAR(128) NOT NULL, "
          + "attempt INTEGER NOT NULL, instance VARCHAR(128) NOT NULL, "
          + "what VARCHAR(16) NOT NULL, at_ms BIGINT NOT NULL)");
      st.execute("CREATE TABLE t_releases (run_id VARCHAR(256) NOT NULL PRIMARY KEY)");
    }
  }

  /** Drops the tables if they exist. */
  static void drop(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      st.execute("DROP TABLE IF EXISTS t_executions");
      st.execute("DROP TABLE IF EXISTS t_releases");
    }
  }

  /** Records that {@code instance} did {@code what} for the attempt of {@code ctx}. */
  static void record(DataSource dataSource, String instance, NodeContext ctx, String what)
      throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
        "INSERT INTO t_executions (idem_key, run_id, node_id, attempt, instance, what, at_ms) "
            + "VALUES (?, ?, ?, ?, ?, ?, ?)")) {
      st.setString(1, ctx.idempotencyKey());
      st.setString(2, ctx.runId());
      st.setString(3, ctx.nodeId());
      st.setInt(4, ctx.attempt());
      st.setString(5, instance);
      st.setString(6, what);
      st.setLong(7, System.currentTimeMillis());
      st.executeUpdate();
    }
  }

  /** How many executions are recorded. */
  static int executions(DataSource dataSource) throws SQLException {
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(
            "SELECT COUNT(*) FROM t_executions WHERE what = '" + EXECUTED + "'")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  /** Every row, in no set order. */
  static List<Execution> all(DataSource dataSource) throws SQLException {
    List<Execution> rows = new ArrayList<>();
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT idem_key, run_id, node_id, attempt, instance, "
            + "what, at_ms FROM t_executions")) {
      while (rs.next()) {
        rows.add(new Execution(rs.getString(1), rs.getString(2), rs.getString(3), rs.getInt(4),
            rs.getString(5), rs.getString(6), rs.getLong(7)));
      }
    }
    return rows;
  }

  /** Lets the held node of {@code runId} go. */
  static void release(DataSource dataSource, String runId) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
        "INSERT INTO t_releases (run_id) VALUES (?)")) {
      st.setString(1, runId);
      st.executeUpdate();
    }
  }

  /** Whether the held node of {@code runId} was let go. */
  static boolean released(DataSource dataSource, String runId) throws SQLException {
    try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT 1 FROM t_releases WHERE run_id = ?")) {
      st.setString(1, runId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }
}
