package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.engine.RunView;
import dev.dagflow.state.RunState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class EngineThroughputBenchmarkTest {
  private static final int SIZE = 3_000; // three layers: the later ones wait on the earlier

  @ParameterizedTest
  @EnumSource(EngineThroughputBenchmark.Impl.class)
  void everyPeerRunsEveryNodeOfTheGraph(EngineThroughputBenchmark.Impl impl) throws Exception {
    EngineThroughputBenchmark.VersusDexecutor state = new EngineThroughputBenchmark.VersusDexecutor();
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
        EngineThroughputBenchmark.Impl.DAGFLOW.create(LayeredDag.of(SIZE));
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
  void verificationRejectsAnIterationWithoutARun() {
    EngineThroughputBenchmark.Scaling state = new EngineThroughputBenchmark.Scaling();
    state.n = SIZE;
    state.impl = EngineThroughputBenchmark.Impl.FLOOR;
    state.setUp();
    try {
      state.startIteration();

      assertThatThrownBy(state::verify)
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("ran 0 of " + SIZE);
    } finally {
      state.tearDown();
    }
  }
}
