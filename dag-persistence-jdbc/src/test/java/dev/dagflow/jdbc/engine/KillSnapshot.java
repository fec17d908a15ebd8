package dev.dagflow.jdbc.engine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.Set;
import javax.sql.DataSource;

/**
 * What the store held of a killed engine's runs just after the kill, read in one statement (one
 * snapshot) before anybody took them over: the unfinished runs it owned, and the attempts of
 * those runs stored RUNNING, by idempotency key. Reads dagflow's tables (default prefix)
 * directly, as the store has no query for either. Immutable.
 *
 * @param millis how long the read took, to show it was done before a takeover could start
 */
record KillSnapshot(Set<String> owned, Set<String> running, long millis) {
  static KillSnapshot take(DataSource dataSource, String owner) throws SQLException {
    long start = System.nanoTime();
    Set<String> owned = new LinkedHashSet<>();
    Set<String> running = new LinkedHashSet<>();
    try (Connection c = dataSource.getConnection(); PreparedStatement st = c.prepareStatement(
        "SELECT s.run_id, a.node_id, a.attempt FROM dagflow_run_status s "
            + "LEFT JOIN dagflow_attempts a ON a.run_id = s.run_id AND a.outcome = 'RUNNING' "
            + "WHERE s.owner = ? AND s.state IN ('PENDING', 'RUNNING', 'PAUSED')")) {
      st.setString(1, owner);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          owned.add(rs.getString(1));
          if (rs.getString(2) != null) {
            running.add(rs.getString(1) + ":" + rs.getString(2) + ":" + rs.getInt(3));
          }
        }
      }
    }
    return new KillSnapshot(Set.copyOf(owned), Set.copyOf(running),
        (System.nanoTime() - start) / 1_000_000);
  }
}
