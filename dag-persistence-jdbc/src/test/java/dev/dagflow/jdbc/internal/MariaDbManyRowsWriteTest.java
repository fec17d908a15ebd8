package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbManyRowsWriteTest extends ManyRowsWriteTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.MARIADB);

  @Override
  TestDatabase database() {
    return DB;
  }
}
