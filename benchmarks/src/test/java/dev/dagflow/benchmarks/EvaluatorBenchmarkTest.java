package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class EvaluatorBenchmarkTest {
  private static final int SIZE = 2_000; // layered-1000: two layers, the second on the first

  static Stream<Arguments> modesAndShapes() {
    return Stream.of(EvaluatorBenchmark.PlanMode.values())
        .flatMap(mode -> Stream.of(DagShape.values()).map(shape -> Arguments.of(mode, shape)));
  }

  @ParameterizedTest
  @MethodSource("modesAndShapes")
  void aRunCompletesWithFourTransitionsPerNode(EvaluatorBenchmark.PlanMode mode, DagShape shape) {
    EvaluatorBenchmark bench = benchmark(mode, shape);
    bench.prepareSpec();

    assertThat(bench.runAll()).isEqualTo(Optional.of(RunState.COMPLETED));
    bench.verify(); // throws unless 4 transitions per node
  }

  @ParameterizedTest
  @EnumSource(EvaluatorBenchmark.PlanMode.class)
  void verificationRejectsAnIterationWithoutACompletedRun(EvaluatorBenchmark.PlanMode mode) {
    EvaluatorBenchmark bench = benchmark(mode, DagShape.LAYERED_1000);

    assertThatThrownBy(bench::verify)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not complete");
  }

  @Test
  void freshGivesANewEqualSpecAndCachedTheTemplate() {
    DagSpec template =
        DagSpec.builder("bench").nodes(DagShape.LAYERED_100.of(SIZE).nodeSpecs("noop")).build();

    assertThat(EvaluatorBenchmark.PlanMode.CACHED.specFor(template)).isSameAs(template);
    assertThat(EvaluatorBenchmark.PlanMode.FRESH.specFor(template))
        .isNotSameAs(template)
        .isEqualTo(template);
  }

  private static EvaluatorBenchmark benchmark(EvaluatorBenchmark.PlanMode mode, DagShape shape) {
    EvaluatorBenchmark bench = new EvaluatorBenchmark();
    bench.shape = shape;
    bench.n = SIZE;
    bench.plan = mode;
    bench.setUp();
    return bench;
  }
}
