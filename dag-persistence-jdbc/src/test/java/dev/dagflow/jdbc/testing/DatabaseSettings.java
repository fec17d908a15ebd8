package dev.dagflow.jdbc.testing;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How to reach one test database from another JVM: its JDBC URL, user and password, and the
 * PostgreSQL schema or MariaDB database the test class works in (empty when there is none). Turned
 * into the arguments of a child JVM and read back there. Immutable.
 */
public record DatabaseSettings(String url, String user, String password, String schema,
    String catalog) {
  private static final List<String> KEYS = List.of("url", "user", "password", "schema",
      "catalog");

  public DatabaseSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(password, "password");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(catalog, "catalog");
  }

  /** A database reached by URL alone (H2). */
  public static DatabaseSettings of(String url) {
    return new DatabaseSettings(url, "", "", "", "");
  }

  /** These settings as {@code db.<key>=<value>} arguments. */
  public List<String> arguments() {
    List<String> args = new ArrayList<>();
    List<String> values = List.of(url, user, password, schema, catalog);
    for (int i = 0; i < KEYS.size(); i++) {
      args.add("db." + KEYS.get(i) + "=" + values.get(i));
    }
    return args;
  }

  /** The settings in {@code args}, as {@link #arguments()} wrote them; others are ignored. */
  public static DatabaseSettings fromArguments(String[] args) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (arg.startsWith("db.") && eq > 0) {
        values.put(arg.substring(3, eq), arg.substring(eq + 1));
      }
    }
    for (String key : KEYS) {
      if (!values.containsKey(key)) {
        throw new IllegalArgumentException("missing argument db." + key + " in "
            + List.of(args));
      }
    }
    return new DatabaseSettings(values.get("url"), values.get("user"), values.get("password"),
        values.get("schema"), values.get("catalog"));
  }

  /**
   * A new HikariCP pool of {@code size} connections on the database; on PostgreSQL its
   * connections carry {@code name} as their application name (in {@code pg_stat_activity}).
   */
  public HikariDataSource pool(String name, int size) {
    HikariConfig config = new HikariConfig();
    if (url.startsWith("jdbc:postgresql:")) {
      config.addDataSourceProperty("ApplicationName", name);
    }
    config.setPoolName(name);
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(10_000);
    if (!user.isEmpty()) {
      config.setUsername(user);
      config.setPassword(password);
    }
    if (!schema.isEmpty()) {
      config.setSchema(schema);
    }
    if (!catalog.isEmpty()) {
      config.setCatalog(catalog);
    }
    return new HikariDataSource(config);
  }

  @Override
  public String toString() {
    return url + (schema.isEmpty() ? "" : " schema " + schema)
        + (catalog.isEmpty() ? "" : " database " + catalog);
  }
}
