package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;
import dev.dagflow.store.StoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * What every JDBC store of one database shares: the host's data source, the dialect, the table
 * names and the database's URL for messages. Connections are taken from the data source for each
 * operation and given back at its end; nothing else is held. Immutable and thread-safe.
 */
public final class JdbcContext {
  /** How many times {@link #transactionRetried} runs its work at most. */
  public static final int MAX_TRIES = 10;

  private final DataSource dataSource;
  private final Dialect dialect;
  private final Tables tables;
  private final String url;

  private JdbcContext(DataSource dataSource, Dialect dialect, Tables tables, String url) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.tables = tables;
    this.url = url;
  }

  /**
   * Connects once to learn the database's URL and, unless {@code dialect} is given, its dialect.
   *
   * @param dialect the dialect to use; {@code null} to detect it
   * @throws StoreException naming the URL (without password) if the database cannot be reached,
   *     or speaks no dialect known and none was given
   */
  public static JdbcContext open(DataSource dataSource, JdbcDialect dialect, Tables tables) {
    Objects.requireNonNull(dataSource, "dataSource");
    Objects.requireNonNull(tables, "tables");
    String described = JdbcUrls.describe(dataSource);
    try (Connection connection = dataSource.getConnection()) {
      DatabaseMetaData meta = connection.getMetaData();
      String url = meta.getURL() == null ? described : JdbcUrls.withoutPassword(meta.getURL());
      JdbcDialect kind = dialect;
      if (kind == null) {
        String product = meta.getDatabaseProductName();
        kind = Dialect.detect(product).orElseThrow(() -> new StoreException(
            "detect the dialect of " + url, "the database calls itself '" + product
                + "', which is none of H2, PostgreSQL, MariaDB and MySQL; if it speaks one of "
                + "them, name it with JdbcStores.builder(dataSource).dialect(...)"));
      }
      return new JdbcContext(dataSource, Dialect.of(kind), tables, url);
    } catch (SQLException e) {
      throw new StoreException("connect to " + described,
          "the database cannot be reached: " + e.getMessage(), e);
    }
  }

  /** A context with {@code dialect} and {@code tables}, for a URL already known. */
  public static JdbcContext of(DataSource dataSource, Dialect dialect, Tables tables,
      String url) {
    return new JdbcContext(Objects.requireNonNull(dataSource, "dataSource"),
        Objects.requireNonNull(dialect, "dialect"), Objects.requireNonNull(tables, "tables"),
        Objects.requireNonNull(url, "url"));
  }

  public DataSource dataSource() {
    return dataSource;
  }

  public Dialect dialect() {
    return dialect;
  }

  public Tables tables() {
    return tables;
  }

  /** The database's JDBC URL, without its password. */
  public String url() {
    return url;
  }

  /**
   * Runs {@code work} on a connection in auto-commit mode: each statement its own transaction.
   *
   * @param operation what is asked, for the message of a failure, e.g. {@code "save policy p"}
   * @throws StoreException naming the operation and URL if the database fails
   */
  public <T> T autoCommit(String operation, SqlWork<T> work) {
    try (Connection connection = connect(operation)) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      return work.run(connection);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /**
   * Runs {@code work} in one transaction, committed when it returns and rolled back when it
   * throws.
   *
   * @throws StoreException naming the operation and URL if the database fails
   */
  public <T> T transaction(String operation, SqlWork<T> work) {
    try (Connection connection = connect(operation)) {
      return inTransaction(connection, work);
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /**
   * Runs {@code work} in one transaction like {@link #transaction}, and again from the start
   * (up to {@value #MAX_TRIES} times in all) when it fails on a unique key or a deadlock or
   * serialization failure: what a concurrent writer of the same rows causes, and what the work
   * then finds done when it reads again.
   *
   * @throws StoreException naming the operation and URL if the database fails otherwise, or
   *     still after the last try
   */
  public <T> T transactionRetried(String operation, SqlWork<T> work) {
    for (int attempt = 1; ; attempt++) {
      try (Connection connection = connect(operation)) {
        return inTransaction(connection, work);
      } catch (SQLException e) {
        boolean conflict = dialect.isDuplicateKey(e) || dialect.isTransient(e);
        if (!conflict || attempt >= MAX_TRIES) {
          throw failure(operation, e);
        }
      }
    }
  }

  /**
   * {@code work} in one transaction at READ COMMITTED, the connection's own level restored
   * after it: statements that must see what others committed while this one waited for a lock.
   */
  public <T> T readCommitted(String operation, SqlWork<T> work) {
    try (Connection c = connect(operation)) {
      int level = c.getTransactionIsolation();
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        return inTransaction(c, work);
      } finally {
        c.setTransactionIsolation(level);
      }
    } catch (SQLException e) {
      throw failure(operation, e);
    }
  }

  /**
   * Runs {@code work} in one transaction on {@code connection}, committed when it returns and
   * rolled back when it throws; the connection is left in auto-commit mode.
   */
  public static <T> T inTransaction(Connection connection, SqlWork<T> work) throws SQLException {
    connection.setAutoCommit(false);
    T result;
    try {
      result = work.run(connection);
      connection.commit();
    } catch (SQLException | RuntimeException | Error e) {
      try {
        connection.rollback();
        connection.setAutoCommit(true);
      } catch (SQLException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    connection.setAutoCommit(true);
    return result;
  }

  /**
   * A connection of the data source.
   *
   * @throws StoreException naming the operation and URL if there is none to be had
   */
  public Connection connect(String operation) {
    try {
      return dataSource.getConnection();
    } catch (SQLException e) {
      throw new StoreException(operation, "cannot connect to " + url + ": " + e.getMessage(), e);
    }
  }

  /** The store's failure of {@code operation}, naming the URL. */
  public StoreException failure(String operation, SQLException e) {
    return new StoreException(operation, "the database at " + url + " failed: " + e.getMessage()
        + " (SQL state " + e.getSQLState() + ")", e);
  }

  @Override
  public String toString() {
    return "JdbcContext{" + dialect + ", " + url + ", prefix='" + tables.prefix() + "'}";
  }

  /** Work on a connection that may throw {@link SQLException}. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }
}
