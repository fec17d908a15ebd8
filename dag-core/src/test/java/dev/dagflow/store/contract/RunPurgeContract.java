package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.json;
import static dev.dagflow.store.contract.StoreFixtures.node;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.transition;
import static dev.dagflow.store.contract.StoreFixtures.withStartKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.EndedRuns;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link RunStore} contract about bounded growth: {@link RunStore#purgeEnded}
 * deletes ended runs with everything stored of them, chunk by chunk. Extended by {@link
 * RunIdempotencyContract} and so by {@link RunStoreContract}, which implementations subclass.
 */
public abstract class RunPurgeContract extends RunAdmissionContract {

  /**
   * Creates run {@code runId} of {@code project} (null: none), writes a node, an attempt, a
   * transition and a history entry, and ends it in {@code state} at {@code endedAt} (ms).
   */
  private Lease runWithRecords(String runId, String project, RunState state, long endedAt) {
    RunRecord record = run(runId, SPEC, at(0), RunState.PENDING, project, null);
    Lease lease = store.create(record, OWNER, LIVE);
    RunChanges.Builder b = RunChanges.builder(runId, lease.fence())
        .status(record.withState(RunState.RUNNING, at(1)).status())
        .node(new NodeRecord(runId, node(0), NodeState.COMPLETED, 1, 0, 100,
            Optional.of(at(1)), Optional.of(at(2)), Optional.empty(),
            Optional.of(json("ok", true)), Optional.empty(), Optional.empty(), Optional.empty()))
        .attempt(new AttemptRecord(runId, node(0), 1, at(1), Optional.of(at(2)),
            AttemptOutcome.COMPLETED, Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty()))
        .transition(transition(runId, node(0), 1, NodeState.RUNNING, NodeState.COMPLETED,
            TriggerType.SYSTEM, at(2)))
        .history(new HistoryEntry(runId, Optional.empty(), "run.submit", "ops",
            json("a", 1), json("b", 2), at(1)));
    store.apply(b.build());
    if (state.isTerminal()) {
      store.apply(RunChanges.builder(runId, lease.fence())
          .status(record.withState(RunState.RUNNING, at(1)).withState(state, at(endedAt))
              .status()).build());
    }
    return lease;
  }

  @Test
  void aPurgeDeletesEndedRunsWithEverythingStoredOfThem() {
    runWithRecords("r-0", null, RunState.COMPLETED, 10);
    runWithRecords("r-1", null, RunState.FAILED, 20);
    runWithRecords("r-2", null, RunState.RUNNING, 0);
    runWithRecords("r-3", null, RunState.COMPLETED, 500);
    store.addCommand(RunCommand.of("c-0", "r-0", RunCommand.Kind.STOP, Optional.empty(),
        Optional.empty(), "ops", at(5)));

    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 10))
        .containsExactlyInAnyOrder("r-0", "r-1");
    for (String gone : List.of("r-0", "r-1")) {
      assertThat(store.run(gone)).isEmpty();
      assertThat(store.nodes(gone)).isEmpty();
      assertThat(store.attempts(gone)).isEmpty();
      assertThat(store.transitions(gone)).isEmpty();
      assertThat(store.transitionCount(gone)).isZero();
      assertThat(store.history(gone)).isEmpty();
      assertThat(store.lease(gone)).isEmpty();
    }
    assertThat(store.command("c-0")).isEmpty();
    // the unfinished run and the one that ended later are whole
    assertThat(store.nodes("r-2")).hasSize(1);
    assertThat(store.run("r-3")).isPresent();
    assertThat(store.transitions("r-3")).hasSize(1);
    assertThat(store.list(RunQuery.all()).total()).isEqualTo(2);
    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 10)).isEmpty();
  }

  @Test
  void anUnfinishedRunIsNeverPurged() {
    runWithRecords("r-0", null, RunState.RUNNING, 0);
    store.create(run("r-1", SPEC, at(0)), OWNER, LIVE);
    assertThat(store.purgeEnded(EndedRuns.before(Instant.MAX), 10)).isEmpty();
    assertThat(store.run("r-0")).isPresent();
    assertThat(store.run("r-1")).isPresent();
  }

  @Test
  void anEndedRunClaimedToBeReopenedIsNotPurged() {
    runWithRecords("r-0", null, RunState.FAILED, 10);
    Lease retry = store.claim("r-0", OTHER, LIVE).orElseThrow();
    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 10)).isEmpty();
    store.release(List.of(retry));
    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 10)).containsExactly("r-0");
  }

  @Test
  void aPurgeGoesByChunksEarliestEndFirst() {
    runWithRecords("r-0", null, RunState.COMPLETED, 30);
    runWithRecords("r-1", null, RunState.COMPLETED, 10);
    runWithRecords("r-2", null, RunState.STOPPED, 20);
    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 2)).containsExactly("r-1", "r-2");
    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 2)).containsExactly("r-0");
    assertThatThrownBy(() -> store.purgeEnded(EndedRuns.before(at(100)), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  @Test
  void aPurgeKeepsToItsProjectOrLeavesOthersOut() {
    runWithRecords("r-none", null, RunState.COMPLETED, 10);
    runWithRecords("r-a", "a", RunState.COMPLETED, 10);
    runWithRecords("r-b", "b", RunState.COMPLETED, 10);
    runWithRecords("r-c", "c", RunState.COMPLETED, 10);
    assertThat(store.purgeEnded(EndedRuns.ofProject("a", at(100)), 10)).containsExactly("r-a");
    assertThat(store.purgeEnded(new EndedRuns(at(100), Optional.empty(), Set.of("b")), 10))
        .containsExactlyInAnyOrder("r-none", "r-c");
    assertThat(store.run("r-b")).isPresent();
  }

  @Test
  void aPurgedRunsStartKeyIsFreeAgain() {
    Lease lease = store.create(withStartKey(run("r-0", SPEC, at(0)), "trigger:t/e1"), OWNER,
        LIVE);
    write(lease, RunState.STOPPED);
    assertThat(store.purgeEnded(EndedRuns.before(at(1_000)), 10)).containsExactly("r-0");
    store.create(withStartKey(run("r-1", SPEC, at(5)), "trigger:t/e1"), OWNER, LIVE);
    assertThat(store.run("r-1").orElseThrow().startKey()).contains("trigger:t/e1");
  }
}
