package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2MemoryLeaseLockOrderTest extends LeaseLockOrderTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.H2_MEMORY);

  @Override
  TestDatabase database() {
    return DB;
  }

  @Override
  String lockWaitsQuery() {
    return "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS WHERE BLOCKER_ID IS NOT NULL";
  }
}
