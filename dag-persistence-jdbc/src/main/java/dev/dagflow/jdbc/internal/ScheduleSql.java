package dev.dagflow.jdbc.internal;

/**
 * The statements of {@link JdbcScheduleStore}, the same in every dialect. A count raises one
 * column in one UPDATE; a skip or a failure counts only while the fire time is later than the
 * cursor ({@code handled_until}), which that UPDATE moves, so that of several engines counting
 * one fire time one row changes. Immutable.
 */
final class ScheduleSql {
  private static final String LATER = " = CASE WHEN %1$s IS NULL OR %1$s < ? THEN ? ELSE %1$s END";
  private static final String LAST_FIRE = "last_fire" + LATER.formatted("last_fire");
  private static final String HANDLED = "handled_until" + LATER.formatted("handled_until");

  final String lock;
  final String insert;
  final String update;
  final String get;
  final String list;
  final String listProject;
  final String listGlobal;
  final String delete;
  final String state;
  final String cursor;
  final String recordFired;
  final String recordSkipped;
  final String recordFailed;
  final String handled;
  final String nextFire;

  ScheduleSql(Tables tables) {
    String t = tables.name("schedules");
    lock = "SELECT id FROM " + t + " WHERE id = ? FOR UPDATE";
    insert = "INSERT INTO " + t + " (project, definition, id, fired, skipped, failed)"
        + " VALUES (?, ?, ?, 0, 0, 0)";
    update = "UPDATE " + t + " SET project = ?, definition = ? WHERE id = ?";
    get = "SELECT definition FROM " + t + " WHERE id = ?";
    list = "SELECT definition FROM " + t + " ORDER BY id";
    listProject = "SELECT definition FROM " + t + " WHERE project = ? ORDER BY id";
    listGlobal = "SELECT definition FROM " + t + " WHERE project IS NULL ORDER BY id";
    delete = "DELETE FROM " + t + " WHERE id = ?";
    state = "SELECT fired, skipped, failed, last_fire, next_fire, last_error FROM " + t
        + " WHERE id = ?";
    cursor = "SELECT handled_until FROM " + t + " WHERE id = ?";
    // parameters: the fire time four times, then the id
    recordFired = "UPDATE " + t + " SET fired = fired + 1, " + LAST_FIRE + ", " + HANDLED
        + " WHERE id = ?";
    // parameters: the fire time three times, [the error,] the id, the fire time
    String unlessHandled = " WHERE id = ? AND (handled_until IS NULL OR handled_until < ?)";
    recordSkipped = "UPDATE " + t + " SET skipped = skipped + 1, " + LAST_FIRE
        + ", handled_until = ?" + unlessHandled;
    recordFailed = "UPDATE " + t + " SET failed = failed + 1, " + LAST_FIRE
        + ", handled_until = ?, last_error = ?" + unlessHandled;
    handled = "UPDATE " + t + " SET " + HANDLED + " WHERE id = ?";
    nextFire = "UPDATE " + t + " SET next_fire = ? WHERE id = ?";
  }
}
