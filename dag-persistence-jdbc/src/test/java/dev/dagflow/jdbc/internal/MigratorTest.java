package dev.dagflow.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.jdbc.SchemaVersionException;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Fence;
import dev.dagflow.store.RunRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The built-in migrator on one database: subclassed once per database. Each test works on tables
 * of a table prefix of its own, so that it starts from an empty schema.
 */
abstract class MigratorTest {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  /** Every table but the run tables (of versions 1, 2 and 3). */
  private static final List<String> TABLES = List.of("schema_version", "templates", "policies",
      "triggers", "trigger_events", "trigger_queue", "logs", "log_fences", "engine_instances",
      "scopes", "idempotency_keys", "schedules");

  /** The class's database, left empty by its extension. */
  abstract TestDatabase database();

  private static String freshPrefix() {
    return "m" + PREFIXES.incrementAndGet() + "_";
  }

  @Test
  void theDialectIsDetectedFromTheDatabase() {
    JdbcContext detected = JdbcContext.open(database().dataSource(), null,
        Tables.withPrefix("x_"));
    assertThat(detected.dialect().kind()).isEqualTo(database().kind().dialect());
    assertThat(detected.url()).startsWith("jdbc:");
  }

  @Test
  void aFreshDatabaseIsMigratedToTheNewestVersion() throws SQLException {
    JdbcContext context = database().context(freshPrefix());
    assertThat(Migrator.recordedVersion(context)).isEmpty();

    assertThat(Migrator.migrate(context)).containsExactly(1, 2, 3, 4, 5);

    assertThat(Migrator.recordedVersion(context)).isEqualTo(OptionalInt.of(5));
    for (String table : TABLES) {
      assertThat(count(context, table)).as(table).isGreaterThanOrEqualTo(0);
    }
    assertThat(versionRows(context)).hasSize(5).first().asString().startsWith("1 dagflow ");
    Migrator.check(context);
  }

  @Test
  void migratingAgainChangesNothing() throws SQLException {
    JdbcContext context = database().context(freshPrefix());
    Migrator.migrate(context);
    List<String> tables = database().tables();
    List<String> versions = versionRows(context);

    assertThat(Migrator.migrate(context)).isEmpty();

    assertThat(database().tables()).isEqualTo(tables);
    assertThat(versionRows(context)).isEqualTo(versions);
  }

  @Test
  void aNewerSchemaIsRefusedNamingTheUrlAndBothVersions() throws SQLException {
    JdbcContext context = database().context(freshPrefix());
    Migrator.migrate(context);
    execute(context, "INSERT INTO " + context.tables().name("schema_version")
        + " (version, description, installed_at, readable_from)"
        + " VALUES (99, 'from the future', 0, 99)");

    for (Runnable attempt : List.<Runnable>of(() -> Migrator.migrate(context),
        () -> Migrator.check(context))) {
      assertThatThrownBy(attempt::run)
          .isInstanceOfSatisfying(SchemaVersionException.class, e -> {
            assertThat(e.found()).isEqualTo(99);
            assertThat(e.known()).isEqualTo(5);
            assertThat(e.url()).isEqualTo(context.url());
          })
          .hasMessageContaining(context.url())
          .hasMessageContaining("version 99")
          .hasMessageContaining("version 5,")
          .hasMessageContaining("readable only from version 99");
    }
    assertThat(versionRows(context)).hasSize(6);
  }

  @Test
  void checkingWithoutMigratingRefusesAnOlderSchemaAndTrustsOneWithoutVersionTable()
      throws SQLException {
    JdbcContext context = database().context(freshPrefix());
    Migrator.check(context);
    execute(context, context.dialect().versionTableDdl(context.tables()));

    assertThatThrownBy(() -> Migrator.check(context))
        .isInstanceOfSatisfying(SchemaVersionException.class,
            e -> assertThat(e.found()).isZero())
        .hasMessageContaining("older than version 5")
        .hasMessageContaining(context.url());
  }

