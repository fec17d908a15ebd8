package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EvaluatorBenchmarkTest {
  private static final int SIZE = 2_000; // two layers: the second waits on the first

  @ParameterizedTest
  @EnumSource(EvaluatorBenchmark.PlanMode.class)
  void aRunCompletesWithFourTransitionsPerNode(EvaluatorBenchmark.PlanMode mode) {
    EvaluatorBenchmark bench = benchmark(mode);
    bench.prepareSpec();

    assertThat(bench.runAll()).isEqualTo(Optional.of(RunState.COMPLETED));
    bench.verify(); // throws unless 4 transitions per node
  }

  @ParameterizedTest
  @EnumSource(EvaluatorBenchmark.PlanMode.class)
  void verificationRejectsAnIterationWithoutACompletedRun(EvaluatorBenchmark.PlanMode mode) {
    EvaluatorBenchmark bench = benchmark(mode);

    assertThatThrownBy(bench::verify)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not complete");
  }

  @Test
  void freshGivesANewEqualSpecAndCachedTheTemplate() {
    DagSpec template =
        DagSpec.builder("layered").nodes(LayeredDag.of(SIZE).nodeSpecs("noop")).build();

    assertThat(EvaluatorBenchmark.PlanMode.CACHED.specFor(template)).isSameAs(template);
    assertThat(EvaluatorBenchmark.PlanMode.FRESH.specFor(template))
        .isNotSameAs(template)
        .isEqualTo(template);
  }

  private static EvaluatorBenchmark benchmark(EvaluatorBenchmark.PlanMode mode) {
    EvaluatorBenchmark bench = new EvaluatorBenchmark();
    bench.n = SIZE;
    bench.plan = mode;
    bench.setUp();
    return bench;
  }
}
