package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class MariaDbLeaseLockOrderTest extends LeaseLockOrderTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.MARIADB);

  @Override
  TestDatabase database() {
    return DB;
  }

  @Override
  String lockWaitsQuery() {
    return "SELECT COUNT(*) FROM information_schema.innodb_trx WHERE trx_state = 'LOCK WAIT'";
  }
}
