package dev.dagflow.jdbc.internal;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.store.Lease;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Renewals and releases lock run status rows in the order the run writer does (run id order),
 * so that a renewal of many leases never deadlocks with a batch of writes of the same runs. The
 * batch is played by hand here: it locks the first run's status row, the renewal (or release)
 * starts and waits, then the batch locks the second row, as {@code RunWriter} would. Renewing in
 * another order held the second row meanwhile: PostgreSQL found the deadlock after its
 * deadlock_timeout (1 s, as long as a short lease) and aborted one side, and the leases of an
 * engine under load expired while it waited.
 */
abstract class LeaseLockOrderTest {
  private static final DagSpec SPEC = spec("lock-order", 2);
  private static final Duration LEASE = Duration.ofSeconds(30);

  abstract TestDatabase database();

  /** How many sessions of the database wait for a lock now. */
  abstract String lockWaitsQuery();

  @Test
  void aRenewalWaitsForAWriteBatchInsteadOfDeadlockingWithIt() throws Exception {
    List<Lease> leases = twoRuns();
    Set<String> lost = againstABatch(leases, store -> store.renew(
        List.of(leases.get(1), leases.get(0)), LEASE)); // the second run's first
    assertThat(lost).as("renewed, both").isEmpty();
  }

  @Test
  void aReleaseWaitsForAWriteBatchInsteadOfDeadlockingWithIt() throws Exception {
    List<Lease> leases = twoRuns();
    againstABatch(leases, store -> {
      store.release(List.of(leases.get(1), leases.get(0)));
      return Set.of();
    });
    JdbcRunStore store = new JdbcRunStore(database().context());
    assertThat(store.lease("lock-order-1")).as("released").isEmpty();
    assertThat(store.lease("lock-order-2")).as("released").isEmpty();
  }

  private List<Lease> twoRuns() {
    database().clear();
    JdbcRunStore store = new JdbcRunStore(database().context());
    return List.of(store.create(run("lock-order-1", SPEC, at(0)), "engine-a", LEASE),
        store.create(run("lock-order-2", SPEC, at(1)), "engine-a", LEASE));
  }

  /**
   * Runs {@code operation} on another thread while a transaction here locks the status rows of
   * {@code leases} in id order, waiting until the operation waits for the first before it takes
   * the second; returns what the operation returned.
   */
  private <T> T againstABatch(Collection<Lease> leases,
      Function<JdbcRunStore, T> operation) throws Exception {
    JdbcRunStore store = new JdbcRunStore(database().context());
    String lock = "SELECT run_id FROM " + database().context().tables().name("run_status")
        + " WHERE run_id = ? FOR UPDATE";
    CompletableFuture<T> done;
    try (Connection batch = database().dataSource().getConnection()) {
      batch.setAutoCommit(false);
      try {
        lockRow(batch, lock, "lock-order-1");
        done = CompletableFuture.supplyAsync(() -> operation.apply(store));
        awaitLockWait(done);
        lockRow(batch, lock, "lock-order-2"); // a deadlock here, if the operation held it
        batch.commit();
      } catch (SQLException e) {
        batch.rollback();
        throw new AssertionError("the batch's second lock failed: " + e.getMessage(), e);
      }
    }
    return done.get(10, TimeUnit.SECONDS);
  }

  private static void lockRow(Connection c, String lock, String runId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(lock)) {
      st.setQueryTimeout(10);
      st.setString(1, runId);
      try (ResultSet rs = st.executeQuery()) {
        assertThat(rs.next()).as("the status row of " + runId).isTrue();
      }
    }
  }

  private void awaitLockWait(CompletableFuture<?> operation) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try (Connection c = database().dataSource().getConnection();
          Statement st = c.createStatement(); ResultSet rs = st.executeQuery(lockWaitsQuery())) {
        rs.next();
        if (rs.getInt(1) > 0) {
          return;
        }
      }
      if (operation.isDone()) {
        operation.get(); // a failure, thrown
        throw new AssertionError("the operation did not wait for the batch's lock");
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the operation never waited for the batch's lock");
      }
      // between two looks at the database's lock waits: MariaDB refreshes what it shows of them
      // only when nobody looked for 100 ms
      Thread.sleep(120);
    }
  }
}
