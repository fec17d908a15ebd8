package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.engine.RunView;
import dev.dagflow.state.RunState;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EngineThroughputBenchmarkTest {
  private static final int SIZE = 1_000; // layered-100: ten layers, the later wait on the earlier

  static Stream<Arguments> peersAndShapes() {
    return Stream.of(EngineThroughputBenchmark.Impl.values())
        .flatMap(impl -> Stream.of(DagShape.values()).map(shape -> Arguments.of(impl, shape)));
  }

  @ParameterizedTest
  @MethodSource("peersAndShapes")
  void everyPeerRunsEveryNodeOfEveryShape(EngineThroughputBenchmark.Impl impl, DagShape shape)
      throws Exception {
    EngineThroughputBenchmark.VersusDexecutor state =
        new EngineThroughputBenchmark.VersusDexecutor();
    state.shape = shape;
    state.n = SIZE;
    state.impl = impl;
    state.setUp();
    try {
      for (int iteration = 0; iteration < 2; iteration++) { // the second on a fresh engine
        state.startIteration();
        state.prepareRun();
        Object result = state.run();

        assertThat(state.peer.executed(result)).isEqualTo(SIZE);
        state.verify(); // throws unless the last run ran every node
      }
    } finally {
      state.tearDown();
    }
  }

  @Test
  void dagflowCompletesTheRunAndEveryNode() throws Exception {
    EngineThroughputBenchmark.Peer peer =
        EngineThroughputBenchmark.Impl.DAGFLOW.create(DagShape.LAYERED_100.of(SIZE));
    try {
      peer.startIteration();
      RunView view = (RunView) peer.run();

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.nodes()).hasSize(SIZE);
    } finally {
      peer.close();
    }
  }

  @Test
  void dexecutorRefusesAPathLongerThanItsRecursiveCycleCheckSurvives() {
    int tooLong = EngineThroughputBenchmark.DexecutorPeer.MAX_PATH + 1;

    assertThatThrownBy(() -> EngineThroughputBenchmark.Impl.DEXECUTOR
        .create(DagShape.CHAIN.of(tooLong)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("path of " + tooLong);
    EngineThroughputBenchmark.Impl.DEXECUTOR
        .create(DagShape.CHAIN.of(tooLong - 1)).close(); // the longest accepted
  }

  @Test
  void dexecutorRefusesAJoinOfMoreParentsThanItRunsInSeconds() {
    int parents = EngineThroughputBenchmark.DexecutorPeer.MAX_IN_DEGREE + 1;

    assertThatThrownBy(() -> EngineThroughputBenchmark.Impl.DEXECUTOR
        .create(DagShape.FAN_OUT_IN.of(parents + 2)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("with " + parents + " parents");
    EngineThroughputBenchmark.Impl.DEXECUTOR.create(DagShape.LAYERED_100.of(10_000)).close();
  }

  @Test
  void verificationRejectsAnIterationWithoutARun() {
    EngineThroughputBenchmark.Scaling state = new EngineThroughputBenchmark.Scaling();
    state.shape = DagShape.CHAIN;
    state.n = SIZE;
    state.impl = EngineThroughputBenchmark.Impl.CF_GRAPH;
    state.setUp();
    try {
      state.startIteration();

      assertThatThrownBy(state::verify)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ran 0 of " + SIZE + " CHAIN");
    } finally {
      state.tearDown();
    }
  }
}
