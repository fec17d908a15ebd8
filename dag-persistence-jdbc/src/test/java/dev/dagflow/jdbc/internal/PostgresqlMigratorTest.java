package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresqlMigratorTest extends MigratorTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.empty(TestDatabase.Kind.POSTGRESQL);

  @Override
  TestDatabase database() {
    return DB;
  }
}
