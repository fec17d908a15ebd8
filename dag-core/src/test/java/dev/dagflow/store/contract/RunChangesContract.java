package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.json;
import static dev.dagflow.store.contract.StoreFixtures.nested;
import static dev.dagflow.store.contract.StoreFixtures.node;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.spec;
import static dev.dagflow.store.contract.StoreFixtures.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.DuplicateStartException;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The part of the {@link RunStore} contract about writing one run: create, apply, and reading
 * back exactly what was written. Extended by {@link RunLeaseContract} and then
 * {@link RunStoreContract}, which implementations subclass.
 */
public abstract class RunChangesContract {
  protected static final DagSpec SPEC = spec("three", 3);

  /** The engine instance that creates the runs of these tests. */
  protected static final String OWNER = "engine-a";

  protected RunStore store;
  private final Map<String, Lease> leases = new HashMap<>();

  /** A new, empty store. */
  protected abstract RunStore newStore();

  /**
   * Frees what {@link #newStore} took (a connection, a schema), after each test; does nothing
   * unless overridden.
   */
  protected void closeStore(RunStore store) {}

  /**
   * Creates {@code run} for {@link #OWNER} with a lease that has expired at once: writes under
   * it still succeed (they are fenced on the epoch alone), and any other instance may claim it.
   */
  protected Lease create(RunRecord run) {
    Lease lease = store.create(run, OWNER, Duration.ZERO);
    leases.put(run.runId(), lease);
    return lease;
  }

  /** Changes of {@code runId} under the lease it was created with (epoch 1 for another). */
  protected RunChanges.Builder changes(String runId) {
    Lease lease = leases.get(runId);
    return RunChanges.builder(runId, lease != null ? lease.fence() : new Fence(OWNER, 1));
  }

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  @AfterEach
  void closeTheStore() {
    if (store != null) {
      closeStore(store);
    }
  }

  protected RunRecord created(String runId) {
    RunRecord run = run(runId, SPEC, at(0));
    create(run);
    return run;
  }

