package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.List;

/**
 * Every statement of the JDBC run store, with the table names of one database written in. What
 * differs between the dialects is chosen here, in the few methods that switch on it: upserts,
 * the claim of free runs (locked with {@code SKIP LOCKED} where the database has it) and the
 * insert that ignores a row that exists. Immutable.
 */
final class RunSql {
  /** The states of an unfinished run, as SQL literals. */
  private static final String UNFINISHED = "('PENDING', 'RUNNING', 'PAUSED')";

  static final String RUN_COLUMNS = "r.id, r.spec_id, r.spec_format, r.spec, r.params, "
      + "r.scope_key, r.project, r.template, r.template_version, r.priority, r.created_at, "
      + "r.cause, r.chain_depth, r.start_key, r.idempotency_key, s.state, s.started_at, "
      + "s.ended_at";
  static final String SUMMARY_COLUMNS = "r.id, r.spec_id, r.scope_key, r.project, r.template, "
      + "r.template_version, r.priority, r.created_at, r.cause, r.chain_depth, r.start_key, "
      + "r.idempotency_key, s.state, s.started_at, s.ended_at";
  private static final String NODE_COLUMNS = "run_id, node_id, state, attempt, attempt_base, "
      + "progress, started_at, ended_at, wait_until, result, error_code, error_message, config";
  private static final String ATTEMPT_COLUMNS = "run_id, node_id, attempt, started_at, "
      + "ended_at, outcome, result, error_code, error_message, engine_ref, ready_at, "
      + "usage_figures";
  static final String COMMAND_COLUMNS = "id, run_id, kind, node_id, patch, operator, "
      + "created_at, taken_by, outcome, outcome_state, outcome_message, outcome_at";

  private final JdbcDialect dialect;
  private final Tables t;

  final String now;
  final String insertRun;
  final String insertStatus;
  final String runById;
  final String runIdByStartKey;
  final String runExists;
  final String lockIdempotencyKey;
  final String insertIdempotencyKey;
  final String moveIdempotencyKey;
  final String runState;
  final String specById;
  final String nodesOfRun;
  final String attemptsOfRun;
  final String transitionsOfRun;
  final String historyOfRun;
  final String counts;
  final MultiRowInsert upsertNode;
  final MultiRowInsert upsertAttempt;
  final MultiRowInsert insertTransition;
  final MultiRowInsert insertHistory;
  final String updateStatus;
  final String updateCommandOutcome;
  final String claimOne;
  final String claimedEpoch;
  final String renew;
  final String release;
  final String lease;
  final String insertCommand;
  final String commandById;
  final String waitingCommandsOf;
  final String takeCommand;
  final String cancelCommand;
  final String insertScope;
  final String lockScope;
  final String placesTaken;
  final String admitRun;
  final String statusForAdmission;
  final String heartbeat;

