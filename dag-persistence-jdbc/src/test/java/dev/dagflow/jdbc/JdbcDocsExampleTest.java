package dev.dagflow.jdbc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.store.Stores;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/** The example of docs/jdbc.md, compiled and run on H2 (its URL and credentials aside). */
class JdbcDocsExampleTest {
  @Test
  void theExampleOfTheDocsMigratesTheSchema() throws Exception {
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl("jdbc:h2:mem:docs-example");
    pool.setUsername("sa");
    pool.setPassword("");
    pool.setMaximumPoolSize(10);
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      // the run store is not written yet: build() migrates, then says so
      assertThatThrownBy(() -> example(dataSource))
          .isInstanceOf(UnsupportedOperationException.class)
          .hasMessageContaining("not written yet");

      try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SELECT MAX(version) FROM wf_schema_version")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  private static void example(HikariDataSource dataSource) {
    Stores stores = JdbcStores.builder(dataSource)
        .tablePrefix("wf_")          // default "dagflow_"
        .build();                    // detects the dialect, migrates the schema
    try (DagEngine engine = DagEngine.builder().stores(stores).build()) {
      engine.start();                // recovers the unfinished runs of the database
    }
  }
}
