package dev.dagflow.jdbc.engine;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2MemoryScheduleOncePerFireTimeTest extends ScheduleOncePerFireTimeTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.H2_MEMORY);

  @Override
  TestDatabase database() {
    return DB;
  }
}
