package dev.dagflow.jdbc.internal;

import dev.dagflow.jdbc.testing.TestDatabase;
import org.junit.jupiter.api.extension.RegisterExtension;

class H2MemoryManyRowsWriteTest extends ManyRowsWriteTest {
  @RegisterExtension
  static final TestDatabase DB = TestDatabase.of(TestDatabase.Kind.H2_MEMORY);

  @Override
  TestDatabase database() {
    return DB;
  }
}
