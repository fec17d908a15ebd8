package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.engine.ExecutionTable.Execution;
import dev.dagflow.jdbc.testing.DatabaseSettings;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Three engines in three child JVMs on one database: 100 runs of 100 nodes submitted across
 * them; one child, drawn from the seed, is killed a quarter of the way: every run completes,
 * every node exactly once except the attempts running in the killed JVM (as many as it had
 * stored RUNNING at that moment: with four workers, a few or none), and a survivor claims its
 * runs within two lease times. The first execution of a node of those runs comes later: the
 * claimer's pool runs the nodes of its own runs queued before them first (a pool's queue is in
 * ready order, and hundreds are queued with a hundred runs on two cores), so that figure is
 * printed with the count of those nodes and held to a looser bound. Control operations asked of
 * the test JVM's engine reach the runs a child owns as commands, each applied and recorded once
 * with its operator.
 * Seeded: the DAGs and the child killed come from the seed, printed in every failure and
 * replayed with {@code -Ddagflow.instances.seed=<seed>}.
 */
abstract class SeveralInstancesTest {
  static final long SEED = Long.getLong("dagflow.instances.seed", 20261213L);
  static final Duration LEASE = Duration.ofSeconds(1);
  static final int RUNS = 100;
  static final int NODES = 100;
  static final int CHILDREN = 3;
  static final int WORKERS = 4;
  static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  final ChildJvms children = new ChildJvms();
  private final List<HikariDataSource> pools = new ArrayList<>();

  abstract TestDatabase database();

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  private DatabaseSettings prepare() throws Exception {
    database().clear();
    ExecutionTable.drop(database().dataSource());
    ExecutionTable.create(database().dataSource());
    return database().settings();
  }

  private HikariDataSource pool(String name) {
    HikariDataSource pool = database().settings().pool(name, EngineProcess.POOL_SIZE);
    pools.add(pool);
    return pool;
  }

  private ChildJvm child(DatabaseSettings db, String instance) throws Exception {
    List<String> args = new ArrayList<>(db.arguments());
    args.addAll(List.of("instance=" + instance, "lease=" + LEASE.toMillis(),
        "workers=" + WORKERS, "seed=" + SEED));
    return children.start(instance, args);
  }

  @Test
  void theRunsOfAKilledInstanceAreTakenOverWithinTwoLeaseTimesAndEveryNodeRunsOnce()
      throws Exception {
    String seed = "seed " + SEED;
    System.out.println(getClass().getSimpleName() + ": " + seed);
    DatabaseSettings db = prepare();
    List<ChildJvm> engines = new ArrayList<>();
    for (int i = 0; i < CHILDREN; i++) {
      engines.add(child(db, "engine-" + i));
    }
    for (ChildJvm engine : engines) {
      engine.await("ready", WAIT);
    }
    for (int i = 0; i < CHILDREN; i++) {
      engines.get(i).send("layered " + (i * RUNS / CHILDREN) + " " + ((i + 1) * RUNS / CHILDREN));
    }
    Map<String, String> submittedBy = new LinkedHashMap<>();
    for (ChildJvm engine : engines) {
      engine.await("submitted", WAIT);
      engine.submittedRuns().forEach(run -> submittedBy.put(run, engine.name()));
    }
    assertThat(submittedBy).as(seed).hasSize(RUNS);

    HikariDataSource watch = pool("watch");
    AtomicInteger seen = new AtomicInteger();
    ChildJvms.until("a quarter of the executions recorded", WAIT,
        () -> {
          seen.set(ExecutionTable.executions(watch));
          return seen.get() >= RUNS * NODES / 4;
        });
    ChildJvm victim = engines.get(new Random(SEED).nextInt(CHILDREN));
    long killedAt = System.currentTimeMillis();
    victim.kill();
    KillSnapshot atKill = KillSnapshot.take(watch, victim.name());
    assertThat(atKill.owned()).as(seed + ": the runs of " + victim.name() + " at the kill")
        .isNotEmpty();

    ChildJvms.until("a run of " + victim.name() + " claimed", WAIT,
        () -> KillSnapshot.take(watch, victim.name()).owned().size() < atKill.owned().size());
    Duration claimed = Duration.ofMillis(System.currentTimeMillis() - killedAt);
    Stores stores = JdbcStores.builder(watch).build();
    ChildJvms.until("every run completed", WAIT, () -> stores.runs().list(
        RunQuery.all().states(RunState.COMPLETED)).total() == RUNS);
    long ended = System.currentTimeMillis();
    for (ChildJvm engine : engines) {
      if (engine != victim) {
        engine.closeEngine(Duration.ofSeconds(20));
      }
    }

    List<Execution> executions = ExecutionTable.all(watch);
    long firstTakenOver = executions.stream()
        .filter(e -> atKill.owned().contains(e.runId()) && !e.instance().equals(victim.name()))
        .mapToLong(Execution::at).min().orElseThrow();
    Duration takeover = Duration.ofMillis(firstTakenOver - killedAt);
    String claimer = executions.stream().filter(e -> e.at() == firstTakenOver
        && atKill.owned().contains(e.runId())).findFirst().orElseThrow().instance();
    long ahead = executions.stream().filter(e -> e.instance().equals(claimer)
        && e.at() >= killedAt + claimed.toMillis() && e.at() < firstTakenOver).count();
    RecoveryAudit audit = RecoveryAudit.check(seed, stores.runs(), submittedBy.keySet(), NODES,
        executions, victim.name(), atKill);
    System.out.printf("%s: %s killed with %d executions seen, owning %d unfinished runs with "
            + "%d attempts stored RUNNING (read in %d ms); its first run claimed elsewhere "
            + "%d ms after the kill, the first node of its runs executed elsewhere %d ms after "
            + "it (by %s, which ran %d nodes of its own runs between its claim and then); all "
            + "done %d ms after the kill; %s%n",
        getClass().getSimpleName(), victim.name(), seen.get(), atKill.owned().size(),
        atKill.running().size(), atKill.millis(), claimed.toMillis(), takeover.toMillis(),
        claimer, ahead, ended - killedAt, audit);
    assertThat(claimed).as(seed + ": from the kill to the first run of " + victim.name()
        + " claimed elsewhere").isLessThan(LEASE.multipliedBy(2));
    // the claimer runs the nodes of its own runs queued before the taken-over ones first (a
    // pool's queue is in ready order): hundreds of nodes here, on two cores
    assertThat(takeover).as(seed + ": from the kill to the first node of " + victim.name()
        + "'s runs executed elsewhere").isLessThan(LEASE.multipliedBy(5));
    for (ChildJvm engine : engines) {
      if (engine != victim) {
        assertThat(audit.byInstance).as(seed + ": executions by " + engine.name())
            .containsKey(engine.name());
      }
    }
  }

