package dev.dagflow.jdbc.internal;

/** The statements of {@link JdbcTemplateStore}: the same on every dialect. Immutable. */
final class TemplateSql {
  private static final String COLUMNS = "name, version, project, spec, created_at";

  final String lockFirst;
  final String latest;
  final String get;
  final String versions;
  final String list;
  final String insert;
  final String delete;

  TemplateSql(Tables tables) {
    String t = tables.name("templates");
    lockFirst = "SELECT version FROM " + t + " WHERE name = ? AND version = 1 FOR UPDATE";
    latest = "SELECT " + COLUMNS + " FROM " + t + " WHERE name = ? ORDER BY version DESC LIMIT 1";
    get = "SELECT " + COLUMNS + " FROM " + t + " WHERE name = ? AND version = ?";
    versions = "SELECT " + COLUMNS + " FROM " + t + " WHERE name = ? ORDER BY version";
    list = "SELECT t.name, t.version, t.project, t.spec, t.created_at FROM " + t + " t"
        + " JOIN (SELECT name, MAX(version) AS version FROM " + t + " GROUP BY name) m"
        + " ON t.name = m.name AND t.version = m.version ORDER BY t.name";
    insert = "INSERT INTO " + t + " (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)";
    delete = "DELETE FROM " + t + " WHERE name = ?";
  }
}
