package dev.dagflow.jdbc.internal;

import dev.dagflow.store.DuplicateStartException;
import dev.dagflow.store.KeyReuse;
import dev.dagflow.store.Lease;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The creates of {@link JdbcRunStore}: a run's definition and status inserted in one
 * transaction, with its start key (a unique column) and its idempotency key ({@link
 * IdempotencyKeyClaims}); a unique key broken says which key, and names the run that has it.
 * Stateless but for its context; thread-safe.
 */
final class JdbcCreates {
  private static final int CONFLICT_RETRIES = 5;

  private final JdbcContext db;
  private final RunSql sql;
  private final IdempotencyKeyClaims keys;

  JdbcCreates(JdbcContext db, RunSql sql) {
    this.db = db;
    this.sql = sql;
    this.keys = new IdempotencyKeyClaims(sql, db.dialect());
  }

  /** {@link JdbcRunStore#create(RunRecord, String, Duration, KeyReuse)}. */
  Lease create(RunRecord run, String owner, Duration leaseTime, KeyReuse reuse) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(owner, "owner");
    long lease = Objects.requireNonNull(leaseTime, "leaseTime").toMillis();
    Objects.requireNonNull(reuse, "reuse");
    String operation = "create run " + run.runId();
    Insert insert = new Insert(run, run.spec().toJson(), Rows.json(run.params()), owner, lease);
    try {
      if (run.idempotencyKey().isEmpty()) {
        return db.transaction(operation, c -> insert(c, insert, null));
      }
      return createClaimingKey(operation, insert, reuse);
    } catch (Duplicate e) {
      throw duplicate(operation, run, e.getCause());
    } catch (IllegalArgumentException e) { // a time out of range
      throw new StoreException(operation, e.getMessage(), e);
    }
  }

  /**
   * Creates {@code run} with its idempotency key at READ COMMITTED (the key's row as committed
   * now, and no gap locks), again when another create took the key first or the database
   * chose this one to give way.
   */
  private Lease createClaimingKey(String operation, Insert insert, KeyReuse reuse) {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.readCommitted(operation,
            c -> insert(c, insert, keys.lock(c, operation, insert.run(), reuse)));
      } catch (IdempotencyKeyClaims.KeyRace e) {
        if (attempt == CONFLICT_RETRIES) {
          throw new StoreException(operation, "its idempotency key was claimed and released "
              + attempt + " times meanwhile", e.getCause());
        }
      } catch (StoreException e) {
        if (attempt == CONFLICT_RETRIES || !(e.getCause() instanceof SQLException cause)
            || !(Conflicts.isConflict(cause) || db.dialect().isTransient(cause))) {
          throw e;
        }
      }
    }
  }

  /** A create's run with its JSON made ahead, outside the transaction. */
  private record Insert(RunRecord run, String spec, String params, String owner, long lease) {}

  /**
   * Inserts the run and its status on {@code c}, then its key's row as {@code claim} says (none
   * if null).
   */
  private Lease insert(Connection c, Insert insert, IdempotencyKeyClaims.Claim claim)
      throws SQLException {
    RunRecord run = insert.run();
    String owner = insert.owner();
    long lease = insert.lease();
    long now = sql.now(c);
    try (PreparedStatement st = c.prepareStatement(sql.insertRun)) {
      st.setString(1, run.runId());
      st.setString(2, run.spec().id());
      st.setInt(3, JdbcRunStore.SPEC_FORMAT);
      st.setString(4, insert.spec());
      st.setString(5, insert.params());
      st.setString(6, run.scopeKey());
      Rows.setString(st, 7, run.project());
      Rows.setString(st, 8, run.template());
      st.setInt(9, run.templateVersion());
      st.setInt(10, run.priority());
      Rows.setMillis(st, 11, run.createdAt());
      Rows.setString(st, 12, run.cause());
      st.setInt(13, run.chainDepth());
      Rows.setString(st, 14, run.startKey());
      Rows.setString(st, 15, run.idempotencyKey());
      st.executeUpdate();
    } catch (SQLException e) {
      if (db.dialect().isDuplicateKey(e)) {
        throw new Duplicate(e);
      }
      throw e;
    }
    try (PreparedStatement st = c.prepareStatement(sql.insertStatus)) {
      st.setString(1, run.runId());
      st.setString(2, run.state().name());
      Rows.setMillis(st, 3, run.startedAt());
      Rows.setMillis(st, 4, run.endedAt());
      Rows.setMillis(st, 5, run.createdAt());
      st.setString(6, run.scopeKey());
      st.setString(7, owner);
      st.setLong(8, now + lease);
      st.setBoolean(9, false);
      st.executeUpdate();
    }
    if (claim != null) {
      keys.write(c, run, claim);
    }
    return new Lease(run.runId(), owner, 1, Instant.ofEpochMilli(now + lease));
  }

  /** Why a create broke a unique key: its id, or its start key. */
  private RuntimeException duplicate(String operation, RunRecord run, Throwable cause) {
    boolean exists = db.autoCommit(operation, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.runExists)) {
        st.setString(1, run.runId());
        try (ResultSet rs = st.executeQuery()) {
          return rs.next();
        }
      }
    });
    if (exists || run.startKey().isEmpty()) {
      return new StoreException(operation, "a run with this id exists", cause);
    }
    Optional<String> holder = db.autoCommit(operation, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.runIdByStartKey)) {
        st.setString(1, run.startKey().get());
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
    if (holder.isEmpty()) { // the other run went meanwhile: a create again may succeed
      return new StoreException(operation, "a run with its start key existed", cause);
    }
    return new DuplicateStartException(operation, run.startKey().get(), holder.get());
  }

  /** A create that broke a unique key, carried out of its transaction. */
  private static final class Duplicate extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Duplicate(SQLException cause) {
      super(cause);
    }
  }
}
