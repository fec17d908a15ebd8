package dev.dagflow.jdbc.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.jdbc.JdbcDialect;
import dev.dagflow.jdbc.internal.Dialect;
import dev.dagflow.jdbc.internal.JdbcContext;
import dev.dagflow.jdbc.internal.Migrator;
import dev.dagflow.jdbc.internal.Tables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One database of its own for a test class: a fresh in-memory or file H2 database, a fresh
 * PostgreSQL schema or a fresh MariaDB database, made before the class's first test and dropped
 * after its last, with a HikariCP pool of {@value #POOL_SIZE} on it. Register it on a static
 * field:
 *
 * <pre>{@code
 * @RegisterExtension static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.MARIADB);
 * }</pre>
 *
 * <p>By default the schema is migrated with the default table prefix before the first test and
 * {@link #clear()} empties every table between tests (far faster than DDL, on MariaDB most of
 * all). When a server does not answer the class is skipped with the reason, unless the
 * environment sets {@code CI=true}: then it fails. H2 needs no server and always runs. See
 * {@link DatabaseServer} for pointing the tests at other servers.
 */
public final class TestDatabase implements BeforeAllCallback, AfterAllCallback {
  /** The connections of each pool. */
  public static final int POOL_SIZE = 4;

  /** The databases the tests run on. */
  public enum Kind {
    H2_MEMORY(JdbcDialect.H2, null),
    H2_FILE(JdbcDialect.H2, null),
    POSTGRESQL(JdbcDialect.POSTGRESQL, DatabaseServer.POSTGRESQL),
    MARIADB(JdbcDialect.MARIADB, DatabaseServer.MARIADB);

    private final JdbcDialect dialect;
    private final DatabaseServer server;

    Kind(JdbcDialect dialect, DatabaseServer server) {
      this.dialect = dialect;
      this.server = server;
    }

    public JdbcDialect dialect() {
      return dialect;
    }
  }

  private final Kind kind;
  private final boolean migrated;
  private final List<HikariDataSource> pools = new ArrayList<>();
  private String name;
  private Path directory;
  private HikariDataSource dataSource;
  private JdbcContext context;
  private List<String> deleteOrder = List.of();
  private int openClasses;

  private TestDatabase(Kind kind, boolean migrated) {
    this.kind = kind;
    this.migrated = migrated;
  }

  /** A database of {@code kind}, migrated before the first test. */
  public static TestDatabase of(Kind kind) {
    return new TestDatabase(kind, true);
  }

  /** A database of {@code kind} left empty: the tests migrate it themselves. */
  public static TestDatabase empty(Kind kind) {
    return new TestDatabase(kind, false);
  }

  public Kind kind() {
    return kind;
  }

  /** The pool on the class's database. */
  public DataSource dataSource() {
    return dataSource;
  }

  /** The context of the stores on {@link #dataSource()} with the default table prefix. */
  public JdbcContext context() {
    return context;
  }

  /** A context on {@link #dataSource()} with tables prefixed {@code prefix}. */
  public JdbcContext context(String prefix) {
    return JdbcContext.of(dataSource, Dialect.of(kind.dialect), Tables.withPrefix(prefix),
        context.url());
  }

  /**
   * How another JVM reaches the class's database: the pool's URL, user and password, and the
   * schema (PostgreSQL) or database (MariaDB) of the class.
   */
  public DatabaseSettings settings() {
    return new DatabaseSettings(dataSource.getJdbcUrl(),
        dataSource.getUsername() == null ? "" : dataSource.getUsername(),
        dataSource.getPassword() == null ? "" : dataSource.getPassword(),
        dataSource.getSchema() == null ? "" : dataSource.getSchema(),
        dataSource.getCatalog() == null ? "" : dataSource.getCatalog());
  }

  /** Another pool on the class's database, closed after the class's last test. */
  public DataSource newDataSource() {
    HikariDataSource pool = pool();
    pools.add(pool);
    return pool;
  }

  /** Deletes every row of every table of the class's database but the schema version. */
  public void clear() {
    try (Connection c = dataSource.getConnection()) {
      JdbcContext.inTransaction(c, connection -> {
        try (Statement st = connection.createStatement()) {
          for (String table : deleteOrder) {
            st.executeUpdate("DELETE FROM " + table);
          }
        }
        return null;
      });
    } catch (SQLException e) {
      throw new IllegalStateException("cannot clear the test database " + name, e);
    }
  }

