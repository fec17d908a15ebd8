package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresqlManyRowsWriteTest extends ManyRowsWriteTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.POSTGRESQL);

  @Override
  TestDatabase database() {
    return DB;
  }
}
