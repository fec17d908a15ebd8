package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * What differs between the databases, database-wide: the folder of its schema scripts, the SQL
 * expression of the database's own clock, how errors are told apart, and how migrations are
 * locked. The statements of each store live with the store (one SQL holder per store), which
 * asks its dialect where they differ. One subclass per database; instances are immutable and
 * shared.
 */
public abstract class Dialect {

  Dialect() {}

  /** The dialect object of {@code dialect}. */
  public static Dialect of(JdbcDialect dialect) {
    return switch (dialect) {
      case H2 -> H2Dialect.INSTANCE;
      case POSTGRESQL -> PostgresDialect.INSTANCE;
      case MARIADB -> MariaDbDialect.INSTANCE;
    };
  }

  /**
   * The dialect of a database whose {@link java.sql.DatabaseMetaData#getDatabaseProductName()}
   * is {@code productName}; empty for a database none of them speaks.
   */
  public static Optional<JdbcDialect> detect(String productName) {
    String name = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
    if (name.startsWith("h2")) {
      return Optional.of(JdbcDialect.H2);
    }
    if (name.startsWith("postgresql")) {
      return Optional.of(JdbcDialect.POSTGRESQL);
    }
    if (name.startsWith("mariadb") || name.startsWith("mysql")) {
      return Optional.of(JdbcDialect.MARIADB);
    }
    return Optional.empty();
  }

  /** Which database this is. */
  public abstract JdbcDialect kind();

  /** The folder of this dialect's schema scripts under {@code dev/dagflow/jdbc/schema/}. */
  public abstract String folder();

  /**
   * An SQL expression of the database's own clock as BIGINT milliseconds since the epoch: what
   * leases are judged on, so that instances with skewed clocks agree.
   */
  public abstract String nowMillis();

  /** Whether DDL takes part in transactions (PostgreSQL), rather than committing at once. */
  public abstract boolean transactionalDdl();

  /** Whether {@code e} (or an exception it chains) is the breach of a unique or primary key. */
  public boolean isDuplicateKey(SQLException e) {
    return anyInChain(e, this::duplicateKey);
  }

  /** Whether {@code e} (or one it chains) is the breach of a foreign key. */
  public boolean isForeignKeyViolation(SQLException e) {
    return anyInChain(e, this::foreignKeyViolation);
  }

  /**
   * Whether {@code e} (or one it chains) is a deadlock or serialization failure, after which
   * the transaction may be run again: SQL state class 40 on every database here.
   */
  public boolean isTransient(SQLException e) {
    return anyInChain(e, s -> s.getSQLState() != null && s.getSQLState().startsWith("40"));
  }

  abstract boolean duplicateKey(SQLException e);

  abstract boolean foreignKeyViolation(SQLException e);

  /** The DDL of the table the migrator records applied versions in. */
  String versionTableDdl(Tables tables) {
    return "CREATE TABLE IF NOT EXISTS " + tables.name("schema_version") + " ("
        + "version INTEGER NOT NULL PRIMARY KEY, description VARCHAR(200) NOT NULL, "
        + "installed_at BIGINT NOT NULL, readable_from INTEGER NOT NULL)";
  }

  /**
   * Takes the lock under which one migrator at a time migrates the tables of {@code tables} in
   * the database of {@code connection}, waiting for another migrator to finish.
   *
   * @param connection the connection the migrator works on, in auto-commit mode
   */
  abstract MigrationLock lockMigrations(Connection connection, JdbcContext context)
      throws SQLException;

  private static boolean anyInChain(SQLException e, java.util.function.Predicate<SQLException> p) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException next = s; next != null; next = next.getNextException()) {
          if (p.test(next)) {
            return true;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return kind().name();
  }

  /** A held migration lock; closing it releases it. */
  interface MigrationLock extends AutoCloseable {
    @Override
    void close() throws SQLException;
  }
}
