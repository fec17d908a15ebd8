package dev.dagflow.jdbc.internal;

/** The statements of {@link JdbcPolicyStore}: the same on every dialect. Immutable. */
final class PolicySql {
  final String lockProject;
  final String lockGlobal;
  final String clearDefault;
  final String lock;
  final String update;
  final String insert;
  final String get;
  final String defaultFor;
  final String list;
  final String delete;

  PolicySql(Tables tables) {
    String t = tables.name("policies");
    lockProject = "SELECT name FROM " + t + " WHERE project = ? FOR UPDATE";
    lockGlobal = "SELECT name FROM " + t + " WHERE project IS NULL FOR UPDATE";
    clearDefault = "UPDATE " + t + " SET default_of = NULL WHERE default_of = ? AND name <> ?";
    lock = "SELECT name FROM " + t + " WHERE name = ? FOR UPDATE";
    update = "UPDATE " + t + " SET project = ?, default_of = ?, policy = ? WHERE name = ?";
    insert = "INSERT INTO " + t + " (project, default_of, policy, name) VALUES (?, ?, ?, ?)";
    get = "SELECT policy, default_of FROM " + t + " WHERE name = ?";
    defaultFor = "SELECT policy, default_of FROM " + t + " WHERE default_of = ?";
    list = "SELECT policy, default_of FROM " + t + " ORDER BY name";
    delete = "DELETE FROM " + t + " WHERE name = ?";
  }
}
