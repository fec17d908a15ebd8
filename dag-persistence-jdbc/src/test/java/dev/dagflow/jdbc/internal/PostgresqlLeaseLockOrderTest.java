package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class PostgresqlLeaseLockOrderTest extends LeaseLockOrderTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.POSTGRESQL);

  @Override
  TestDatabase database() {
    return DB;
  }

  @Override
  String lockWaitsQuery() {
    return "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'";
  }
}