  RunSql(JdbcDialect dialect, Tables tables, String nowMillis) {
    this.dialect = dialect;
    this.t = tables;
    String runs = t.name("runs");
    String status = t.name("run_status");
    now = "SELECT " + nowMillis;
    insertRun = "INSERT INTO " + runs + " (id, spec_id, spec_format, spec, params, scope_key, "
        + "project, template, template_version, priority, created_at, cause, chain_depth, "
        + "start_key, idempotency_key) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    insertStatus = "INSERT INTO " + status + " (run_id, state, started_at, ended_at, created_at, "
        + "scope_key, owner, epoch, lease_expires, admitted, transitions, history, version) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 0, 0, 0)";
    runById = "SELECT " + RUN_COLUMNS + " FROM " + runs + " r JOIN " + status
        + " s ON s.run_id = r.id WHERE r.id = ?";
    runIdByStartKey = "SELECT id FROM " + runs + " WHERE start_key = ?";
    runExists = "SELECT 1 FROM " + runs + " WHERE id = ?";
    String keys = t.name("idempotency_keys");
    // the key's row alone is locked: the current run's rows are read, never locked, so that a
    // create never waits on a purge that holds them (and deletes the row last, by cascade)
    lockIdempotencyKey = "SELECT run_id FROM " + keys
        + " WHERE project = ? AND idempotency_key = ? FOR UPDATE";
    insertIdempotencyKey = "INSERT INTO " + keys + " (project, idempotency_key, run_id) "
        + "VALUES (?, ?, ?)";
    moveIdempotencyKey = "UPDATE " + keys + " SET run_id = ? WHERE project = ? "
        + "AND idempotency_key = ?";
    runState = "SELECT state FROM " + status + " WHERE run_id = ?";
    specById = "SELECT spec_format, spec FROM " + runs + " WHERE id = ?";
    nodesOfRun = "SELECT " + NODE_COLUMNS + " FROM " + t.name("nodes") + " WHERE run_id = ?";
    attemptsOfRun = "SELECT " + ATTEMPT_COLUMNS + " FROM " + t.name("attempts")
        + " WHERE run_id = ? ORDER BY node_id, attempt";
    transitionsOfRun = "SELECT node_id, attempt, from_state, to_state, reason, trigger_type, "
        + "operator, at FROM " + t.name("transitions")
        + " WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?";
    historyOfRun = "SELECT node_id, action, operator, old_value, new_value, at FROM "
        + t.name("history") + " WHERE run_id = ? AND seq >= ? ORDER BY seq LIMIT ?";
    counts = "SELECT transitions, history FROM " + status + " WHERE run_id = ?";
    upsertNode = upsert(t.name("nodes"), NODE_COLUMNS, List.of("run_id", "node_id"));
    upsertAttempt = upsert(t.name("attempts"), ATTEMPT_COLUMNS,
        List.of("run_id", "node_id", "attempt"));
    insertTransition = new MultiRowInsert("INSERT INTO " + t.name("transitions")
        + " (run_id, seq, node_id, attempt, from_state, to_state, reason, trigger_type, "
        + "operator, at) VALUES ", 10, "");
    insertHistory = new MultiRowInsert("INSERT INTO " + t.name("history") + " (run_id, seq, "
        + "node_id, action, operator, old_value, new_value, at) VALUES ", 8, "");
    updateStatus = "UPDATE " + status + " SET state = ?, started_at = ?, ended_at = ?, "
        + "owner = ?, lease_expires = ?, admitted = ?, transitions = ?, history = ?, "
        + "last_write = ?, version = version + 1 WHERE run_id = ?";
    updateCommandOutcome = "UPDATE " + t.name("commands") + " SET outcome = ?, "
        + "outcome_state = ?, outcome_message = ?, outcome_at = ? WHERE id = ? AND run_id = ? "
        + "AND outcome IS NULL";
    claimOne = "UPDATE " + status + " SET owner = ?, epoch = epoch + 1, lease_expires = ? "
        + "WHERE run_id = ? AND epoch = ? AND lease_expires <= ?";
    claimedEpoch = "SELECT epoch, state FROM " + status + " WHERE run_id = ?";
    renew = "UPDATE " + status + " SET lease_expires = ? WHERE run_id = ? AND owner = ? "
        + "AND epoch = ?";
    release = "UPDATE " + status + " SET owner = NULL, lease_expires = 0 WHERE run_id = ? "
        + "AND owner = ? AND epoch = ?";
    lease = "SELECT owner, epoch, lease_expires FROM " + status
        + " WHERE run_id = ? AND owner IS NOT NULL";
    insertCommand = "INSERT INTO " + t.name("commands") + " (" + COMMAND_COLUMNS
        + ") VALUES (?, ?, ?, ?, ?, ?, ?, NULL, NULL, NULL, NULL, NULL)";
    commandById = "SELECT " + COMMAND_COLUMNS + " FROM " + t.name("commands") + " WHERE id = ?";
    waitingCommandsOf = "SELECT c.id, c.run_id, c.kind, c.node_id, c.patch, c.operator, "
        + "c.created_at, c.taken_by, c.outcome, c.outcome_state, c.outcome_message, "
        + "c.outcome_at FROM " + t.name("commands") + " c JOIN " + status
        + " s ON s.run_id = c.run_id WHERE c.outcome IS NULL AND s.owner = ? "
        + "ORDER BY c.created_at, c.id";
    takeCommand = "UPDATE " + t.name("commands") + " SET taken_by = ? WHERE id = ? "
        + "AND outcome IS NULL";
    cancelCommand = "UPDATE " + t.name("commands") + " SET outcome = 'CANCELLED', "
        + "outcome_message = ?, outcome_at = ? WHERE id = ? AND outcome IS NULL "
        + "AND taken_by IS NULL";
    insertScope = switch (dialect) {
      case POSTGRESQL -> "INSERT INTO " + t.name("scopes")
          + " (scope_key) VALUES (?) ON CONFLICT DO NOTHING";
      case MARIADB -> "INSERT IGNORE INTO " + t.name("scopes") + " (scope_key) VALUES (?)";
      case H2 -> "MERGE INTO " + t.name("scopes") + " (scope_key) KEY (scope_key) VALUES (?)";
    };
    lockScope = "SELECT scope_key FROM " + t.name("scopes") + " WHERE scope_key = ? FOR UPDATE";
    placesTaken = "SELECT COUNT(*) FROM " + status + " WHERE scope_key = ? AND state IN "
        + UNFINISHED + " AND (admitted = TRUE OR state <> 'PENDING')";
    admitRun = "UPDATE " + status + " SET admitted = TRUE WHERE run_id = ?";
    heartbeat = upsert(t.name("engine_instances"), "id, host, started_at, heartbeat_at",
        List.of("id")).single();
    statusForAdmission = "SELECT epoch, owner, state, admitted, scope_key FROM " + status
        + " WHERE run_id = ? FOR UPDATE";
  }

  /** The database's clock, in epoch milliseconds, read on {@code c}. */
  long now(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(now); ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Whether claims lock their candidates and skip those another claim has locked. */
  boolean skipLocked() {
    return dialect != JdbcDialect.H2;
  }

  /**
   * Up to {@code ?} unfinished runs whose lease has expired at {@code ?} (a released or ended
   * run's is 0), oldest first; locked, skipping those another claim holds, where the database
   * can.
   */
  String freeRuns() {
    return "SELECT run_id, epoch FROM " + t.name("run_status") + " WHERE state IN " + UNFINISHED
        + " AND lease_expires <= ? ORDER BY created_at, run_id LIMIT ?"
        + (skipLocked() ? " FOR UPDATE SKIP LOCKED" : "");
  }

  /**
   * Up to {@code ?} ended runs that ended before {@code ?}, earliest first, locked: of {@code
   * project} when {@code byProject}, else of no project or one not among {@code otherThan}
   * projects ({@code ?} each).
   */
  String endedRuns(boolean byProject, int otherThan) {
    String which = byProject ? " AND r.project = ?" : otherThan == 0 ? ""
        : " AND (r.project IS NULL OR r.project NOT IN (" + marks(otherThan) + "))";
    return "SELECT r.id FROM " + t.name("runs") + " r JOIN " + t.name("run_status")
        + " s ON s.run_id = r.id WHERE s.state NOT IN " + UNFINISHED + " AND s.ended_at < ?"
        + " AND s.owner IS NULL" // not one an instance has claimed to re-open it
        + which + " ORDER BY s.ended_at, r.id LIMIT ? FOR UPDATE";
  }

  /** Deletes a run: its status, nodes, attempts, transitions, history, commands go with it. */
  String deleteRun() {
    return "DELETE FROM " + t.name("runs") + " WHERE id = ?";
  }

  /** The status rows of {@code n} runs, locked in id order (so that writers never deadlock). */
  String lockStatuses(int n) {
    return "SELECT run_id, state, started_at, ended_at, owner, epoch, lease_expires, admitted, "
        + "transitions, history, last_write FROM " + t.name("run_status")
        + " WHERE run_id IN ("
        + marks(n) + ") ORDER BY run_id FOR UPDATE";
  }

  /** The commands among {@code n} ids, locked. */
  String lockCommands(int n) {
    return "SELECT id, run_id, outcome FROM " + t.name("commands") + " WHERE id IN ("
        + marks(n) + ") ORDER BY id FOR UPDATE";
  }

  /** The count of, then a page of, the runs matching {@code where} (its own parameters). */
  String countRuns(String where) {
    return "SELECT COUNT(*) FROM " + t.name("runs") + " r JOIN " + t.name("run_status")
        + " s ON s.run_id = r.id" + where;
  }

  String pageOfRuns(String where) {
    return "SELECT " + SUMMARY_COLUMNS + " FROM " + t.name("runs") + " r JOIN "
        + t.name("run_status") + " s ON s.run_id = r.id" + where
        + " ORDER BY r.created_at DESC, r.id DESC LIMIT ? OFFSET ?";
  }

  /** The escape character of the start key prefix's LIKE pattern. */
  static final char LIKE_ESCAPE = '!';

  /** The condition on a start key prefix: {@code r.start_key LIKE ?} with its escape. */
  static String startKeyLike() {
    return "r.start_key LIKE ? ESCAPE '" + LIKE_ESCAPE + "'";
  }

  /** {@code prefix} as a LIKE pattern matching every key that starts with it. */
  static String likePrefix(String prefix) {
    StringBuilder b = new StringBuilder(prefix.length() + 8);
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c == '%' || c == '_' || c == LIKE_ESCAPE) {
        b.append(LIKE_ESCAPE);
      }
      b.append(c);
    }
    return b.append('%').toString();
  }

  /** An insert of rows that replaces the row of the same {@code key}, in the dialect's words. */
  private MultiRowInsert upsert(String table, String columns, List<String> key) {
    List<String> names = List.of(columns.split(", "));
    List<String> rest = names.stream().filter(c -> !key.contains(c)).toList();
    String insert = "INSERT INTO " + table + " (" + columns + ") VALUES ";
    return switch (dialect) {
      case POSTGRESQL -> new MultiRowInsert(insert, names.size(), " ON CONFLICT ("
          + String.join(", ", key) + ") DO UPDATE SET "
          + String.join(", ", rest.stream().map(c -> c + " = EXCLUDED." + c).toList()));
      case MARIADB -> new MultiRowInsert(insert, names.size(), " ON DUPLICATE KEY UPDATE "
          + String.join(", ", rest.stream().map(c -> c + " = VALUES(" + c + ")").toList()));
      case H2 -> new MultiRowInsert("MERGE INTO " + table + " (" + columns + ") KEY ("
          + String.join(", ", key) + ") VALUES ", names.size(), "");
    };
  }

  private static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }
}
