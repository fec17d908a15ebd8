package dev.dagflow.jdbc.engine;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbScheduleOncePerFireTimeTest extends ScheduleOncePerFireTimeTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.MARIADB);

  @Override
  TestDatabase database() {
    return DB;
  }
}