  @Test
  void twoMigratorsStartingAtOnceOnAnEmptyDatabaseMigrateOnce() throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < 3; round++) {
        String prefix = freshPrefix();
        List<JdbcContext> contexts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          contexts.add(JdbcContext.of(database().newDataSource(),
              Dialect.of(database().kind().dialect()), Tables.withPrefix(prefix),
              database().context().url()));
        }
        CyclicBarrier start = new CyclicBarrier(2);
        List<Future<List<Integer>>> results = new ArrayList<>();
        for (JdbcContext context : contexts) {
          results.add(threads.submit(() -> {
            start.await(10, TimeUnit.SECONDS);
            return Migrator.migrate(context);
          }));
        }
        List<List<Integer>> applied = new ArrayList<>();
        for (Future<List<Integer>> result : results) {
          applied.add(result.get(60, TimeUnit.SECONDS));
        }

        assertThat(applied).as("round " + round)
            .containsExactlyInAnyOrder(List.of(1, 2, 3, 4, 5), List.of());
        assertThat(versionRows(contexts.get(0))).hasSize(Migrator.SCRIPTS.size());
      }
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void aDatabaseAtVersionOneIsUpgradedWithWhatItHolds() {
    JdbcContext context = database().context(freshPrefix());
    assertThat(Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 1))).containsExactly(1);
    // a run as an engine that knows only version 1 stored it
    DagSpec spec = DagSpec.builder("old").node(NodeSpec.task("a", "t")).build();
    execute(context, "INSERT INTO " + context.tables().name("runs") + " (id, spec_id, "
        + "spec_format, spec, params, scope_key, template_version, priority, created_at, "
        + "chain_depth) VALUES ('r-1', 'old', 1, '" + spec.toJson().replace("'", "''")
        + "', '{}', 'worker-global', 0, 0, 1000, 0)");
    execute(context, "INSERT INTO " + context.tables().name("run_status") + " (run_id, state, "
        + "created_at, scope_key, owner, epoch, lease_expires, transitions, history, version) "
        + "VALUES ('r-1', 'PENDING', 1000, 'worker-global', 'old-engine', 1, 0, 0, 0, 0)");

    assertThat(Migrator.migrate(context)).containsExactly(2, 3, 4, 5);
    assertThat(Migrator.migrate(context)).isEmpty();

    assertThat(Migrator.recordedVersion(context)).isEqualTo(OptionalInt.of(5));
    JdbcRunStore runs = new JdbcRunStore(context);
    assertThat(runs.run("r-1").orElseThrow().spec()).isEqualTo(spec);
    assertThat(runs.run("r-1").orElseThrow().idempotencyKey()).isEmpty();
    assertThat(runs.admit("r-1", new Fence("old-engine", 1), 1)).isTrue(); // the new column
  }

  @Test
  void aDatabaseAtVersionTwoIsUpgradedAndAKeysRecordGoesWithItsRun() {
    JdbcContext context = database().context(freshPrefix());
    assertThat(Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 2))).containsExactly(1, 2);
    insertEndedRun(context, "r-old");

    assertThat(Migrator.migrate(context)).containsExactly(3, 4, 5);

    JdbcRunStore runs = new JdbcRunStore(context);
    assertThat(runs.run("r-old").orElseThrow().idempotencyKey()).isEmpty();
    RunRecord keyed = runs.run("r-old").orElseThrow();
    keyed = new RunRecord("r-new", keyed.spec(), keyed.params(), RunState.PENDING,
        keyed.scopeKey(), keyed.project(), keyed.template(), keyed.templateVersion(),
        keyed.priority(), keyed.createdAt(), Optional.empty(), Optional.empty(), keyed.cause(),
        keyed.chainDepth(), Optional.empty(), Optional.of("k-1"));
    runs.create(keyed, "new-engine", Duration.ofMinutes(1));
    assertThat(runs.run("r-new").orElseThrow().idempotencyKey()).contains("k-1");
    assertThat(count(context, "idempotency_keys")).isEqualTo(1);
    // as an engine that knows only version 2 purges: the run's row goes, its key's row with it
    execute(context, "DELETE FROM " + context.tables().name("runs") + " WHERE id = 'r-new'");
    assertThat(count(context, "idempotency_keys")).isZero();
  }

  @Test
  void aDatabaseAtVersionThreeIsUpgradedAndItsAttemptsReadBackWithoutQueueTimes() {
    JdbcContext context = database().context(freshPrefix());
    assertThat(Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 3)))
        .containsExactly(1, 2, 3);
    insertEndedRun(context, "r-old");
    // an attempt as an engine that knows only version 3 stores it
    execute(context, "INSERT INTO " + context.tables().name("attempts") + " (run_id, node_id,"
        + " attempt, started_at, ended_at, outcome) VALUES ('r-old', 'a', 1, 1000, 2000,"
        + " 'COMPLETED')");

    assertThat(Migrator.migrate(context)).containsExactly(4, 5);

    AttemptRecord old = new JdbcRunStore(context).attempts("r-old").get(0);
    assertThat(old.readyAt()).isEmpty();
    assertThat(old.usage()).isEmpty();
    assertThat(old.duration()).contains(Duration.ofSeconds(1));
  }

  /** An ENDED run as an engine that knows only version 1 or 2 stores it. */
  private static void insertEndedRun(JdbcContext context, String runId) {
    DagSpec spec = DagSpec.builder("old").node(NodeSpec.task("a", "t")).build();
    execute(context, "INSERT INTO " + context.tables().name("runs") + " (id, spec_id, "
        + "spec_format, spec, params, scope_key, template_version, priority, created_at, "
        + "chain_depth) VALUES ('" + runId + "', 'old', 1, '"
        + spec.toJson().replace("'", "''") + "', '{}', 'worker-global', 0, 0, 1000, 0)");
    execute(context, "INSERT INTO " + context.tables().name("run_status") + " (run_id, state, "
        + "started_at, ended_at, created_at, scope_key, owner, epoch, lease_expires, "
        + "transitions, history, version) VALUES ('" + runId + "', 'COMPLETED', 1000, 2000, "
        + "1000, 'worker-global', NULL, 1, 0, 0, 0, 0)");
  }

  @Test
  void aNewerSchemaThatIsReadableByThisVersionIsUsedAsItIs() {
    JdbcContext context = database().context(freshPrefix());
    Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 2));
    // version 2 is additive: a dagflow that knows only version 1 neither refuses nor migrates
    assertThat(Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 1))).isEmpty();
    Migrator.check(context, 1);
    assertThat(Migrator.recordedVersion(context)).isEqualTo(OptionalInt.of(2));

    // version 3 is readable from 2, not from 1
    Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 3));
    assertThat(Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 2))).isEmpty();
    Migrator.check(context, 2);
    assertThatThrownBy(() -> Migrator.check(context, 1))
        .isInstanceOf(SchemaVersionException.class)
        .hasMessageContaining("readable only from version 2");
    assertThat(Migrator.recordedVersion(context)).isEqualTo(OptionalInt.of(3));

    // version 4 is readable from 3, not from 2
    Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 4));
    Migrator.check(context, 3);
    assertThatThrownBy(() -> Migrator.check(context, 2))
        .isInstanceOf(SchemaVersionException.class)
        .hasMessageContaining("readable only from version 3");
    assertThat(Migrator.recordedVersion(context)).isEqualTo(OptionalInt.of(4));

    // version 5 (schedules) is readable from 4, not from 3
    assertThat(Migrator.migrate(context)).containsExactly(5);
    assertThat(Migrator.migrate(context, Migrator.SCRIPTS.subList(0, 4))).isEmpty();
    Migrator.check(context, 4);
    assertThatThrownBy(() -> Migrator.check(context, 3))
        .isInstanceOf(SchemaVersionException.class)
        .hasMessageContaining("readable only from version 4");
    assertThat(Migrator.recordedVersion(context)).isEqualTo(OptionalInt.of(5));
  }

  private static void execute(JdbcContext context, String sql) {
    context.autoCommit("test", c -> {
      try (Statement st = c.createStatement()) {
        st.execute(sql);
      }
      return null;
    });
  }

  private static long count(JdbcContext context, String table) {
    return context.autoCommit("count", c -> {
      try (Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM " + context.tables().name(table))) {
        rs.next();
        return rs.getLong(1);
      }
    });
  }

  private static List<String> versionRows(JdbcContext context) throws SQLException {
    try (Connection c = context.dataSource().getConnection();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT version, description, installed_at FROM "
            + context.tables().name("schema_version") + " ORDER BY version")) {
      List<String> rows = new ArrayList<>();
      while (rs.next()) {
        rows.add((rs.getInt(1) + " " + rs.getString(2) + " " + rs.getLong(3))
            .toLowerCase(Locale.ROOT));
      }
      return rows;
    }
  }
}
