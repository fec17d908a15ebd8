package dev.dagflow.jdbc.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A database server the tests use, where to find it and whether it answers. Each setting is read
 * from a system property, else an environment variable, else the default:
 *
 * <pre>
 * dagflow.test.postgresql.url       DAGFLOW_TEST_POSTGRESQL_URL
 *                                   (jdbc:postgresql://127.0.0.1:5432/test)
 * dagflow.test.postgresql.user      DAGFLOW_TEST_POSTGRESQL_USER      (postgres)
 * dagflow.test.postgresql.password  DAGFLOW_TEST_POSTGRESQL_PASSWORD  (empty)
 * dagflow.test.mariadb.url          DAGFLOW_TEST_MARIADB_URL
 *                                   (jdbc:mariadb://127.0.0.1:3306/test)
 * dagflow.test.mariadb.user         DAGFLOW_TEST_MARIADB_USER         (root)
 * dagflow.test.mariadb.password     DAGFLOW_TEST_MARIADB_PASSWORD     (empty)
 * </pre>
 *
 * <p>The user must be allowed to create and drop schemas (PostgreSQL) or databases (MariaDB):
 * each test class works in one of its own.
 */
public enum DatabaseServer {
  POSTGRESQL("jdbc:postgresql://127.0.0.1:5432/test", "postgres", "connectTimeout", "3"),
  MARIADB("jdbc:mariadb://127.0.0.1:3306/test", "root", "connectTimeout", "3000");

  private static final ConcurrentMap<DatabaseServer, String> PROBLEMS = new ConcurrentHashMap<>();

  private final String defaultUrl;
  private final String defaultUser;
  private final String timeoutProperty;
  private final String timeout;

  DatabaseServer(String defaultUrl, String defaultUser, String timeoutProperty,
      String timeout) {
    this.defaultUrl = defaultUrl;
    this.defaultUser = defaultUser;
    this.timeoutProperty = timeoutProperty;
    this.timeout = timeout;
  }

  public String url() {
    return setting("url", defaultUrl);
  }

  public String user() {
    return setting("user", defaultUser);
  }

  public String password() {
    return setting("password", "");
  }

  /** A new connection to the server's configured database, for creating schemas in it. */
  public Connection connect() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user());
    properties.setProperty("password", password());
    properties.setProperty(timeoutProperty, timeout);
    return DriverManager.getConnection(url(), properties);
  }

  /**
   * Why the server cannot be used, once asked per server and JVM: empty if it answers.
   */
  public String problem() {
    return PROBLEMS.computeIfAbsent(this, server -> {
      try (Connection c = server.connect()) {
        return c.isValid(3) ? "" : "the connection is not valid";
      } catch (SQLException e) {
        return e.getMessage();
      }
    });
  }

  /** The names of the system property and environment variable of {@code key}. */
  public String propertyName(String key) {
    return "dagflow.test." + name().toLowerCase(Locale.ROOT) + "." + key;
  }

  private String setting(String key, String fallback) {
    String property = System.getProperty(propertyName(key));
    if (property != null) {
      return property;
    }
    String env = System.getenv(propertyName(key).toUpperCase(Locale.ROOT).replace('.', '_'));
    return env != null ? env : fallback;
  }
}
