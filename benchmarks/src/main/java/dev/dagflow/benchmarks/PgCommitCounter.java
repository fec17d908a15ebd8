package dev.dagflow.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Set;

/**
 * The transactions committed in the PostgreSQL database of one pool, from {@code
 * pg_stat_database.xact_commit}: every commit counts, reads and the pool's own validation
 * queries included.
 *
 * <p>PostgreSQL updates that view asynchronously: a backend keeps its counts to itself and
 * reports them when it is idle, at most once a second, else after up to 10 s (PostgreSQL 15).
 * So {@link #settled()} first borrows every connection of the pool at once and runs {@link
 * #FLUSH} on each, which makes each backend report all it has before the statement returns
 * ({@code pg_stat_force_next_flush()} alone is not enough: a backend without table statistics
 * pending does not report its transaction counts, so the statement also reads a small catalog);
 * only then does it read the view, on a connection of its own to the administration database
 * (whose commits are not counted here). That makes
 * {@value #COMMITS_PER_FLUSH} commits of its own, which the caller subtracts; HikariCP may add
 * one validation query per connection idle for more than 500 ms, so a count may be up to {@value
 * BenchDatabase#POOL_SIZE} too high. {@link #check()} verifies the whole mechanism on a known
 * number of commits. Needs PostgreSQL 15 or later. Not thread-safe.
 */
final class PgCommitCounter {
  /** The commits one {@link #settled()} adds: one statement on every connection. */
  static final int COMMITS_PER_FLUSH = BenchDatabase.POOL_SIZE;

  /** The statement that makes a backend report its statistics, and returns its process id. */
  static final String FLUSH = "SELECT pg_backend_pid(), (SELECT count(*) FROM pg_namespace),"
      + " pg_stat_force_next_flush()";

  private static final int CHECK_COMMITS = 5;
  private static final long BACKEND_EXIT_TIMEOUT_MS = 10_000;

  private final BenchDatabase database;
  private final HikariDataSource pool;
  private final Set<Integer> backends = new HashSet<>();

  PgCommitCounter(BenchDatabase database, HikariDataSource pool) {
    this.database = database;
    this.pool = pool;
  }

  /** The commits of the database once every backend of the pool has reported its own. */
  long settled() {
    flush();
    return read();
  }

  /**
   * Fails unless {@link #settled()} sees exactly the commits made between two calls (plus its
   * own, and the validations HikariCP may add): the counts are fresh, not late.
   *
   * @throws IllegalStateException if they are not
   */
  void check() {
    long before = settled();
    try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
      for (int i = 0; i < CHECK_COMMITS; i++) {
        st.execute("SELECT 1");
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot run the commit counter's check", e);
    }
    long seen = settled() - before - COMMITS_PER_FLUSH;
    // the first borrow after a pause may add one validation query per connection
    if (seen < CHECK_COMMITS || seen > CHECK_COMMITS + 1 + BenchDatabase.POOL_SIZE) {
      throw new IllegalStateException("pg_stat_database counted " + seen + " commits for "
          + CHECK_COMMITS + " autocommitted statements: the statistics are not up to date");
    }
  }

  /**
   * Closes the pool and waits until its backends have ended (and so reported their counts):
   * {@code pg_terminate_backend(pid, timeout)} waits on the server for each to end, and false
   * for one that has already gone.
   */
  void closeAndAwaitBackends() throws SQLException {
    pool.close();
    try (Connection c = database.connectAdmin()) {
      try (PreparedStatement wait = c.prepareStatement(
          "SELECT pg_terminate_backend(pid, ?) FROM unnest(?::int[]) AS pid")) {
        wait.setLong(1, BACKEND_EXIT_TIMEOUT_MS);
        wait.setArray(2, c.createArrayOf("integer", backends.toArray()));
        wait.executeQuery().close();
      }
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_stat_clear_snapshot()");
      }
      try (PreparedStatement alive = c.prepareStatement(
          "SELECT count(*) FROM pg_stat_activity WHERE pid = ANY (?)")) {
        alive.setArray(1, c.createArrayOf("integer", backends.toArray()));
        try (ResultSet rs = alive.executeQuery()) {
          rs.next();
          if (rs.getLong(1) != 0) {
            throw new IllegalStateException("the backends " + backends + " of pool "
                + pool.getPoolName() + " have not ended after " + BACKEND_EXIT_TIMEOUT_MS
                + " ms");
          }
        }
      }
    }
  }

  private void flush() {
    Connection[] all = new Connection[BenchDatabase.POOL_SIZE];
    try {
      for (int i = 0; i < all.length; i++) {
        all[i] = pool.getConnection(); // holding the others, so each is another backend
        try (Statement st = all[i].createStatement();
            ResultSet rs = st.executeQuery(FLUSH)) {
          rs.next();
          backends.add(rs.getInt(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot flush the statistics of pool "
          + pool.getPoolName(), e);
    } finally {
      BenchDatabase.closeAll(all);
    }
  }

  private long read() {
    try (Connection c = database.connectAdmin(); Statement st = c.createStatement()) {
      st.execute("SELECT pg_stat_clear_snapshot()");
      try (ResultSet rs = st.executeQuery("SELECT xact_commit FROM pg_stat_database"
          + " WHERE datname = '" + BenchDatabase.POSTGRESQL_DATABASE + "'")) {
        if (!rs.next()) {
          throw new IllegalStateException("pg_stat_database has no row for "
              + BenchDatabase.POSTGRESQL_DATABASE);
        }
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read pg_stat_database", e);
    }
  }
}
