package dev.dagflow.state;

import static dev.dagflow.state.NodeState.COMPLETED;
import static dev.dagflow.state.NodeState.FAILED;
import static dev.dagflow.state.NodeState.INITIALIZING;
import static dev.dagflow.state.NodeState.PENDING;
import static dev.dagflow.state.NodeState.READY;
import static dev.dagflow.state.NodeState.RUNNING;
import static dev.dagflow.state.NodeState.SKIPPED;
import static dev.dagflow.state.NodeState.STOPPED;
import static dev.dagflow.state.NodeState.TIMED_OUT;
import static dev.dagflow.state.NodeState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.NodeKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every (from, to) pair of node states, for tasks and containers: the table of docs/concepts.md. */
class NodeTransitionTableTest {

  /** The legal transitions, written out independently of the implementation. */
  private static final Set<String> TASK = Set.of(
      "PENDING>WAITING", "WAITING>READY", "WAITING>SKIPPED", "READY>RUNNING",
      "RUNNING>COMPLETED", "RUNNING>FAILED", "RUNNING>TIMED_OUT", "RUNNING>WAITING",
      "PENDING>STOPPED", "WAITING>STOPPED", "READY>STOPPED", "RUNNING>STOPPED",
      "STOPPED>WAITING", "FAILED>WAITING", "TIMED_OUT>WAITING", "SKIPPED>WAITING");
  private static final Set<String> CONTAINER = Set.of(
      "PENDING>WAITING", "WAITING>READY", "WAITING>SKIPPED", "READY>INITIALIZING",
      "INITIALIZING>RUNNING", "INITIALIZING>FAILED", "RUNNING>COMPLETED", "RUNNING>FAILED",
      "PENDING>STOPPED", "WAITING>STOPPED", "READY>STOPPED", "INITIALIZING>STOPPED",
      "RUNNING>STOPPED", "STOPPED>WAITING", "FAILED>WAITING", "SKIPPED>WAITING");

  static Stream<Arguments> everyPair() {
    List<Arguments> pairs = new ArrayList<>();
    for (NodeKind kind : NodeKind.values()) {
      for (NodeState from : NodeState.values()) {
        for (NodeState to : NodeState.values()) {
          Set<String> table = kind == NodeKind.TASK ? TASK : CONTAINER;
          pairs.add(Arguments.of(kind, from, to, table.contains(from + ">" + to)));
        }
      }
    }
    return pairs.stream();
  }

  @ParameterizedTest(name = "{0} {1} -> {2}: legal={3}")
  @MethodSource("everyPair")
  void onlyTheTransitionsOfTheTableAreLegal(NodeKind kind, NodeState from, NodeState to,
      boolean legal) {
    assertThat(NodeTransitions.isLegal(kind, from, to)).isEqualTo(legal);
    if (legal) {
      assertThatCode(() -> NodeTransitions.check(kind, "n1", from, to)).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> NodeTransitions.check(kind, "n1", from, to))
          .isInstanceOfSatisfying(IllegalTransitionException.class, e -> {
            assertThat(e.nodeId()).contains("n1");
            assertThat(e.from()).isEqualTo(from);
            assertThat(e.to()).isEqualTo(to);
            assertThat(e).hasMessage("node 'n1': illegal transition " + from + " -> " + to);
          });
    }
  }

  @ParameterizedTest
  @MethodSource("everyPair")
  void terminalStatesAreTheLastFive(NodeKind kind, NodeState from, NodeState to, boolean legal) {
    assertThat(from.isTerminal()).isEqualTo(
        Set.of(COMPLETED, FAILED, TIMED_OUT, STOPPED, SKIPPED).contains(from));
    assertThat(Set.of(PENDING, WAITING, READY, INITIALIZING, RUNNING).contains(from))
        .isNotEqualTo(from.isTerminal());
  }
}
