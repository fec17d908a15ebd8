package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.jdbc.engine.ExecutionTable.Execution;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunStore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What the process tests check once every run has ended after an engine was killed: every run
 * COMPLETED with all its nodes, every idempotency key executed at most once, and the only
 * nodes executed twice those whose attempt was running in the killed JVM, each such attempt on
 * record as ABANDONED, followed by a new attempt, in a run the killed JVM owned when it died.
 */
final class RecoveryAudit {
  /** How many attempts the store holds as ABANDONED. */
  final int abandoned;
  /** How many nodes ran twice or more (by the executions table). */
  final int executedAgain;
  /** How many executions are recorded, in all. */
  final int executions;
  /** How many executions each instance made. */
  final Map<String, Long> byInstance;

  private RecoveryAudit(int abandoned, int executedAgain, int executions,
      Map<String, Long> byInstance) {
    this.abandoned = abandoned;
    this.executedAgain = executedAgain;
    this.executions = executions;
    this.byInstance = byInstance;
  }

  /**
   * Checks the runs {@code runIds} of {@code nodesPerRun} nodes each in {@code store} against
   * the executions recorded; {@code killed} is the instance that was killed, and {@code atKill}
   * what the store held of its runs then. {@code context} starts every failure message (the
   * seed).
   */
  static RecoveryAudit check(String context, RunStore store, Collection<String> runIds,
      int nodesPerRun, List<Execution> recorded, String killed, KillSnapshot atKill) {
    List<Execution> executed = recorded.stream()
        .filter(e -> e.what().equals(ExecutionTable.EXECUTED)).toList();
    Map<String, List<Execution>> byKey = executed.stream()
        .collect(Collectors.groupingBy(Execution::key));
    List<String> twice = byKey.entrySet().stream().filter(e -> e.getValue().size() > 1)
        .map(e -> e.getKey() + " by " + e.getValue().stream().map(Execution::instance).toList())
        .sorted().toList();
    assertThat(twice).as(context + ": idempotency keys executed more than once").isEmpty();
    Map<String, List<Execution>> byNode = executed.stream()
        .collect(Collectors.groupingBy(e -> e.runId() + "/" + e.nodeId()));

    int abandoned = 0;
    int again = 0;
    Set<String> abandonedKeys = new HashSet<>();
    for (String run : runIds) {
      String where = context + ", run " + run;
      assertThat(store.run(run).orElseThrow().state()).as(where).isEqualTo(RunState.COMPLETED);
      assertThat(store.lease(run)).as(where + ": an ended run is nobody's").isEmpty();
      List<NodeRecord> nodes = store.nodes(run);
      assertThat(nodes).as(where + ": its nodes").hasSize(nodesPerRun)
          .allSatisfy(n -> assertThat(n.state()).as(where + " node " + n.nodeId())
              .isEqualTo(NodeState.COMPLETED));
      Map<String, List<AttemptRecord>> attempts = new TreeMap<>(store.attempts(run).stream()
          .collect(Collectors.groupingBy(AttemptRecord::nodeId)));
      Map<String, Long> abandonedTrail = store.transitions(run).stream()
          .filter(t -> t.to() == NodeState.WAITING && "abandoned".equals(t.reason()))
          .collect(Collectors.groupingBy(StateTransition::nodeId, Collectors.counting()));
      assertThat(attempts).as(where + ": nodes with attempts").hasSize(nodesPerRun);
      for (Map.Entry<String, List<AttemptRecord>> e : attempts.entrySet()) {
        String node = e.getKey();
        String at = where + " node " + node;
        List<AttemptRecord> tries = new ArrayList<>(e.getValue());
        tries.sort(Comparator.comparingInt(AttemptRecord::attempt));
        for (int i = 0; i < tries.size(); i++) {
          assertThat(tries.get(i).attempt()).as(at + ": attempt numbers").isEqualTo(i + 1);
        }
        AttemptRecord last = tries.get(tries.size() - 1);
        assertThat(last.outcome()).as(at + ": its last attempt")
            .isEqualTo(AttemptOutcome.COMPLETED);
        List<AttemptRecord> lost = tries.subList(0, tries.size() - 1);
        List<Execution> ran = byNode.getOrDefault(run + "/" + node, List.of());
        assertThat(ran).as(at + ": executions").extracting(Execution::attempt)
            .contains(last.attempt())
            .allSatisfy(n -> assertThat(n).as(at + ": an execution of a stored attempt")
                .isBetween(1, last.attempt()));
        for (AttemptRecord a : lost) {
          String which = at + " attempt " + a.attempt();
          assertThat(a.outcome()).as(which).isEqualTo(AttemptOutcome.ABANDONED);
          assertThat(atKill.running()).as(which + ": stored RUNNING in a run of " + killed
              + " at the kill").contains(a.idempotencyKey());
          abandonedKeys.add(a.idempotencyKey());
          assertThat(ran).filteredOn(x -> x.attempt() == a.attempt())
              .allSatisfy(x -> assertThat(x.instance()).as(which + ": executed by")
                  .isEqualTo(killed));
        }
        assertThat(abandonedTrail.getOrDefault(node, 0L)).as(at + ": abandoned transitions")
            .isEqualTo(lost.size());
        abandoned += lost.size();
        if (ran.size() > 1) {
          again++;
        }
      }
    }
    assertThat(abandonedKeys).as(context + ": the attempts running in " + killed
        + " at the kill, each abandoned").containsExactlyInAnyOrderElementsOf(atKill.running());
    Map<String, Long> byInstance = executed.stream()
        .collect(Collectors.groupingBy(Execution::instance, TreeMap::new,
            Collectors.counting()));
    return new RecoveryAudit(abandoned, again, executed.size(), byInstance);
  }

  @Override
  public String toString() {
    return executions + " executions " + byInstance + ", " + abandoned
        + " attempts abandoned, " + executedAgain + " nodes executed twice";
  }
}
