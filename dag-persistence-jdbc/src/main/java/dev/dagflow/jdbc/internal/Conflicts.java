package dev.dagflow.jdbc.internal;

import java.sql.SQLException;
import java.util.Set;

/**
 * Failures that say two transactions met, not that a statement is wrong: a deadlock, a
 * serialization failure, a lock that timed out, or H2's concurrent update. Trying the
 * transaction again may succeed.
 */
final class Conflicts {
  /** Serialization failure (40001) and PostgreSQL's deadlock (40P01). */
  private static final Set<String> STATES = Set.of("40001", "40P01");
  /** MariaDB: deadlock 1213, lock wait timeout 1205. H2: concurrent update, lock timeout. */
  private static final Set<Integer> CODES = Set.of(1213, 1205, 90131, 50200);

  private Conflicts() {}

  static boolean isConflict(SQLException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException next = s; next != null; next = next.getNextException()) {
          if (STATES.contains(next.getSQLState()) || CODES.contains(next.getErrorCode())) {
            return true;
          }
        }
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
