package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** MariaDB (and MySQL): DDL commits at once, {@code GET_LOCK} for migrations. */
final class MariaDbDialect extends Dialect {
  static final MariaDbDialect INSTANCE = new MariaDbDialect();

  /** How long a migrator waits for another one to finish, in seconds. */
  private static final int LOCK_WAIT_SECONDS = 300;

  private MariaDbDialect() {}

  @Override
  public JdbcDialect kind() {
    return JdbcDialect.MARIADB;
  }

  @Override
  public String folder() {
    return "mariadb";
  }

  @Override
  public String nowMillis() {
    // the statement's start (UNIX_TIMESTAMP() and NOW() both read it: safe for statement
    // replication), as seconds since the epoch without an argument to convert, so that no
    // session time zone with summer time makes an hour of the clock ambiguous; the
    // milliseconds from NOW(6), whose fraction no time zone changes
    return "CAST(UNIX_TIMESTAMP() * 1000 + FLOOR(MICROSECOND(NOW(6)) / 1000) AS SIGNED)";
  }

  @Override
  public boolean transactionalDdl() {
    return false;
  }

  @Override
  boolean duplicateKey(SQLException e) {
    return e.getErrorCode() == 1062;
  }

  @Override
  boolean foreignKeyViolation(SQLException e) {
    return e.getErrorCode() == 1452 || e.getErrorCode() == 1451;
  }

  @Override
  String versionTableDdl(Tables tables) {
    return super.versionTableDdl(tables)
        + " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_nopad_bin";
  }

  /**
   * A named lock of the server, held by the session; its name is hashed from the database and
   * the prefix, since the server's lock names are shared by all its databases and at most 64
   * characters long.
   */
  @Override
  MigrationLock lockMigrations(Connection connection, JdbcContext context) throws SQLException {
    String name = "CONCAT('dagflow-migrate:', MD5(CONCAT(DATABASE(), '/', ?)))";
    try (PreparedStatement lock =
        connection.prepareStatement("SELECT GET_LOCK(" + name + ", ?)")) {
      lock.setString(1, context.tables().prefix());
      lock.setInt(2, LOCK_WAIT_SECONDS);
      try (ResultSet rs = lock.executeQuery()) {
        if (!rs.next() || rs.getInt(1) != 1) {
          throw new SQLException("another migrator held the migration lock for more than "
              + LOCK_WAIT_SECONDS + " s");
        }
      }
    }
    return () -> {
      try (PreparedStatement unlock =
          connection.prepareStatement("SELECT RELEASE_LOCK(" + name + ")")) {
        unlock.setString(1, context.tables().prefix());
        unlock.execute();
      }
    };
  }
}
