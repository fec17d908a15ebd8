package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One small operation of every {@code @Param} combination of {@link JdbcEngineBenchmark}, through
 * the same lifecycle JMH drives, so that the benchmark cannot rot. H2 always runs; PostgreSQL and
 * MariaDB need their servers (see {@link BenchDatabase}): without one the case is skipped, unless
 * the environment sets {@code CI=true}, when it fails.
 */
class JdbcEngineBenchmarkTest {
  private static final int RUNS = 2; // 200 nodes or executions

  static List<Arguments> combinations() {
    List<Arguments> all = new ArrayList<>();
    for (BenchDatabase database : BenchDatabase.values()) {
      for (JdbcEngineBenchmark.Impl impl : JdbcEngineBenchmark.Impl.values()) {
        all.add(Arguments.of(database, impl));
      }
    }
    return all;
  }

  @ParameterizedTest(name = "{1} on {0}")
  @MethodSource("combinations")
  void anOperationRunsAllItsWorkAndCountsItsCommits(BenchDatabase database,
      JdbcEngineBenchmark.Impl impl) throws Exception {
    JdbcEngineBenchmark.Trial trial = trial(database, impl);
    trial.checkServer();
    for (int iteration = 0; iteration < 2; iteration++) { // the second on a fresh space
      trial.prepare();
      trial.run();
      trial.finish(); // throws unless every node or execution completed

      assertThat(trial.units).isEqualTo(RUNS * JdbcEngineBenchmark.NODES_PER_RUN);
      if (database == BenchDatabase.POSTGRESQL) {
        // at least the commits of the work itself: dagflow's batches, db-scheduler's deletes
        assertThat(trial.commits).isGreaterThan(impl == JdbcEngineBenchmark.Impl.DB_SCHEDULER
            ? trial.units : 1.0);
      } else {
        assertThat(trial.commits).isNaN();
      }
    }
  }

  @Test
  void anIterationWithoutAnOperationFails() {
    JdbcEngineBenchmark.Trial trial = trial(BenchDatabase.H2, JdbcEngineBenchmark.Impl.DAGFLOW);
    trial.prepare();

    assertThatThrownBy(trial::finish)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("no operation ran");
  }

  @Test
  void urlsKeepTheirParametersWhenTheDatabaseIsReplaced() {
    System.setProperty("dagflow.test.mariadb.url", "jdbc:mariadb://db.example:3307/main?x=1");
    try {
      assertThat(BenchDatabase.MARIADB.withDatabase("other"))
          .isEqualTo("jdbc:mariadb://db.example:3307/other?x=1");
    } finally {
      System.clearProperty("dagflow.test.mariadb.url");
    }
  }

  private static JdbcEngineBenchmark.Trial trial(BenchDatabase database,
      JdbcEngineBenchmark.Impl impl) {
    String problem = database.problem();
    if (!problem.isEmpty()) {
      String message = database + " at " + database.url() + " does not answer (" + problem
          + "); set " + database.propertyName("url") + " (see BenchDatabase)";
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        throw new IllegalStateException(message + "; CI=true, so this fails the build");
      }
      Assumptions.abort(message);
    }
    JdbcEngineBenchmark.Trial trial = new JdbcEngineBenchmark.Trial();
    trial.database = database;
    trial.impl = impl;
    trial.runs = RUNS;
    return trial;
  }
}
