package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.JdbcDialect;

/**
 * The statements of {@link JdbcTriggerStore}. One differs by dialect: on PostgreSQL a processed
 * event id already recorded is skipped with {@code ON CONFLICT DO NOTHING}, so that the server
 * logs no error for an event delivered twice; elsewhere the store catches the unique key's
 * breach ({@code INSERT IGNORE} of MariaDB would hide a foreign key's breach, an unknown trigger,
 * as well). Immutable.
 */
final class TriggerSql {
  private static final String COUNTERS = "total, succeeded, failed, last_fired, last_error";
  private static final String LAST_FIRED =
      "last_fired = CASE WHEN last_fired IS NULL OR last_fired < ? THEN ? ELSE last_fired END";

  final String lock;
  final String insert;
  final String update;
  final String get;
  final String list;
  final String listProject;
  final String listGlobal;
  final String delete;
  final String counters;
  final String recordSuccess;
  final String recordFailure;
  final String markProcessed;
  /** Whether {@link #markProcessed} skips a pair recorded already, rather than failing. */
  final boolean markSkipsDuplicates;
  final String isProcessed;
  final String queued;
  final String queueUpdate;
  final String queueInsert;
  final String unqueue;
  final String withQueued;
  final String oldestProcessed;
  final String forgetProcessed;

  TriggerSql(Tables tables, Dialect dialect) {
    String t = tables.name("triggers");
    String events = tables.name("trigger_events");
    String queue = tables.name("trigger_queue");
    lock = "SELECT id FROM " + t + " WHERE id = ? FOR UPDATE";
    insert = "INSERT INTO " + t + " (project, definition, id, total, succeeded, failed)"
        + " VALUES (?, ?, ?, 0, 0, 0)";
    update = "UPDATE " + t + " SET project = ?, definition = ? WHERE id = ?";
    get = "SELECT definition FROM " + t + " WHERE id = ?";
    list = "SELECT definition FROM " + t + " ORDER BY id";
    listProject = "SELECT definition FROM " + t + " WHERE project = ? ORDER BY id";
    listGlobal = "SELECT definition FROM " + t + " WHERE project IS NULL ORDER BY id";
    delete = "DELETE FROM " + t + " WHERE id = ?";
    counters = "SELECT " + COUNTERS + " FROM " + t + " WHERE id = ?";
    recordSuccess = "UPDATE " + t + " SET total = total + 1, succeeded = succeeded + 1, "
        + LAST_FIRED + " WHERE id = ?";
    recordFailure = "UPDATE " + t + " SET total = total + 1, failed = failed + 1, "
        + LAST_FIRED + ", last_error = ? WHERE id = ?";
    String mark = "INSERT INTO " + events + " (trigger_id, event_id, processed_at) VALUES (?, ?, "
        + dialect.nowMillis() + ")";
    markSkipsDuplicates = dialect.kind() == JdbcDialect.POSTGRESQL;
    markProcessed = markSkipsDuplicates ? mark + " ON CONFLICT (trigger_id, event_id) DO NOTHING"
        : mark;
    isProcessed = "SELECT t.id, e.event_id FROM " + t + " t LEFT JOIN " + events + " e"
        + " ON e.trigger_id = t.id AND e.event_id = ? WHERE t.id = ?";
    queued = "SELECT event FROM " + queue + " WHERE trigger_id = ?";
    queueUpdate = "UPDATE " + queue + " SET event_id = ?, event = ?, queued_at = "
        + dialect.nowMillis() + " WHERE trigger_id = ?";
    queueInsert = "INSERT INTO " + queue + " (event_id, event, queued_at, trigger_id)"
        + " VALUES (?, ?, " + dialect.nowMillis() + ", ?)";
    unqueue = "DELETE FROM " + queue + " WHERE trigger_id = ? AND event_id = ?";
    withQueued = "SELECT trigger_id FROM " + queue + " ORDER BY trigger_id";
    oldestProcessed = "SELECT trigger_id, event_id FROM " + events + " WHERE processed_at < ?"
        + " ORDER BY processed_at, trigger_id, event_id LIMIT ?";
    forgetProcessed = "DELETE FROM " + events + " WHERE trigger_id = ? AND event_id = ?";
  }
}
