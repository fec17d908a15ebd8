package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/** PostgreSQL: transactional DDL, advisory locks, {@code clock_timestamp()}. */
final class PostgresDialect extends Dialect {
  static final PostgresDialect INSTANCE = new PostgresDialect();

  private PostgresDialect() {}

  @Override
  public JdbcDialect kind() {
    return JdbcDialect.POSTGRESQL;
  }

  @Override
  public String folder() {
    return "postgresql";
  }

  @Override
  public String nowMillis() {
    // clock_timestamp(), not now(): the time of the statement, not of the transaction's start
    return "CAST(FLOOR(EXTRACT(EPOCH FROM clock_timestamp()) * 1000) AS BIGINT)";
  }

  @Override
  public boolean transactionalDdl() {
    return true;
  }

  @Override
  boolean duplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  @Override
  boolean foreignKeyViolation(SQLException e) {
    return "23503".equals(e.getSQLState());
  }

  /**
   * A session advisory lock, keyed by schema and prefix (advisory locks are per database, and
   * one database may hold several dagflow schemas): the migrator commits each script on its own,
   * so a transaction-scoped lock would end with the first.
   */
  @Override
  MigrationLock lockMigrations(Connection connection, JdbcContext context) throws SQLException {
    long key = lockKey(connection.getSchema() + "/" + context.tables().prefix());
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_lock(?)")) {
      lock.setLong(1, key);
      lock.execute();
    }
    return () -> {
      try (PreparedStatement unlock =
          connection.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        unlock.setLong(1, key);
        unlock.execute();
      }
    };
  }

  private static long lockKey(String name) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256")
          .digest(("dagflow-migrate:" + name).getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < Long.BYTES; i++) {
        key = (key << 8) | (hash[i] & 0xff);
      }
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
