package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2MemoryMigratorTest extends MigratorTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.empty(TestDatabase.Kind.H2_MEMORY);

  @Override
  TestDatabase database() {
    return DB;
  }
}
