package dev.dagflow.jdbc.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * One write of many rows, as the group commit makes them: the records go to the database in
 * statements of 64, 8 and 1 rows ({@link MultiRowInsert}), rows with longer messages in the
 * smaller ones, a row with a large message alone.
 * Every count around those sizes reads back exactly, inserted and then replaced. Subclassed per
 * database.
 */
abstract class ManyRowsWriteTest {
  private static final Instant AT = Instant.parse("2024-05-06T07:08:09.123Z");
  private static final int NODES = 150;
  /** Past {@link MultiRowInsert#ALONE_FROM}: a row holding it goes in a statement of its own. */
  private static final String LARGE = "\u00e9'x\uD83D\uDE80".repeat(5_000);
  /** Past {@link MultiRowInsert#SMALL_ROW}: a row holding it goes with 7 others at most. */
  private static final String MEDIUM = "\u00e9'x\uD83D\uDE80".repeat(1_000);

  abstract TestDatabase database();

  private static String node(int i) {
    return "n-" + i;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 7, 8, 9, 63, 64, 65, 72, 150})
  void aWriteOfManyNodesAttemptsTransitionsAndHistoryReadsBackExactly(int count) {
    database().clear();
    JdbcRunStore runs = new JdbcRunStore(database().context());
    DagSpec.Builder spec = DagSpec.builder("many");
    for (int i = 0; i < NODES; i++) {
      spec.node(NodeSpec.task(node(i), "t"));
    }
    String runId = "many-" + count;
    RunRecord run = new RunRecord(runId, spec.build(), JsonNodeFactory.instance.objectNode(),
        RunState.PENDING, "worker", Optional.empty(), Optional.empty(), 0, 0, AT,
        Optional.empty(), Optional.empty(), Optional.empty(), 0, Optional.empty(),
        Optional.empty());
    Lease lease = runs.create(run, "engine-1", Duration.ofMinutes(1));

    List<NodeRecord> nodes = new ArrayList<>();
    List<AttemptRecord> attempts = new ArrayList<>();
    List<StateTransition> transitions = new ArrayList<>();
    List<HistoryEntry> history = new ArrayList<>();
    RunChanges.Builder first = RunChanges.builder(runId, lease.fence());
    for (int i = 0; i < count; i++) {
      Optional<String> message = Optional.of(i % 10 == 3 ? LARGE + i
          : i % 10 == 5 || i % 10 == 6 ? MEDIUM + i : "m" + i);
      NodeRecord n = new NodeRecord(runId, node(i), NodeState.RUNNING, 1, 0, i % 101,
          Optional.of(AT.plusMillis(i)), Optional.empty(), Optional.empty(), Optional.empty(),
          Optional.empty(), message, Optional.empty());
      AttemptRecord a = AttemptRecord.started(runId, node(i), 1, AT.plusMillis(i));
      StateTransition ready = new StateTransition(runId, node(i), 0, NodeState.PENDING,
          NodeState.READY, "ready " + i, TriggerType.SYSTEM, null, AT);
      StateTransition running = new StateTransition(runId, node(i), 1, NodeState.READY,
          NodeState.RUNNING, message.get(), TriggerType.SYSTEM, null, AT.plusMillis(i));
      HistoryEntry h = new HistoryEntry(runId, Optional.of(node(i)), "note", "op-" + i,
          JsonNodeFactory.instance.numberNode(i), JsonNodeFactory.instance.textNode("v" + i),
          AT);
      first.node(n).attempt(a).transition(ready).transition(running).history(h);
      nodes.add(n);
      attempts.add(a);
      transitions.add(ready);
      transitions.add(running);
      history.add(h);
    }
    runs.apply(first.build());
    assertThat(runs.nodes(runId)).containsExactlyInAnyOrderElementsOf(nodes);
    assertThat(runs.attempts(runId)).containsExactlyInAnyOrderElementsOf(attempts);
    assertThat(runs.transitions(runId)).containsExactlyElementsOf(transitions);
    assertThat(runs.history(runId)).containsExactlyElementsOf(history);

    // the same keys again: every row replaced, none added
    RunChanges.Builder second = RunChanges.builder(runId, lease.fence());
    List<NodeRecord> ended = new ArrayList<>();
    List<AttemptRecord> endedAttempts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      NodeRecord n = new NodeRecord(runId, node(i), NodeState.COMPLETED, 1, 0, 100,
          Optional.of(AT.plusMillis(i)), Optional.of(AT.plusSeconds(1)), Optional.empty(),
          Optional.of(JsonNodeFactory.instance.textNode(i % 10 == 3 ? LARGE : "r" + i)),
          Optional.empty(), Optional.empty(), Optional.empty());
      AttemptRecord a = attempts.get(i).ended(AT.plusSeconds(1), AttemptOutcome.COMPLETED,
          n.result().orElseThrow(), null, null);
      second.node(n).attempt(a);
      ended.add(n);
      endedAttempts.add(a);
    }
    runs.apply(second.build());
    assertThat(runs.nodes(runId)).containsExactlyInAnyOrderElementsOf(ended);
    assertThat(runs.attempts(runId)).containsExactlyInAnyOrderElementsOf(endedAttempts);
    assertThat(runs.transitions(runId)).hasSize(2 * count);
  }
}
