package dev.dagflow.jdbc.engine;

import dev.dagflow.jdbc.testing.DatabaseSettings;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import org.junit.jupiter.api.io.TempDir;

/**
 * The crash on a file H2 database, which the child opens first, embedded, as a host would:
 * H2's automatic mixed mode ({@code AUTO_SERVER=TRUE}) lets the test JVM read it meanwhile,
 * through the server the child's H2 runs; once the child is dead the test JVM opens the file
 * itself. The child's H2 dies with it, so what it had not yet written to the file (H2 writes
 * committed changes at most {@code WRITE_DELAY}, 500 ms, later) is lost with it: the store and
 * the test's table, in the same database, lose the same last moments.
 */
class H2FileCrashRecoveryTest extends CrashRecoveryTest {
  @TempDir
  Path directory;

  @Override
  DatabaseSettings prepare() throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("dagflow") + ";AUTO_SERVER=TRUE";
    // closed at once, and the database with it: the child opens it next, and holds it
    try (Connection c = DriverManager.getConnection(url)) {
      ExecutionTable.create(c);
    }
    return DatabaseSettings.of(url);
  }
}
