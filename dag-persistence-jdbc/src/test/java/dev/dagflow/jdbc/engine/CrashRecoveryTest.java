package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.testing.DatabaseSettings;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A child JVM runs an engine with 100 runs of 100 nodes (ten layers of ten, each node after one
 * to three of the layer before, drawn from the seed), whose task handler records every
 * execution by idempotency key in a table of the test's own. Once a quarter of the executions are
 * recorded the child is killed (SIGKILL) and an engine in the test JVM is started on the same
 * database: every run ends COMPLETED with all its nodes, no key is executed twice, and the only
 * nodes executed twice are attempts that were running in the killed JVM, each on record as
 * ABANDONED and followed by a new attempt. Seeded: the DAGs come from the seed, printed in every
 * failure and replayed with {@code -Ddagflow.crash.seed=<seed>}.
 */
abstract class CrashRecoveryTest {
  static final long SEED = Long.getLong("dagflow.crash.seed", 20261212L);
  static final Duration LEASE = Duration.ofSeconds(1);
  static final int RUNS = 100;
  static final int NODES = 100;
  static final int WORKERS = 8;
  static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  final ChildJvms children = new ChildJvms();

  private final List<HikariDataSource> pools = new ArrayList<>();

  /** Creates the test's tables in an empty database; returns how a child reaches it. */
  abstract DatabaseSettings prepare() throws Exception;

  /** A pool of {@code size} on the database, closed after the test. */
  private HikariDataSource pool(DatabaseSettings db, String name, int size) {
    HikariDataSource pool = db.pool(name, size);
    pools.add(pool);
    return pool;
  }

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  static List<String> childArguments(DatabaseSettings db, String instance) {
    List<String> args = new ArrayList<>(db.arguments());
    args.addAll(List.of("instance=" + instance, "lease=" + LEASE.toMillis(),
        "workers=" + WORKERS, "seed=" + SEED));
    return args;
  }


  @Test
  void aKilledEnginesRunsAreFinishedByTheNextWithOnlyItsRunningAttemptsRunAgain()
      throws Exception {
    String seed = "seed " + SEED;
    System.out.println(getClass().getSimpleName() + ": " + seed);
    DatabaseSettings db = prepare();
    long started = System.nanoTime();
    ChildJvm child = children.start("crashing", childArguments(db, "crashing"));
    child.await("ready", WAIT);
    child.send("layered 0 " + RUNS);
    child.await("submitted", WAIT);
    List<String> runs = child.submittedRuns();
    assertThat(runs).as(seed).hasSize(RUNS).doesNotHaveDuplicates();

    // opened once the child has opened the database: on H2 the child's is the server
    HikariDataSource watch = pool(db, "watch", 2);
    AtomicInteger seen = new AtomicInteger();
    ChildJvms.until("a quarter of the executions recorded", WAIT,
        () -> {
          seen.set(ExecutionTable.executions(watch));
          return seen.get() >= RUNS * NODES / 4;
        });
    child.kill();
    long killed = System.nanoTime();

    watch.close(); // on H2 its connections went to the dead child's server
    DataSource dataSource = pool(db, "restarted", EngineProcess.POOL_SIZE);
    KillSnapshot atKill = KillSnapshot.take(dataSource, "crashing");
    int onRecord = ExecutionTable.executions(dataSource);
    assertThat(atKill.owned()).as(seed + ": the killed engine's runs").isNotEmpty();
    assertThat(onRecord).as(seed + ": executions the database kept through the kill, of those "
        + "seen before it").isGreaterThanOrEqualTo(seen.get());
    Stores stores = JdbcStores.builder(dataSource).build();
    try (DagEngine restarted = ProcessWorkload.handlers(DagEngine.builder(), dataSource,
            "restarted", new CountDownLatch(0))
        .stores(stores).instanceId("restarted").leaseTime(LEASE).workersPerScope(WORKERS)
        .build()) {
      restarted.start();
      for (String run : runs) {
        assertThat(restarted.await(run, WAIT).state()).as(seed + ", run " + run)
            .isEqualTo(RunState.COMPLETED);
      }
    }
    long ended = System.nanoTime();

    RecoveryAudit audit = RecoveryAudit.check(seed, stores.runs(), runs, NODES,
        ExecutionTable.all(dataSource), "crashing", atKill);
    assertThat(audit.abandoned).as(seed + ": attempts lost with the killed JVM").isPositive();
    System.out.printf("%s: %s; killed with %d executions seen (%d on record after the kill), "
            + "%d runs unfinished, %d attempts stored RUNNING; child %d ms, from the kill to the "
            + "end %d ms%n", getClass().getSimpleName(), audit, seen.get(), onRecord,
        atKill.owned().size(), atKill.running().size(), (killed - started) / 1_000_000,
        (ended - killed) / 1_000_000);
  }
}
