package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * H2 2.x: DDL commits the transaction it runs in, so the migration lock is a row lock held by a
 * connection of its own while the migrator works on another.
 */
final class H2Dialect extends Dialect {
  static final H2Dialect INSTANCE = new H2Dialect();

  /** How long a migrator waits for another one to finish. */
  private static final Duration LOCK_WAIT = Duration.ofMinutes(5);

  private H2Dialect() {}

  @Override
  public JdbcDialect kind() {
    return JdbcDialect.H2;
  }

  @Override
  public String folder() {
    return "h2";
  }

  @Override
  public String nowMillis() {
    return "CAST(EXTRACT(EPOCH FROM CURRENT_TIMESTAMP(3)) * 1000 AS BIGINT)";
  }

  @Override
  public boolean transactionalDdl() {
    return false;
  }

  @Override
  boolean duplicateKey(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  @Override
  boolean foreignKeyViolation(SQLException e) {
    return "23506".equals(e.getSQLState()) || "23503".equals(e.getSQLState());
  }

  @Override
  MigrationLock lockMigrations(Connection connection, JdbcContext context) throws SQLException {
    String table = context.tables().name("migration_lock");
    Connection holder = context.dataSource().getConnection();
    try {
      holder.setAutoCommit(true);
      createLockRow(holder, table);
      holder.setAutoCommit(false);
      long deadline = System.nanoTime() + LOCK_WAIT.toNanos();
      while (true) {
        try (Statement lock = holder.createStatement()) {
          lock.executeQuery("SELECT id FROM " + table + " WHERE id = 1 FOR UPDATE").close();
          break;
        } catch (SQLException e) {
          // H2 gives up on a lock after its LOCK_TIMEOUT (HYT00): the other migrator is still
          // at work, so wait on, up to our own limit
          if (!"HYT00".equals(e.getSQLState()) || System.nanoTime() > deadline) {
            throw e;
          }
        }
      }
    } catch (SQLException | RuntimeException e) {
      try {
        holder.close();
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    return () -> {
      try (holder) {
        holder.rollback();
        holder.setAutoCommit(true);
      }
    };
  }

  /** Creates the lock table and its one row, racing other migrators that do the same. */
  private static void createLockRow(Connection holder, String table) throws SQLException {
    for (int tries = 1; ; tries++) {
      try (Statement st = holder.createStatement()) {
        st.execute("CREATE TABLE IF NOT EXISTS " + table + " (id INTEGER NOT NULL PRIMARY KEY)");
        st.executeUpdate("MERGE INTO " + table + " (id) KEY (id) VALUES (1)");
        return;
      } catch (SQLException e) {
        if (tries >= 5) {
          throw e;
        }
        // another migrator created the table or the row between our check and our write
      }
    }
  }
}
