package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2FileMigratorTest extends MigratorTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.empty(TestDatabase.Kind.H2_FILE);

  @Override
  TestDatabase database() {
    return DB;
  }
}