  protected static NodeRecord nodeIn(String runId, String nodeId, NodeState state) {
    return new NodeRecord(runId, nodeId, state, 1, 0, 40, Optional.of(at(10)), Optional.empty(),
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void aCreatedRunReadsBackEqual() {
    RunRecord run = run("r-1", SPEC, at(0), RunState.RUNNING, "proj", "tpl");
    create(run);
    assertThat(store.run("r-1")).contains(run);
    assertThat(store.nodes("r-1")).isEmpty();
    assertThat(store.attempts("r-1")).isEmpty();
    assertThat(store.transitions("r-1")).isEmpty();
    assertThat(store.history("r-1")).isEmpty();
  }

  @Test
  void creatingARunTwiceThrowsAndKeepsTheFirst() {
    RunRecord first = created("r-1");
    RunRecord second = run("r-1", SPEC, at(50), RunState.RUNNING, "other", null);
    assertThatThrownBy(() -> create(second))
        .isInstanceOf(StoreException.class).hasMessageContaining("r-1");
    assertThat(store.run("r-1")).contains(first);
  }

  @Test
  void anUnknownRunReadsEmpty() {
    assertThat(store.run("nope")).isEmpty();
    assertThat(store.nodes("nope")).isEmpty();
    assertThat(store.attempts("nope")).isEmpty();
    assertThat(store.transitions("nope")).isEmpty();
    assertThat(store.history("nope")).isEmpty();
  }

  @Test
  void applyingToAnUnknownRunThrows() {
    RunChanges changes = changes("nope")
        .node(nodeIn("nope", node(0), NodeState.WAITING)).build();
    assertThatThrownBy(() -> store.apply(changes))
        .isInstanceOf(StoreException.class).hasMessageContaining("nope");
    assertThat(store.run("nope")).isEmpty();
  }

  @Test
  void applyReplacesTheRunRecord() {
    RunRecord run = created("r-1");
    RunRecord running = run.withState(RunState.RUNNING, at(20));
    store.apply(changes("r-1").status(running.status()).build());
    assertThat(store.run("r-1")).contains(running);
  }

  @ParameterizedTest
  @ValueSource(strings = {"node", "attempt", "transition", "history"})
  void aChangeNamingAnUnknownNodeThrowsAndWritesNothing(String where) {
    RunRecord run = created("r-1");
    String ghost = "ghost-node";
    RunChanges.Builder changes = changes("r-1")
        .status(run.withState(RunState.RUNNING, at(1)).status())
        .node(nodeIn("r-1", node(0), NodeState.RUNNING))
        .attempt(AttemptRecord.started("r-1", node(0), 1, at(2)))
        .transition(transition("r-1", node(0), 0, NodeState.PENDING, NodeState.WAITING,
            TriggerType.SYSTEM, at(1)))
        .history(new HistoryEntry("r-1", Optional.of(node(1)), "node.config", "ann",
            json("a", 1), json("a", 2), at(3)));
    switch (where) {
      case "node" -> changes.node(nodeIn("r-1", ghost, NodeState.RUNNING));
      case "attempt" -> changes.attempt(AttemptRecord.started("r-1", ghost, 1, at(2)));
      case "transition" -> changes.transition(transition("r-1", ghost, 0, NodeState.PENDING,
          NodeState.WAITING, TriggerType.SYSTEM, at(1)));
      default -> changes.history(new HistoryEntry("r-1", Optional.of(ghost), "node.retry",
          "ann", json("a", 1), json("a", 2), at(3)));
    }
    RunChanges built = changes.build();

    assertThatThrownBy(() -> store.apply(built))
        .isInstanceOf(StoreException.class).hasMessageContaining(ghost);
    assertThat(store.run("r-1")).contains(run);
    assertThat(store.nodes("r-1")).isEmpty();
    assertThat(store.attempts("r-1")).isEmpty();
    assertThat(store.transitions("r-1")).isEmpty();
    assertThat(store.history("r-1")).isEmpty();
  }

  @Test
  void aStatusWriteChangesTheStatusAndNeverTheDefinition() {
    RunRecord plain = created("r-1");
    RunRecord keyed = StoreFixtures.withStartKey(run("r-2", SPEC, at(0)), "k-2");
    create(keyed);
    store.apply(changes("r-1").status(plain.withState(RunState.RUNNING, at(1)).status())
        .build());
    store.apply(changes("r-2").status(keyed.withState(RunState.COMPLETED, at(2)).status())
        .build());

    assertThat(store.run("r-1")).contains(plain.withState(RunState.RUNNING, at(1)));
    assertThat(store.run("r-2")).contains(keyed.withState(RunState.COMPLETED, at(2)));
    // the key stays the ended run's: no other run may take it
    assertThatThrownBy(() -> create(StoreFixtures.withStartKey(run("r-3", SPEC, at(3)), "k-2")))
        .isInstanceOf(DuplicateStartException.class);
  }

  @Test
  void theStatusOfAnotherRunIsRefusedByTheBuilder() {
    RunRecord other = run("r-2", SPEC, at(0));
    assertThatThrownBy(() -> changes("r-1").status(other.status()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("r-2");
  }

  @Test
  void nodeRecordsAreReplacedPerNodeAndOnlyWrittenNodesAreListed() {
    created("r-1");
    store.apply(changes("r-1").node(nodeIn("r-1", node(2), NodeState.WAITING))
        .node(nodeIn("r-1", node(0), NodeState.RUNNING)).build());
    NodeRecord done = new NodeRecord("r-1", node(0), NodeState.COMPLETED, 1, 0, 100,
        Optional.of(at(10)), Optional.of(at(30)), Optional.empty(), Optional.of(nested(1)),
        Optional.empty(), Optional.empty(), Optional.empty());
    store.apply(changes("r-1").node(done).build());

    assertThat(store.nodes("r-1")).containsExactlyInAnyOrder(done,
        nodeIn("r-1", node(2), NodeState.WAITING));
  }

  @Test
  void nodeRecordsRoundTripEveryField() {
    created("r-1");
    NodeRecord full = new NodeRecord("r-1", node(1), NodeState.WAITING, 5, 3, 77,
        Optional.of(at(100)), Optional.of(at(200)), Optional.of(at(900)), Optional.of(nested(2)),
        Optional.of("E_BAD"), Optional.of("it broke: ünïcode ✓"), Optional.of(json("k", "v")));
    NodeRecord bare = NodeRecord.pending("r-1", node(2));
    store.apply(changes("r-1").node(full).node(bare).build());
    assertThat(store.nodes("r-1")).containsExactlyInAnyOrder(full, bare);
  }

  @Test
  void attemptsAreReplacedPerNodeAndNumberAndReadInNodeThenNumberOrder() {
    created("r-1");
    AttemptRecord n2a1 = AttemptRecord.started("r-1", node(2), 1, at(1));
    AttemptRecord n0a2 = AttemptRecord.started("r-1", node(0), 2, at(5));
    AttemptRecord n0a1 = AttemptRecord.started("r-1", node(0), 1, at(2));
    store.apply(changes("r-1").attempt(n2a1).attempt(n0a2).build());
    store.apply(changes("r-1").attempt(n0a1).build());
    AttemptRecord n0a1Failed = n0a1.ended(at(4), AttemptOutcome.FAILED, null, "E1", "boom");
    AttemptRecord n2a1Done = n2a1.withEngineRef("eng-9")
        .ended(at(8), AttemptOutcome.COMPLETED, nested(3), null, null);
    store.apply(changes("r-1").attempt(n0a1Failed).attempt(n2a1Done).build());

    assertThat(store.attempts("r-1")).containsExactly(n0a1Failed, n0a2, n2a1Done);
  }

  @Test
  void attemptsRoundTripEveryField() {
    created("r-1");
    AttemptRecord full = new AttemptRecord("r-1", node(1), 3, at(10), Optional.of(at(70)),
        AttemptOutcome.TIMED_OUT, Optional.of(nested(4)), Optional.of("TIMEOUT"),
        Optional.of("took too long"), Optional.of("remote-42"), Optional.of(at(4)),
        java.util.Map.of("cpu_percent", 61.25, "memory_mb", 512.0, "tiny", 1e-300));
    AttemptRecord running = AttemptRecord.started("r-1", node(0), 1, at(3));
    store.apply(changes("r-1").attempt(full).attempt(running).build());
    assertThat(store.attempts("r-1")).containsExactly(running, full);
    assertThat(store.attempts("r-1").get(1).duration()).contains(java.time.Duration.ofMillis(60));
    assertThat(store.attempts("r-1").get(1).queueTime())
        .contains(java.time.Duration.ofMillis(6));
    assertThat(store.attempts("r-1").get(1).usage())
        .containsExactly(java.util.Map.entry("cpu_percent", 61.25),
            java.util.Map.entry("memory_mb", 512.0), java.util.Map.entry("tiny", 1e-300));
  }

  @Test
  void anEngineReferenceWrittenOnARunningAttemptIsReadBackAndKeptByItsEnd() {
    created("r-1");
    AttemptRecord running = AttemptRecord.started("r-1", node(0), 1, at(3));
    store.apply(changes("r-1").attempt(running).build());
    // the longest reference, in characters that take more than one byte in UTF-8
    String ref = "ü✓".repeat(AttemptRecord.MAX_ENGINE_REF_LENGTH / 2);
    AttemptRecord reported = running.withEngineRef(ref);
    store.apply(changes("r-1").attempt(reported).build()); // a write of its own
    assertThat(store.attempts("r-1")).containsExactly(reported);
    assertThat(store.attempts("r-1").get(0).engineRef()).contains(ref);
    assertThat(store.attempts("r-1").get(0).idempotencyKey()).isEqualTo("r-1:" + node(0) + ":1");

    AttemptRecord done = reported.ended(at(9), AttemptOutcome.COMPLETED, nested(1), null, null);
    store.apply(changes("r-1").attempt(done).build());
    assertThat(store.attempts("r-1")).containsExactly(done);
    assertThat(store.attempts("r-1").get(0).engineRef()).contains(ref);
  }

  @Test
  void transitionsKeepTheirOrderAndEveryField() {
    created("r-1");
    List<StateTransition> all = new ArrayList<>();
    all.add(transition("r-1", node(1), 0, NodeState.PENDING, NodeState.WAITING,
        TriggerType.SYSTEM, at(1)));
    all.add(transition("r-1", node(0), 0, NodeState.PENDING, NodeState.WAITING,
        TriggerType.SYSTEM, at(1)));
    all.add(transition("r-1", node(0), 1, NodeState.RUNNING, NodeState.WAITING,
        TriggerType.ERROR, at(3)));
    all.add(new StateTransition("r-1", node(1), 2, NodeState.FAILED, NodeState.WAITING,
        "manual retry", TriggerType.USER, "operator-ann", at(2)));
    all.add(transition("r-1", node(2), 5_000_000, NodeState.RUNNING, NodeState.TIMED_OUT,
        TriggerType.TIMEOUT, at(4)));
    all.add(transition("r-1", node(2), 0, NodeState.WAITING, NodeState.SKIPPED,
        TriggerType.DEPENDENCY, at(-5)));
    all.add(new StateTransition("r-1", node(0), 1, NodeState.RUNNING, NodeState.STOPPED,
        "", TriggerType.USER, "x", at(6)));
    store.apply(changes("r-1").transition(all.get(0)).transition(all.get(1)).build());
    RunChanges.Builder rest = changes("r-1");
    all.subList(2, all.size()).forEach(rest::transition);
    store.apply(rest.build());

    assertThat(store.transitions("r-1")).containsExactlyElementsOf(all);
    assertThat(store.transitions("r-1").get(3).operator()).contains("operator-ann");
    assertThat(store.transitions("r-1").get(0).operator()).isEmpty();
  }

  @Test
  void manyTransitionsOfALargeRunRoundTrip() {
    int nodes = 2_500;
    DagSpec big = spec("big", nodes);
    create(run("big-1", big, at(0)));
    NodeState[] path = {NodeState.PENDING, NodeState.WAITING, NodeState.READY, NodeState.RUNNING,
        NodeState.COMPLETED};
    List<StateTransition> expected = new ArrayList<>();
    for (int step = 0; step < 4; step++) {
      RunChanges.Builder changes = changes("big-1");
      for (int i = 0; i < nodes; i++) {
        StateTransition t = transition("big-1", node(i), step < 3 ? 0 : 1, path[step],
            path[step + 1], TriggerType.SYSTEM, at(step * 1000L + i));
        changes.transition(t);
        expected.add(t);
      }
      store.apply(changes.build());
    }
    List<StateTransition> read = store.transitions("big-1");
    assertThat(read).hasSize(4 * nodes);
    assertThat(read).isEqualTo(expected);
  }

  @Test
  void historyKeepsItsOrderAndEveryField() {
    created("r-1");
    HistoryEntry stop = new HistoryEntry("r-1", Optional.empty(), "run.stop", "bob",
        JsonNodeFactory.instance.textNode("RUNNING"), JsonNodeFactory.instance.textNode("STOPPED"),
        at(9));
    HistoryEntry config = new HistoryEntry("r-1", Optional.of(node(2)), "node.config", "ann",
        json("depth", 1), nested(5), at(4));
    store.apply(changes("r-1").history(stop).build());
    store.apply(changes("r-1").history(config).build());
    assertThat(store.history("r-1")).containsExactly(stop, config);
  }

  @Test
  void aReadListDoesNotChangeWithLaterApplies() {
    created("r-1");
    store.apply(changes("r-1").transition(transition("r-1", node(0), 0,
        NodeState.PENDING, NodeState.WAITING, TriggerType.SYSTEM, at(1))).build());
    List<StateTransition> before = store.transitions("r-1");
    List<HistoryEntry> historyBefore = store.history("r-1");
    store.apply(changes("r-1").transition(transition("r-1", node(1), 0,
        NodeState.PENDING, NodeState.WAITING, TriggerType.SYSTEM, at(2)))
        .history(new HistoryEntry("r-1", Optional.empty(), "run.pause", "a", json("s", 1),
            json("s", 2), at(3))).build());
    assertThat(before).hasSize(1);
    assertThat(historyBefore).isEmpty();
    assertThat(store.transitions("r-1")).hasSize(2);
  }

  @Test
  void listsHandedOutAreUnmodifiable() {
    created("r-1");
    store.apply(changes("r-1").node(nodeIn("r-1", node(0), NodeState.RUNNING))
        .attempt(AttemptRecord.started("r-1", node(0), 1, at(1)))
        .transition(transition("r-1", node(0), 0, NodeState.PENDING, NodeState.WAITING,
            TriggerType.SYSTEM, at(1)))
        .history(new HistoryEntry("r-1", Optional.empty(), "run.pause", "a", json("s", 1),
            json("s", 2), at(3))).build());
    assertThatThrownBy(() -> store.nodes("r-1").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> store.attempts("r-1").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> store.transitions("r-1").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> store.history("r-1").clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(store.transitions("r-1")).hasSize(1);
  }

  @Test
  void emptyChangesChangeNothing() {
    RunRecord run = created("r-1");
    store.apply(changes("r-1").build());
    assertThat(store.run("r-1")).contains(run);
    assertThat(store.nodes("r-1")).isEmpty();
  }
}
