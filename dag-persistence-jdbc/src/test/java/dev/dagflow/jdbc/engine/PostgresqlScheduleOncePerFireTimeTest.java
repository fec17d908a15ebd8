package dev.dagflow.jdbc.engine;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresqlScheduleOncePerFireTimeTest extends ScheduleOncePerFireTimeTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.POSTGRESQL);

  @Override
  TestDatabase database() {
    return DB;
  }
}
