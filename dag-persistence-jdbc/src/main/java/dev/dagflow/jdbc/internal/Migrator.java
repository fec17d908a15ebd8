package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.SchemaVersionException;
import dev.dagflow.store.StoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in migrator: brings the dagflow tables of one database up to the newest schema
 * version this library knows. It records each version applied in {@code <prefix>schema_version}
 * (version, description, time installed on the database's clock) and applies every script above
 * the recorded version in order, each in a transaction where the database has transactional DDL
 * (PostgreSQL; on H2 and MariaDB DDL commits at once, so the scripts create only what does not
 * exist yet and an interrupted migration is finished by the next). It works under a database
 * lock, so that of several engines starting at once on an empty database one migrates and the
 * others wait and then find nothing to do. A database recorded at a version newer than the newest
 * known is used as it is if that version is readable by this one (its script was additive: see
 * {@link SchemaScript#readableFrom}), and refused otherwise. Stateless; thread-safe.
 */
public final class Migrator {
  /** Every script, by version, oldest first. */
  public static final List<SchemaScript> SCRIPTS = List.of(new SchemaScript(1, "dagflow", 1),
      new SchemaScript(2, "admissions_and_instances", 1),
      new SchemaScript(3, "idempotency_keys", 2),
      new SchemaScript(4, "attempt_queue_and_usage", 3), new SchemaScript(5, "schedules", 4));

  private static final Logger LOG = LoggerFactory.getLogger(Migrator.class);

  private Migrator() {}

  /** The newest schema version this library knows. */
  public static int newestVersion() {
    return SCRIPTS.get(SCRIPTS.size() - 1).version();
  }

  /**
   * Migrates the database of {@code context} to {@link #newestVersion()}.
   *
   * @return the versions applied now, oldest first; empty if it was up to date
   * @throws SchemaVersionException if the database is at a newer version
   * @throws StoreException naming the URL if the database fails
   */
  public static List<Integer> migrate(JdbcContext context) {
    return migrate(context, SCRIPTS);
  }

  /** {@link #migrate(JdbcContext)} knowing only {@code scripts}: as an older dagflow would. */
  static List<Integer> migrate(JdbcContext context, List<SchemaScript> scripts) {
    int newest = scripts.get(scripts.size() - 1).version();
    String operation = "migrate the dagflow schema at " + context.url();
    try (Connection connection = context.connect(operation)) {
      connection.setAutoCommit(true);
      try (Dialect.MigrationLock lock =
          context.dialect().lockMigrations(connection, context)) {
        try (Statement st = connection.createStatement()) {
          st.execute(context.dialect().versionTableDdl(context.tables()));
        }
        int found = recorded(connection, context);
        refuseUnreadable(context, connection, found, newest);
        List<Integer> applied = new ArrayList<>();
        for (SchemaScript script : scripts) {
          if (script.version() > found) {
            apply(connection, context, script);
            applied.add(script.version());
          }
        }
        if (!applied.isEmpty()) {
          LOG.info("Migrated the dagflow schema (prefix '{}') at {} from version {} to {}",
              context.tables().prefix(), context.url(), found, newest);
        }
        return List.copyOf(applied);
      }
    } catch (SQLException e) {
      throw context.failure(operation, e);
    }
  }

  /**
   * Checks, without changing anything, that the database of {@code context} can be used as it
   * is: when it has a version table, the version recorded must be the newest known. Without one
   * the schema is taken to be managed elsewhere (by Flyway, with the same scripts) and nothing is
   * checked.
   *
   * @throws SchemaVersionException if the recorded version is newer or older than the newest
   * @throws StoreException naming the URL if the database fails
   */
  public static void check(JdbcContext context) {
    check(context, newestVersion());
  }

  /** {@link #check(JdbcContext)} for a dagflow whose newest version is {@code newest}. */
  static void check(JdbcContext context, int newest) {
    OptionalInt found = recordedVersion(context);
    if (found.isEmpty()) {
      return;
    }
    context.autoCommit("read the dagflow schema version at " + context.url(), c -> {
      refuseUnreadable(context, c, found.getAsInt(), newest);
      return null;
    });
    if (found.getAsInt() < newest) {
      throw new SchemaVersionException(context.url(), found.getAsInt(), newest,
          "the database at " + context.url() + " holds the dagflow schema (prefix '"
              + context.tables().prefix() + "') at version " + found.getAsInt()
              + ", older than version " + newest + " which this dagflow needs: "
              + "migrate it (JdbcStores.builder(dataSource).migrate(true), or Flyway)");
    }
  }

  /**
   * The version recorded in the database of {@code context}: 0 when its version table is empty,
   * empty when it has none.
   */
  public static OptionalInt recordedVersion(JdbcContext context) {
    String operation = "read the dagflow schema version at " + context.url();
    return context.autoCommit(operation, connection -> hasVersionTable(connection, context)
        ? OptionalInt.of(recorded(connection, context))
        : OptionalInt.empty());
  }

  /**
   * Refuses a database at a version newer than {@code newest} unless that version is readable
   * by {@code newest} (recorded with it, from its script's {@link SchemaScript#readableFrom}).
   */
  private static void refuseUnreadable(JdbcContext context, Connection connection, int found,
      int newest) throws SQLException {
    if (found <= newest) {
      return;
    }
    int readableFrom = readableFrom(connection, context, found);
    if (readableFrom <= newest) {
      LOG.info("The dagflow schema (prefix '{}') at {} is at version {}, newer than version {}"
          + " that this dagflow knows, and readable by it: used as it is",
          context.tables().prefix(), context.url(), found, newest);
      return;
    }
    throw new SchemaVersionException(context.url(), found, newest,
        "the database at " + context.url() + " holds the dagflow schema (prefix '"
            + context.tables().prefix() + "') at version " + found + ", newer than version "
            + newest + ", the newest this dagflow knows, and readable only from version "
            + readableFrom + ": a later dagflow migrated it; run that one (or a later), or give "
            + "this one a database of its own");
  }

  private static int readableFrom(Connection connection, JdbcContext context, int version)
      throws SQLException {
    try (PreparedStatement st = connection.prepareStatement("SELECT readable_from FROM "
        + context.tables().name("schema_version") + " WHERE version = ?")) {
      st.setInt(1, version);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? rs.getInt(1) : version;
      }
    }
  }

  private static void apply(Connection connection, JdbcContext context, SchemaScript script)
      throws SQLException {
    List<String> statements = script.statements(context.dialect(), context.tables());
    JdbcContext.SqlWork<Void> work = c -> {
      try (Statement st = c.createStatement()) {
        for (String sql : statements) {
          try {
            st.execute(sql);
          } catch (SQLException e) {
            throw new SQLException("script " + script.resource(context.dialect())
                + " failed at: " + sql + ": " + e.getMessage(), e.getSQLState(),
                e.getErrorCode(), e);
          }
        }
      }
      try (PreparedStatement record = c.prepareStatement("INSERT INTO "
          + context.tables().name("schema_version")
          + " (version, description, installed_at, readable_from) VALUES (?, ?, "
          + context.dialect().nowMillis() + ", ?)")) {
        record.setInt(1, script.version());
        record.setString(2, script.description());
        record.setInt(3, script.readableFrom());
        record.executeUpdate();
      }
      return null;
    };
    if (context.dialect().transactionalDdl()) {
      JdbcContext.inTransaction(connection, work);
    } else {
      work.run(connection);
    }
  }

  private static int recorded(Connection connection, JdbcContext context) throws SQLException {
    try (Statement st = connection.createStatement();
        ResultSet rs = st.executeQuery("SELECT MAX(version) FROM "
            + context.tables().name("schema_version"))) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  private static boolean hasVersionTable(Connection connection, JdbcContext context)
      throws SQLException {
    DatabaseMetaData meta = connection.getMetaData();
    String name = context.tables().name("schema_version");
    if (meta.storesUpperCaseIdentifiers()) {
      name = name.toUpperCase(Locale.ROOT);
    } else if (meta.storesLowerCaseIdentifiers()) {
      name = name.toLowerCase(Locale.ROOT);
    }
    String schema = context.dialect().kind() == dev.dagflow.jdbc.JdbcDialect.MARIADB
        ? null : connection.getSchema();
    try (ResultSet rs = meta.getTables(connection.getCatalog(), schema,
        name.replace("_", meta.getSearchStringEscape() + "_"), new String[] {"TABLE"})) {
      return rs.next();
    }
  }
}
