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
 * itself. The child's H2 dies with it. By default H2 writes committed changes to the file up to
 * {@code WRITE_DELAY} (500 ms) later, and a kill loses those: here 5 to 95 of some 2,500
 * executions on record, with the store's writes of the same moments, so an attempt stored
 * RUNNING and executed in them could run again under its key, unseen. The database is opened
 * with {@code WRITE_DELAY=0} (each commit written at once), as a host that needs the engine's
 * guarantees across crashes of its process must, so that the test sees every execution.
 */
class H2FileCrashRecoveryTest extends CrashRecoveryTest {
  @TempDir
  Path directory;

  @Override
  DatabaseSettings prepare() throws Exception {
    String url = "jdbc:h2:file:" + directory.resolve("dagflow") + ";AUTO_SERVER=TRUE;WRITE_DELAY=0";
    // closed at once, and the database with it: the child opens it next, and holds it
    try (Connection c = DriverManager.getConnection(url)) {
      ExecutionTable.create(c);
    }
    return DatabaseSettings.of(url);
  }
}
