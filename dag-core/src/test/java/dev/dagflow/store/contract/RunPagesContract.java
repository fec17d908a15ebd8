package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.NullNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link RunStore} contract about reading a run back in pieces: transitions
 * and history page by page with their counts, attempts keyed by node id, and listings of
 * summaries. Extended by {@link RunAdmissionContract} and so by {@link RunStoreContract},
 * which implementations subclass.
 */
public abstract class RunPagesContract extends RunCommandContract {

  /** Writes {@code count} transitions and history entries to run r-1, one step each. */
  private List<StateTransition> steps(int count) {
    created("r-1");
    List<StateTransition> written = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      StateTransition t = transition("r-1", StoreFixtures.node(i % 3), i,
          NodeState.WAITING, NodeState.READY, TriggerType.DEPENDENCY, at(i));
      store.apply(changes("r-1").transition(t).history(new HistoryEntry("r-1",
          Optional.empty(), "step." + i, "ops", NullNode.instance, NullNode.instance, at(i)))
          .build());
      written.add(t);
    }
    return written;
  }

  @Test
  void transitionsAndHistoryReadPageByPageInTheOrderApplied() {
    List<StateTransition> written = steps(25);

    assertThat(store.transitionCount("r-1")).isEqualTo(25);
    assertThat(store.transitions("r-1", 0, 10)).containsExactlyElementsOf(written.subList(0, 10));
    assertThat(store.transitions("r-1", 10, 10))
        .containsExactlyElementsOf(written.subList(10, 20));
    assertThat(store.transitions("r-1", 20, 10))
        .containsExactlyElementsOf(written.subList(20, 25));
    assertThat(store.transitions("r-1", 25, 10)).isEmpty();
    assertThat(store.transitions("r-1", 1_000, 1)).isEmpty();
    assertThat(store.transitions("r-1")).containsExactlyElementsOf(written);

    assertThat(store.history("r-1", 5, 3)).extracting(HistoryEntry::action)
        .containsExactly("step.5", "step.6", "step.7");
    assertThat(store.history("r-1", 24, 5)).extracting(HistoryEntry::action)
        .containsExactly("step.24");
    assertThat(store.history("r-1")).hasSize(25);
  }

  @Test
  void anUnknownRunHasNoPagesAndNoTransitions() {
    assertThat(store.transitions("nope", 0, 10)).isEmpty();
    assertThat(store.history("nope", 0, 10)).isEmpty();
    assertThat(store.transitionCount("nope")).isZero();
  }

  @Test
  void aPageOutOfRangeIsRefusedNamingTheArgument() {
    created("r-1");
    assertThatThrownBy(() -> store.transitions("r-1", -1, 10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip");
    assertThatThrownBy(() -> store.transitions("r-1", 0, 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
    assertThatThrownBy(() -> store.history("r-1", -5, 1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("skip");
    assertThatThrownBy(() -> store.history("r-1", 0, -1))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  @Test
  void attemptsAreGroupedByNodeIdInNumberOrder() {
    DagSpec backwards = DagSpec.builder("backwards")
        .node(NodeSpec.task("zeta", "t"))
        .node(NodeSpec.task("alpha", "t"))
        .node(NodeSpec.task("mid", "t"))
        .build();
    create(run("r-1", backwards, at(0)));
    store.apply(changes("r-1")
        .attempt(AttemptRecord.started("r-1", "zeta", 1, at(1)))
        .attempt(AttemptRecord.started("r-1", "mid", 2, at(3)))
        .attempt(AttemptRecord.started("r-1", "alpha", 1, at(2)))
        .attempt(AttemptRecord.started("r-1", "mid", 1, at(2)))
        .build());

    List<AttemptRecord> attempts = store.attempts("r-1");
    assertThat(attempts).extracting(AttemptRecord::nodeId, AttemptRecord::attempt)
        .containsExactlyInAnyOrder(tuple("alpha", 1), tuple("mid", 1), tuple("mid", 2),
            tuple("zeta", 1));
    // each node's attempts together, by number
    int mid = attempts.indexOf(attempts.stream().filter(a -> a.nodeId().equals("mid"))
        .findFirst().orElseThrow());
    assertThat(attempts.subList(mid, mid + 2)).extracting(AttemptRecord::nodeId,
        AttemptRecord::attempt).containsExactly(tuple("mid", 1), tuple("mid", 2));
  }

  @Test
  void aListingShowsSummariesOfWhatEachRunIsNow() {
    RunRecord run = created("r-1");
    RunRecord running = run.withState(RunState.RUNNING, at(5));
    store.apply(changes("r-1").status(running.status()).build());

    RunSummary listed = store.list(RunQuery.all()).items().get(0);
    assertThat(listed).isEqualTo(running.summary());
    assertThat(listed.specId()).isEqualTo(SPEC.id());
    assertThat(listed.state()).isEqualTo(RunState.RUNNING);
    assertThat(listed.startedAt()).contains(at(5));
  }
}
