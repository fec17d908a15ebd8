package dev.dagflow.jdbc.internal;

import dev.dagflow.state.RunState;
import dev.dagflow.store.IdempotencyKeyTakenException;
import dev.dagflow.store.KeyReuse;
import dev.dagflow.store.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The idempotency keys of {@link JdbcRunStore}: a row per project and key in {@code
 * idempotency_keys} naming the key's current run, claimed in the transaction that inserts a run
 * (at READ COMMITTED). The key's row is locked first; if it names a run {@link KeyReuse} keeps
 * the key for, the create is refused before anything is written; else, once the run is
 * inserted, the row is inserted or moved to it. Two creates that both find no row race on its
 * insert: the loser's transaction fails on the primary key ({@link KeyRace}) and runs again,
 * finding the winner's row. Stateless but for its statements; thread-safe.
 */
final class IdempotencyKeyClaims {
  /** The project column of a key of the global scope: no project id is empty. */
  static final String GLOBAL = "";

  private final RunSql sql;
  private final Dialect dialect;

  IdempotencyKeyClaims(RunSql sql, Dialect dialect) {
    this.sql = sql;
    this.dialect = dialect;
  }

  /** What a create does with its key once its run is inserted. */
  enum Claim { INSERT, MOVE }

  /**
   * Locks the row of {@code run}'s key and decides on it, before the run is inserted.
   *
   * @throws IdempotencyKeyTakenException if the key names a run {@code reuse} keeps it for
   */
  Claim lock(Connection c, String operation, RunRecord run, KeyReuse reuse)
      throws SQLException {
    String current;
    try (PreparedStatement st = c.prepareStatement(sql.lockIdempotencyKey)) {
      bindKey(st, 1, run);
      try (ResultSet rs = st.executeQuery()) {
        if (!rs.next()) {
          return Claim.INSERT;
        }
        current = rs.getString(1);
      }
    }
    if (reuse == KeyReuse.AFTER_END && hasEnded(c, current)) {
      return Claim.MOVE;
    }
    throw new IdempotencyKeyTakenException(operation, run.project(),
        run.idempotencyKey().orElseThrow(), current);
  }

  /** Whether run {@code runId} has ended, read (not locked) as committed now. */
  private boolean hasEnded(Connection c, String runId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.runState)) {
      st.setString(1, runId);
      try (ResultSet rs = st.executeQuery()) {
        return !rs.next() || RunState.valueOf(rs.getString(1)).isTerminal();
      }
    }
  }

  /**
   * Points {@code run}'s key at it, as {@code claim} decided; the run is inserted already.
   *
   * @throws KeyRace if another create inserted the key's row meanwhile
   */
  void write(Connection c, RunRecord run, Claim claim) throws SQLException {
    if (claim == Claim.MOVE) {
      try (PreparedStatement st = c.prepareStatement(sql.moveIdempotencyKey)) {
        st.setString(1, run.runId());
        bindKey(st, 2, run);
        st.executeUpdate();
      }
      return;
    }
    try (PreparedStatement st = c.prepareStatement(sql.insertIdempotencyKey)) {
      bindKey(st, 1, run);
      st.setString(3, run.runId());
      st.executeUpdate();
    } catch (SQLException e) {
      if (dialect.isDuplicateKey(e)) {
        throw new KeyRace(e);
      }
      throw e;
    }
  }

  private static void bindKey(PreparedStatement st, int first, RunRecord run)
      throws SQLException {
    st.setString(first, run.project().orElse(GLOBAL));
    st.setString(first + 1, run.idempotencyKey().orElseThrow());
  }

  /** Another create inserted the key's row first: the create runs again and finds it. */
  static final class KeyRace extends RuntimeException {
    private static final long serialVersionUID = 1L;

    KeyRace(SQLException cause) {
      super(cause);
    }
  }
}
