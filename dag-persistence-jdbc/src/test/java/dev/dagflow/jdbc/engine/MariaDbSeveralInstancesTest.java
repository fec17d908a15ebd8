package dev.dagflow.jdbc.engine;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbSeveralInstancesTest extends SeveralInstancesTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.MARIADB);

  @Override
  TestDatabase database() {
    return DB;
  }
}