  @Test
  void pauseResumeAndStopThroughOneInstanceReachARunAnotherOwnsOnceEach() throws Exception {
    DatabaseSettings db = prepare();
    ChildJvm owner = child(db, "owner");
    owner.await("ready", WAIT);
    owner.send("held remote");
    String run = owner.await(a -> a.startsWith("run remote "), "the run", WAIT)
        .substring("run remote ".length());
    HikariDataSource pool = pool("operator");
    ChildJvms.until("b running on the owner", WAIT, () -> ExecutionTable.all(pool).stream()
        .anyMatch(e -> e.runId().equals(run) && e.nodeId().equals("b")));

    RunStore runs;
    Map<String, Long> took = new LinkedHashMap<>();
    try (DagEngine operator = ProcessWorkload.handlers(DagEngine.builder(), pool, "operator",
            new CountDownLatch(0))
        .stores(JdbcStores.builder(pool).build()).instanceId("operator").leaseTime(LEASE)
        .build()) {
      operator.start();
      runs = JdbcStores.builder(pool).build().runs();
      assertThat(runs.lease(run).map(Lease::owner)).contains("owner");

      took.put("pause", timed(() -> operator.pause(run, "ops-pause")));
      assertThat(runs.run(run).orElseThrow().state()).isEqualTo(RunState.PAUSED);
      took.put("resume", timed(() -> operator.resume(run, "ops-resume")));
      assertThat(runs.run(run).orElseThrow().state()).isEqualTo(RunState.RUNNING);
      took.put("stop", timed(() -> operator.stop(run, "ops-stop")));
      assertThat(operator.await(run, WAIT).state()).isEqualTo(RunState.STOPPED);
      assertThat(runs.lease(run)).as("an ended run is nobody's").isEmpty();
    }
    owner.closeEngine(Duration.ofSeconds(20));

    List<HistoryEntry> history = runs.history(run);
    for (String action : List.of("pause", "resume", "stop")) {
      assertThat(history).as("run." + action).filteredOn(h -> h.action().equals("run." + action))
          .singleElement().extracting(HistoryEntry::operator).isEqualTo("ops-" + action);
    }
    assertThat(runs.attempts(run)).filteredOn(a -> a.nodeId().equals("b"))
        .extracting(AttemptRecord::outcome).as("b, stopped on its owner")
        .containsExactly(AttemptOutcome.STOPPED);
    assertThat(runs.pendingCommands("owner")).isEmpty();
    System.out.printf("%s: operations on a run owned by another JVM, each until applied: %s ms"
        + "%n", getClass().getSimpleName(), took);
  }

  private static long timed(Runnable operation) {
    long start = System.nanoTime();
    operation.run();
    return (System.nanoTime() - start) / 1_000_000;
  }
}
