package dev.dagflow.jdbc;

import dev.dagflow.jdbc.internal.JdbcContext;
import dev.dagflow.jdbc.internal.JdbcLogStore;
import dev.dagflow.jdbc.internal.JdbcPolicyStore;
import dev.dagflow.jdbc.internal.JdbcRunStore;
import dev.dagflow.jdbc.internal.JdbcTemplateStore;
import dev.dagflow.jdbc.internal.JdbcScheduleStore;
import dev.dagflow.jdbc.internal.JdbcTriggerStore;
import dev.dagflow.jdbc.internal.Migrator;
import dev.dagflow.jdbc.internal.Tables;
import dev.dagflow.store.StoreException;
import dev.dagflow.store.Stores;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * The entry point of the JDBC stores: every dagflow store over one database, reached through the
 * host's {@link DataSource} (a pool such as HikariCP). The library never opens connections of
 * its own: it borrows one from the data source for each operation and gives it back at once,
 * and sets nothing global.
 *
 * <pre>{@code
 * Stores stores = JdbcStores.create(dataSource);          // detect the dialect, migrate
 * Stores stores = JdbcStores.builder(dataSource)
 *     .tablePrefix("wf_")                                 // default "dagflow_"
 *     .migrate(false)                                     // the host runs Flyway
 *     .build();
 * }</pre>
 *
 * <p>Thread-safe: the stores may be shared by every thread and engine of the JVM, and by engines
 * of other JVMs on the same database.
 */
public final class JdbcStores {
  private JdbcStores() {}

  /**
   * The stores of the database of {@code dataSource} with the default options: the dialect
   * detected, tables prefixed {@code dagflow_}, the schema migrated to the newest version.
   *
   * @throws NullPointerException if {@code dataSource} is {@code null}
   * @throws SchemaVersionException if the database holds a newer schema than this dagflow knows
   * @throws StoreException naming the URL (without password) if the database cannot be reached
   */
  public static Stores create(DataSource dataSource) {
    return builder(dataSource).build();
  }

  /**
   * A builder of the stores of the database of {@code dataSource}.
   *
   * @throws NullPointerException if {@code dataSource} is {@code null}
   */
  public static Builder builder(DataSource dataSource) {
    return new Builder(Objects.requireNonNull(dataSource, "dataSource"));
  }

  /**
   * Options of the JDBC stores; each may be set once. Not thread-safe; {@link #build()} shares
   * nothing with the builder.
   */
  public static final class Builder {
    private final DataSource dataSource;
    private String tablePrefix;
    private JdbcDialect dialect;
    private Boolean migrate;

    private Builder(DataSource dataSource) {
      this.dataSource = dataSource;
    }

    /**
     * The prefix of every table (and index) name, so that the tables can share a schema with
     * the host's: empty, or a letter followed by letters, digits and underscores, at most 20
     * characters. Default {@code dagflow_}.
     *
     * @throws NullPointerException naming {@code tablePrefix} if it is {@code null}
     * @throws IllegalArgumentException naming {@code tablePrefix} if it breaks the rule
     * @throws IllegalStateException if it was set already
     */
    public Builder tablePrefix(String tablePrefix) {
      requireUnset(this.tablePrefix, "tablePrefix");
      this.tablePrefix = Tables.checkPrefix(tablePrefix);
      return this;
    }

    /**
     * The database's dialect, instead of the one detected from its product name.
     *
     * @throws NullPointerException if {@code dialect} is {@code null}
     * @throws IllegalStateException if it was set already
     */
    public Builder dialect(JdbcDialect dialect) {
      requireUnset(this.dialect, "dialect");
      this.dialect = Objects.requireNonNull(dialect, "dialect");
      return this;
    }

    /**
     * Whether {@link #build()} migrates the schema to the newest version (default {@code
     * true}), under a database lock. With {@code false} the host migrates it (with Flyway and the
     * scripts shipped in {@code dev/dagflow/jdbc/schema/<dialect>/}); {@code build()} then only
     * checks a version recorded by the built-in migrator, if there is one.
     *
     * @throws IllegalStateException if it was set already
     */
    public Builder migrate(boolean migrate) {
      requireUnset(this.migrate, "migrate");
      this.migrate = migrate;
      return this;
    }

    /**
     * Connects to the database to detect its dialect, migrates or checks its schema, and returns
     * its stores.
     *
     * @throws SchemaVersionException if the schema is newer than this dagflow knows, or (with
     *     {@code migrate(false)}) older than it needs
     * @throws StoreException naming the URL (without password) if the database cannot be reached
     *     or fails
     */
    public Stores build() {
      JdbcContext context = JdbcContext.open(dataSource, dialect,
          Tables.withPrefix(tablePrefix == null ? Tables.DEFAULT_PREFIX : tablePrefix));
      if (migrate == null || migrate) {
        Migrator.migrate(context);
      } else {
        Migrator.check(context);
      }
      return Stores.of(new JdbcRunStore(context), new JdbcLogStore(context),
          new JdbcPolicyStore(context), new JdbcTemplateStore(context),
          new JdbcTriggerStore(context), new JdbcScheduleStore(context));
    }

    private static void requireUnset(Object value, String option) {
      if (value != null) {
        throw new IllegalStateException(option + " was already set to " + value);
      }
    }
  }
}
