package dev.dagflow.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.jdbc.JdbcDialect;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The product names of the drivers' metadata, and a few it must not take for them. */
class DialectDetectionTest {
  @ParameterizedTest
  @CsvSource({"H2, H2", "PostgreSQL, POSTGRESQL", "MariaDB, MARIADB", "MySQL, MARIADB",
      "mariadb, MARIADB"})
  void aKnownProductNameGivesItsDialect(String product, JdbcDialect dialect) {
    assertThat(Dialect.detect(product)).contains(dialect);
    assertThat(Dialect.of(dialect).kind()).isEqualTo(dialect);
  }

  @ParameterizedTest
  @CsvSource({"Oracle", "Microsoft SQL Server", "HSQL Database Engine", "Apache Derby", "''"})
  void anUnknownProductNameGivesNone(String product) {
    assertThat(Dialect.detect(product)).isEqualTo(Optional.empty());
  }
}
