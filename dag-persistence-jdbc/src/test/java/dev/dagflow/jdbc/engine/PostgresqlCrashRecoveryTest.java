package dev.dagflow.jdbc.engine;

import dev.dagflow.jdbc.testing.DatabaseSettings;
import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresqlCrashRecoveryTest extends CrashRecoveryTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.POSTGRESQL);

  @Override
  DatabaseSettings prepare() throws Exception {
    DB.clear();
    ExecutionTable.drop(DB.dataSource());
    ExecutionTable.create(DB.dataSource());
    return DB.settings();
  }
}
