package dev.dagflow.benchmarks;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * The databases {@link JdbcEngineBenchmark} runs on, and a fresh, empty place in one of them for
 * each measured invocation ({@link #newSpace()}): a file H2 database in a new temporary
 * directory, a new schema in the PostgreSQL database {@value #POSTGRESQL_DATABASE}, or a new
 * MariaDB database. Each space comes with its own HikariCP pool of {@value #POOL_SIZE}
 * connections, all opened before it is handed out, and is dropped when closed.
 *
 * <p>The servers are the ones the JDBC module's tests use, read from the same settings (a system
 * property, else an environment variable, else the default; JMH forks inherit only the
 * environment):
 *
 * <pre>
 * dagflow.test.postgresql.url   DAGFLOW_TEST_POSTGRESQL_URL
 *                               (jdbc:postgresql://127.0.0.1:5432/test)
 * dagflow.test.postgresql.user  DAGFLOW_TEST_POSTGRESQL_USER  (postgres)
 * dagflow.test.mariadb.url      DAGFLOW_TEST_MARIADB_URL
 *                               (jdbc:mariadb://127.0.0.1:3306/test)
 * dagflow.test.mariadb.user     DAGFLOW_TEST_MARIADB_USER     (root)
 * ...password                   ..._PASSWORD                  (empty)
 * </pre>
 *
 * <p>On PostgreSQL the URL names the administration database; the benchmark creates {@value
 * #POSTGRESQL_DATABASE} beside it and works only there, so that the commits of that database
 * are the benchmark's alone even while other programs use the server. Not thread-safe.
 */
public enum BenchDatabase {
  /** H2 2.x, file-based (MVStore), embedded in the benchmark's JVM. */
  H2("h2", null, null, null),
  /** PostgreSQL, commits counted from {@code pg_stat_database} (see {@link PgCommitCounter}). */
  POSTGRESQL("postgresql", "jdbc:postgresql://127.0.0.1:5432/test", "postgres", "connectTimeout=3"),
  /** MariaDB 10.6 or later (for {@code SKIP LOCKED}). */
  MARIADB("mariadb", "jdbc:mariadb://127.0.0.1:3306/test", "root", "connectTimeout=3000");

  /** The connections of every pool, the same for both peers. */
  static final int POOL_SIZE = 10;

  /** The PostgreSQL database the benchmark creates and works in. */
  static final String POSTGRESQL_DATABASE = "dagflow_bench";

  private final String key;
  private final String defaultUrl;
  private final String defaultUser;
  private final String timeout;

  BenchDatabase(String key, String defaultUrl, String defaultUser, String timeout) {
    this.key = key;
    this.defaultUrl = defaultUrl;
    this.defaultUser = defaultUser;
    this.timeout = timeout;
  }

  /** Whether the database runs without a server (H2) and so is always there. */
  boolean embedded() {
    return defaultUrl == null;
  }

  /** The configured URL of the server's administration database; H2 has none. */
  String url() {
    return setting("url", defaultUrl);
  }

  String user() {
    return setting("user", defaultUser);
  }

  String password() {
    return setting("password", "");
  }

  /** The name of the settings of {@code key}, e.g. {@code dagflow.test.mariadb.url}. */
  String propertyName(String key) {
    return "dagflow.test." + this.key + "." + key;
  }

  /** Why the server cannot be used: empty if it answers (always, for H2). */
  String problem() {
    if (embedded()) {
      return "";
    }
    try (Connection c = connectAdmin()) {
      return c.isValid(3) ? "" : "the connection is not valid";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }

  /** The resource holding db-scheduler's table for this database. */
  String dbSchedulerDdl() {
    return "/dev/dagflow/benchmarks/db-scheduler/" + key + ".sql";
  }

  /**
   * A new, empty place in this database with a full pool on it.
   *
   * @throws IllegalStateException naming the server if it cannot be reached
   */
  Space newSpace() {
    String name = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    try {
      return switch (this) {
        case H2 -> {
          Path directory = Files.createTempDirectory("dagflow-bench-h2-");
          yield new Space(this, name, pool(name, "jdbc:h2:file:" + directory.resolve("bench")),
              null, directory);
        }
        case POSTGRESQL -> {
          ensurePostgresDatabase();
          HikariDataSource pool = pool(name, withDatabase(POSTGRESQL_DATABASE)
              + (url().contains("?") ? "&" : "?") + "currentSchema=" + name);
          try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA " + name);
          }
          yield new Space(this, name, pool, new PgCommitCounter(this, pool), null);
        }
        case MARIADB -> {
          try (Connection c = connectAdmin(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name
                + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
          }
          yield new Space(this, name, pool(name, withDatabase(name)), null, null);
        }
      };
    } catch (SQLException e) {
      throw new IllegalStateException(this + " at " + url() + ": " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A new connection to the administration database named by {@link #url()}. */
  Connection connectAdmin() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user());
    properties.setProperty("password", password());
    String[] t = timeout.split("=");
    properties.setProperty(t[0], t[1]);
    return DriverManager.getConnection(url(), properties);
  }

  /** {@link #url()} with its database replaced by {@code database}. */
  String withDatabase(String database) {
    String url = url();
    int hosts = url.indexOf("//");
    int slash = url.indexOf('/', hosts + 2);
    if (hosts < 0 || slash < 0) {
      throw new IllegalArgumentException(propertyName("url") + " must name a database: " + url);
    }
    int end = url.indexOf('?', slash);
    return url.substring(0, slash + 1) + database + (end < 0 ? "" : url.substring(end));
  }

  private void ensurePostgresDatabase() throws SQLException {
    try (Connection c = connectAdmin(); Statement st = c.createStatement()) {
      boolean exists;
      try (var rs = st.executeQuery("SELECT 1 FROM pg_database WHERE datname = '"
          + POSTGRESQL_DATABASE + "'")) {
        exists = rs.next();
      }
      if (!exists) {
        try {
          st.execute("CREATE DATABASE " + POSTGRESQL_DATABASE);
        } catch (SQLException e) {
          if (!"42P04".equals(e.getSQLState())) { // created meanwhile by another run
            throw e;
          }
        }
      }
    }
  }

  private HikariDataSource pool(String name, String url) {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name);
    config.setJdbcUrl(url);
    if (!embedded()) {
      config.setUsername(user());
      config.setPassword(password());
    }
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(POOL_SIZE); // a fixed pool, as HikariCP recommends
    config.setConnectionTimeout(30_000);
    HikariDataSource pool = new HikariDataSource(config);
    Connection[] all = new Connection[POOL_SIZE];
    try {
      for (int i = 0; i < POOL_SIZE; i++) { // every connection open before the measurement
        all[i] = pool.getConnection();
      }
    } catch (SQLException e) {
      pool.close();
      throw new IllegalStateException(this + " at " + url + ": " + e.getMessage(), e);
    } finally {
      closeAll(all);
    }
    return pool;
  }

  static void closeAll(Connection[] connections) {
    for (Connection c : connections) {
      if (c != null) {
        try {
          c.close();
        } catch (SQLException e) {
          // a connection the pool gives back is not ours to report on
        }
      }
    }
  }

  private String setting(String key, String fallback) {
    String property = System.getProperty(propertyName(key));
    if (property != null) {
      return property;
    }
    String env = System.getenv(propertyName(key).toUpperCase(Locale.ROOT).replace('.', '_'));
    return env != null ? env : fallback;
  }

  /**
   * A fresh place for one invocation: its pool, and on PostgreSQL the commit counter of its
   * database. {@link #close()} drops it.
   */
  static final class Space implements AutoCloseable {
    private final BenchDatabase database;
    private final String name;
    private final HikariDataSource pool;
    private final PgCommitCounter commits;
    private final Path directory;

    private Space(BenchDatabase database, String name, HikariDataSource pool,
        PgCommitCounter commits, Path directory) {
      this.database = database;
      this.name = name;
      this.pool = pool;
      this.commits = commits;
      this.directory = directory;
    }

    BenchDatabase database() {
      return database;
    }

    HikariDataSource pool() {
      return pool;
    }

    /**
     * The transactions committed so far in the space's database, once every connection of the
     * pool has reported its own (PostgreSQL only); empty elsewhere.
     */
    OptionalLong commits() {
      return commits == null ? OptionalLong.empty() : OptionalLong.of(commits.settled());
    }

    /** How many commits a call of {@link #commits()} adds to the count itself. */
    long commitsOfACount() {
      return commits == null ? 0 : PgCommitCounter.COMMITS_PER_FLUSH;
    }

    /** Checks that the commit counter sees a known number of commits (PostgreSQL only). */
    void checkCommitCounter() {
      if (commits != null) {
        commits.check();
      }
    }

    @Override
    public void close() {
      try {
        switch (database) {
          case H2 -> {
            pool.close();
            deleteDirectory();
          }
          case POSTGRESQL -> {
            try (Connection c = pool.getConnection(); Statement st = c.createStatement()) {
              st.execute("DROP SCHEMA " + name + " CASCADE");
            } finally {
              commits.closeAndAwaitBackends();
            }
          }
          case MARIADB -> {
            pool.close();
            try (Connection c = database.connectAdmin(); Statement st = c.createStatement()) {
              st.execute("DROP DATABASE " + name);
            }
          }
        }
      } catch (SQLException e) {
        throw new IllegalStateException("cannot drop " + name + " on " + database, e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void deleteDirectory() throws IOException {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }

    @Override
    public String toString() {
      return database + " " + name;
    }
  }
}
