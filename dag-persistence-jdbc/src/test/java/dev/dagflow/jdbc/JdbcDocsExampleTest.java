package dev.dagflow.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.internal.Migrator;
import dev.dagflow.store.Stores;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/jdbc.md, compiled here and run on H2 (dag-core's {@code DocsExamplesTest}
 * checks that the page shows this region).
 */
class JdbcDocsExampleTest {
  private static final String URL = "jdbc:h2:mem:docs-example;DB_CLOSE_DELAY=-1";

  @Test
  void theExampleOfTheDocsMigratesTheSchemaAndStartsAnEngine() throws Exception {
    example(URL, "sa", "");

    try (Connection c = DriverManager.getConnection(URL, "sa", "");
        Statement st = c.createStatement()) {
      try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM wf_schema_version")) {
        assertThat(rs.next()).isTrue();
        assertThat(rs.getInt(1)).isEqualTo(Migrator.newestVersion());
      }
      st.execute("SHUTDOWN");
    }
  }

  private static void example(String url, String user, String password) {
    // docs:start docs/jdbc.md "Using it"
    HikariConfig pool = new HikariConfig();
    pool.setJdbcUrl(url);                  // "jdbc:postgresql://db.local:5432/app"
    pool.setUsername(user);
    pool.setPassword(password);
    pool.setMaximumPoolSize(10);
    try (HikariDataSource dataSource = new HikariDataSource(pool)) {
      Stores stores = JdbcStores.builder(dataSource)
          .tablePrefix("wf_")              // default "dagflow_"
          .build();                        // detects the dialect, migrates the schema
      try (DagEngine engine = DagEngine.builder().stores(stores).build()) {
        engine.start();                    // recovers the unfinished runs of the database
        // ...
      }
    }
    // docs:end
  }
}
