package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Every change is recorded and told to listeners in order; runs can be listed and paged. */
class AuditTrailTest {

  @Test
  void listenersSeeEveryTransitionInTheOrderStored() {
    List<StateTransition> seen = new CopyOnWriteArrayList<>();
    List<RunStateChange> lifecycle = new CopyOnWriteArrayList<>();
    EngineListener listener = new EngineListener() {
      @Override
      public void onTransition(StateTransition t) {
        seen.add(t);
      }

      @Override
      public void onRunStateChange(RunStateChange change) {
        lifecycle.add(change);
      }
    };
    try (Harness h = new Harness(b -> b.listener(listener), "t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      DagSpec spec = DagSpec.builder("fan").node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "t").dependsOn("a"))
          .node(NodeSpec.task("c", "t").dependsOn("a"))
          .node(NodeSpec.task("d", "t").dependsOn("b", "c")).build();
      String run = h.submit(spec);
      h.await(run);

      List<StateTransition> stored = h.engine.transitions(run);
      assertThat(stored).hasSize(4 * 4);
      assertThat(seen).containsExactlyElementsOf(stored);
      assertThat(stored).allSatisfy(t -> assertThat(t.time()).isEqualTo(Harness.T0));
      assertThat(stored).filteredOn(t -> t.to() == NodeState.RUNNING)
          .allSatisfy(t -> assertThat(t.attempt()).isEqualTo(1));
      assertThat(lifecycle).extracting(c -> c.from().map(Enum::name).orElse("-") + ">" + c.to())
          .containsExactly("->PENDING", "PENDING>RUNNING", "RUNNING>COMPLETED");
    }
  }

  @Test
  void transitionsAreReadOnFromWhereAReaderIs() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed());
      String run = h.submit(DagSpec.builder("chain").node(NodeSpec.task("a", "t"))
          .node(NodeSpec.task("b", "t").dependsOn("a")).build());
      h.await(run);
      List<StateTransition> all = h.engine.transitions(run);
      assertThat(all).hasSize(8);

      List<StateTransition> paged = new java.util.ArrayList<>();
      for (long skip = 0; skip < all.size(); skip += 3) {
        paged.addAll(h.engine.transitions(run, skip, 3));
      }
      assertThat(paged).containsExactlyElementsOf(all);
      assertThat(h.engine.transitions(run, 8, 5)).isEmpty();
      assertThatThrownBy(() -> h.engine.transitions(run, -1, 5))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip");
      assertThatThrownBy(() -> h.engine.transitions(run, 0, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
      assertThatThrownBy(() -> h.engine.transitions("no-such-run", 0, 5))
          .isInstanceOf(UnknownRunException.class);
    }
  }

  @Test
  void runsAreListedNewestFirstFilteredAndPaged() {
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      DagSpec acme = DagSpec.builder("x").scope(DagScope.project("acme", true))
          .node(NodeSpec.task("a", "t")).build();
      DagSpec other = DagSpec.builder("y").scope(DagScope.project("other", true))
          .node(NodeSpec.task("a", "t")).build();
      String[] ids = new String[5];
      for (int i = 0; i < 5; i++) {
        ids[i] = h.submit(i % 2 == 0 ? acme : other);
        h.await(ids[i]);
        h.clock.advance(Duration.ofSeconds(1));
      }
      Page<RunSummary> first = h.engine.list(RunQuery.all().project("acme").page(0, 2));
      assertThat(first.total()).isEqualTo(3);
      assertThat(first.items()).extracting(RunSummary::runId).containsExactly(ids[4], ids[2]);
      assertThat(first.hasNext()).isTrue();
      Page<RunSummary> second = h.engine.list(RunQuery.all().project("acme").page(1, 2));
      assertThat(second.items()).extracting(RunSummary::runId).containsExactly(ids[0]);
      assertThat(second.hasNext()).isFalse();
      assertThat(h.engine.list(RunQuery.all().states(RunState.FAILED)).total()).isZero();
      assertThat(h.engine.list(RunQuery.all().created(Harness.T0.plusSeconds(1),
          Harness.T0.plusSeconds(3))).items()).extracting(RunSummary::runId)
          .containsExactly(ids[2], ids[1]);
    }
  }
}
