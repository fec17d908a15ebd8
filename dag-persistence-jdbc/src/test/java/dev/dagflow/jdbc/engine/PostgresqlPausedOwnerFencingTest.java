package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.testing.DatabaseSettings;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.Stores;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * An engine paused for longer than its lease (SIGSTOP, as a long GC pause or a frozen VM would)
 * while another engine takes its run over: when it goes on (SIGCONT), its late completion of the
 * attempt it was running is refused by the database, it logs why, and the run stays as the new
 * owner finished it, not a transition more. A second run of the paused engine, whose status row
 * the test holds locked meanwhile (so that the new owner's claim skips it, and the paused
 * engine's renewal waits for it instead of finding its run lost first), shows that a run whose
 * lease expired but which nobody claimed goes on on its owner.
 */
class PostgresqlPausedOwnerFencingTest {
  private static final Duration LEASE = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String OWNER = "paused-owner";

  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.POSTGRESQL);
  @RegisterExtension
  final ChildJvms children = new ChildJvms();

  @Test
  void aPausedOwnersLateWriteIsRefusedItSaysWhyAndTheRunFinishesOnTheNewOwner()
      throws Exception {
    DB.clear();
    ExecutionTable.drop(DB.dataSource());
    ExecutionTable.create(DB.dataSource());
    DatabaseSettings db = DB.settings();
    List<String> args = new ArrayList<>(db.arguments());
    args.addAll(List.of("instance=" + OWNER, "lease=" + LEASE.toMillis(), "workers=4",
        "seed=0"));
    ChildJvm owner = children.start(OWNER, args);
    owner.await("ready", WAIT);
    owner.send("held decoy");
    String decoy = owner.await(a -> a.startsWith("run decoy "), "the decoy", WAIT)
        .substring("run decoy ".length());
    owner.send("until-paused fenced");
    String fenced = owner.await(a -> a.startsWith("run fenced "), "the fenced run", WAIT)
        .substring("run fenced ".length());
    // the writer and the renewals lock status rows in id order: the decoy's first
    assertThat(decoy).isLessThan(fenced);
    ChildJvms.until("b of both runs running on " + OWNER, WAIT, () -> ExecutionTable
        .all(DB.dataSource()).stream().filter(e -> e.nodeId().equals("b")).count() == 2);

    RunStore runs = JdbcStores.builder(DB.dataSource()).build().runs();
    List<StateTransition> finished;
    List<AttemptRecord> attempts;
    long paused;
    long warned;
    try (Connection lock = DB.dataSource().getConnection();
        HikariDataSource pool = db.pool("new-owner", EngineProcess.POOL_SIZE)) {
      long stopped = stopBetweenTransactions(owner);
      lock.setAutoCommit(false);
      lockStatusRow(lock, decoy);
      Stores stores = JdbcStores.builder(pool).build();
      try (DagEngine newOwner = ProcessWorkload.handlers(DagEngine.builder(), pool, "new-owner",
              new CountDownLatch(0))
          .stores(stores).instanceId("new-owner").leaseTime(LEASE).build()) {
        newOwner.start(); // claims the fenced run once its lease has expired, not the decoy
        assertThat(newOwner.await(fenced, WAIT).state()).isEqualTo(RunState.COMPLETED);
      }
      finished = runs.transitions(fenced);
      attempts = runs.attempts(fenced);
      assertThat(attempts).filteredOn(a -> a.nodeId().equals("b"))
          .extracting(AttemptRecord::attempt, AttemptRecord::outcome)
          .containsExactly(tuple(1, AttemptOutcome.ABANDONED), tuple(2, AttemptOutcome.COMPLETED));
      assertThat(runs.lease(fenced)).as("an ended run is nobody's").isEmpty();

      // longer than its lease whatever the new owner took: the child notices pauses over that
      ChildJvms.until(OWNER + " paused for one and a half lease times", WAIT,
          () -> System.nanoTime() - stopped > LEASE.toNanos() * 3 / 2);
      owner.signal("CONT");
      long continued = System.nanoTime();
      paused = (continued - stopped) / 1_000_000;
      String warning = "run " + fenced + ": its lease was taken over";
      ChildJvms.until(OWNER + " logs why it drops the run", WAIT,
          () -> !owner.linesContaining(warning).isEmpty());
      warned = (System.nanoTime() - continued) / 1_000_000;
      assertThat(owner.linesContaining(warning)).singleElement().satisfies(line -> assertThat(line)
          .contains(" WARN ").contains("(epoch 1, now 2, owned by nobody)")
          .contains("dropped here: the new owner finishes it"));
      assertThat(ExecutionTable.all(DB.dataSource())).as("b's attempt 1 returned on " + OWNER
          + " after the pause: its completion was the late write")
          .anyMatch(e -> e.runId().equals(fenced) && e.nodeId().equals("b") && e.attempt() == 1
              && e.instance().equals(OWNER) && e.what().equals(ExecutionTable.RETURNED));
      lock.commit(); // the decoy's renewal goes on
    }
    assertThat(runs.transitions(fenced)).as("the transitions, as the new owner left them")
        .isEqualTo(finished).doesNotHaveDuplicates()
        .extracting(StateTransition::nodeId, StateTransition::attempt, StateTransition::from,
            StateTransition::to).doesNotHaveDuplicates();
    assertThat(runs.attempts(fenced)).isEqualTo(attempts);

    ExecutionTable.release(DB.dataSource(), decoy);
    ChildJvms.until("the decoy completed on " + OWNER, WAIT,
        () -> runs.run(decoy).orElseThrow().state() == RunState.COMPLETED);
    assertThat(runs.attempts(decoy)).extracting(AttemptRecord::outcome)
        .containsOnly(AttemptOutcome.COMPLETED).hasSize(3);
    owner.closeEngine(Duration.ofSeconds(20));
    assertThat(owner.linesContaining("lease")).as("what " + OWNER + " said of its leases")
        .hasSize(1);
    System.out.printf("%s: paused %d ms; the refusal logged %d ms after SIGCONT%n",
        getClass().getSimpleName(), paused, warned);
  }

  /**
   * Stops the child (SIGSTOP) at a moment none of its connections is in a transaction or a
   * statement, so that it holds no row lock while stopped; returns when (nano time).
   */
  private static long stopBetweenTransactions(ChildJvm child) throws Exception {
    for (int tries = 0; tries < 50; tries++) {
      child.signal("STOP");
      long stopped = System.nanoTime();
      if (busyConnections(child.name()) == 0) {
        return stopped;
      }
      child.signal("CONT");
    }
    throw new AssertionError(child.name() + " was in a transaction each of 50 times it stopped");
  }

  private static int busyConnections(String applicationName) throws SQLException {
    try (Connection c = DB.dataSource().getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT COUNT(*) FROM pg_stat_activity WHERE application_name = ? AND state <> 'idle'")) {
      st.setString(1, applicationName);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }

  private static void lockStatusRow(Connection c, String runId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(
        "SELECT run_id FROM dagflow_run_status WHERE run_id = ? FOR UPDATE")) {
      st.setString(1, runId);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).isTrue();
      }
    }
  }
}