  /** The names of the tables of the class's database, as the database reports them. */
  public List<String> tables() {
    try (Connection c = dataSource.getConnection()) {
      return List.copyOf(tableNames(c));
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void beforeAll(ExtensionContext extension) throws Exception {
    // @Nested classes inherit the extension: only the outermost class opens and closes
    if (openClasses++ > 0) {
      return;
    }
    if (kind.server != null) {
      String problem = kind.server.problem();
      if (!problem.isEmpty()) {
        String message = kind + " at " + kind.server.url() + " does not answer (" + problem
            + "); point the tests at a server with -D" + kind.server.propertyName("url")
            + "=... (see README.md)";
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
          throw new IllegalStateException(message + "; CI=true, so this fails the build");
        }
        Assumptions.abort(message);
      }
    }
    name = "dagflow_t" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    create();
    dataSource = pool();
    JdbcContext detected = JdbcContext.open(dataSource, null, Tables.withPrefix(
        Tables.DEFAULT_PREFIX));
    context = detected;
    if (migrated) {
      Migrator.migrate(context);
      try (Connection c = dataSource.getConnection()) {
        deleteOrder = deleteOrder(c);
      }
    }
  }

  @Override
  public void afterAll(ExtensionContext extension) throws Exception {
    if (--openClasses > 0) {
      return;
    }
    for (HikariDataSource pool : pools) {
      pool.close();
    }
    if (dataSource == null) {
      return;
    }
    switch (kind) {
      case H2_MEMORY -> {
        dataSource.close();
        // the database outlives its connections (DB_CLOSE_DELAY=-1) until shut down
        Connection c = DriverManager.getConnection(dataSource.getJdbcUrl());
        try (Statement st = c.createStatement()) {
          st.execute("SHUTDOWN");
        } finally {
          c.close();
        }
      }
      case H2_FILE -> {
        dataSource.close();
        deleteDirectory();
      }
      case POSTGRESQL, MARIADB -> {
        dataSource.close();
        try (Connection c = kind.server.connect(); Statement st = c.createStatement()) {
          st.execute(kind == Kind.POSTGRESQL ? "DROP SCHEMA " + name + " CASCADE"
              : "DROP DATABASE " + name);
        }
      }
    }
  }

  private void create() throws SQLException, IOException {
    switch (kind) {
      case H2_MEMORY -> { }
      case H2_FILE -> directory = Files.createTempDirectory("dagflow-h2-");
      case POSTGRESQL -> {
        try (Connection c = kind.server.connect(); Statement st = c.createStatement()) {
          st.execute("CREATE SCHEMA " + name);
        }
      }
      case MARIADB -> {
        try (Connection c = kind.server.connect(); Statement st = c.createStatement()) {
          st.execute("CREATE DATABASE " + name
              + " CHARACTER SET utf8mb4 COLLATE utf8mb4_nopad_bin");
        }
      }
    }
  }

  private HikariDataSource pool() {
    HikariConfig config = new HikariConfig();
    config.setPoolName(name + "-" + (pools.size() + 1));
    config.setMaximumPoolSize(POOL_SIZE);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    switch (kind) {
      case H2_MEMORY -> config.setJdbcUrl("jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1");
      case H2_FILE -> config.setJdbcUrl("jdbc:h2:file:" + directory.resolve("dagflow"));
      case POSTGRESQL, MARIADB -> {
        config.setJdbcUrl(kind.server.url());
        config.setUsername(kind.server.user());
        config.setPassword(kind.server.password());
        if (kind == Kind.POSTGRESQL) {
          config.setSchema(name);
        } else {
          config.setCatalog(name);
        }
      }
    }
    return new HikariDataSource(config);
  }

  /** The tables, children (tables with foreign keys) before the tables they refer to. */
  private List<String> deleteOrder(Connection c) throws SQLException {
    DatabaseMetaData meta = c.getMetaData();
    Map<String, Set<String>> parents = new LinkedHashMap<>();
    for (String table : tableNames(c)) {
      String lower = table.toLowerCase(Locale.ROOT);
      if (lower.endsWith("schema_version") || lower.endsWith("migration_lock")) {
        continue;
      }
      Set<String> refs = new LinkedHashSet<>();
      try (ResultSet rs = meta.getImportedKeys(c.getCatalog(), schema(c), table)) {
        while (rs.next()) {
          refs.add(rs.getString("PKTABLE_NAME"));
        }
      }
      refs.remove(table);
      parents.put(table, refs);
    }
    List<String> order = new ArrayList<>();
    Set<String> placed = new LinkedHashSet<>();
    while (placed.size() < parents.size()) {
      boolean progress = false;
      for (String table : parents.keySet()) {
        // a table goes after every table that refers to it
        boolean referenced = parents.entrySet().stream().anyMatch(e -> !placed.contains(e.getKey())
            && !e.getKey().equals(table) && e.getValue().contains(table));
        if (!placed.contains(table) && !referenced) {
          placed.add(table);
          order.add(table);
          progress = true;
        }
      }
      if (!progress) {
        throw new IllegalStateException("foreign keys form a cycle among " + parents);
      }
    }
    return List.copyOf(order);
  }

  private List<String> tableNames(Connection c) throws SQLException {
    List<String> names = new ArrayList<>();
    try (ResultSet rs = c.getMetaData().getTables(c.getCatalog(), schema(c), "%",
        new String[] {"TABLE"})) {
      while (rs.next()) {
        names.add(rs.getString("TABLE_NAME"));
      }
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  private String schema(Connection c) throws SQLException {
    return kind == Kind.MARIADB ? null : c.getSchema();
  }

  private void deleteDirectory() throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> {
        try {
          Files.delete(path);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
  }

  @Override
  public String toString() {
    return kind + (name == null ? "" : " " + name);
  }
}
