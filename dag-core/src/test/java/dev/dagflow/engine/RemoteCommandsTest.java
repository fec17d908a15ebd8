package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.Outcome;
import dev.dagflow.testing.ScriptedExecutor;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Control operations on a run another engine owns: stored as commands that the owner applies
 * once, within one renewal interval, each recorded in the history with its operator; refusals
 * come back as the owner's own exception; a run nobody owns is claimed by the caller.
 */
class RemoteCommandsTest {
  private static final Duration LEASE = Duration.ofMillis(1_500);
  private static final Duration RENEWAL = LEASE.dividedBy(3);

  private final ManualClock clock = new ManualClock(Harness.T0);
  private final Stores shared = Stores.inMemory();
  private final ScriptedExecutor ownerWork = new ScriptedExecutor(clock)
      .defaultOutcome(Outcome.succeed()).script("b", Outcome.hang()).acceptLiveUpdates();
  private final DagEngine owner = engine("engine-a", ownerWork);
  private final DagEngine other = engine("engine-b", new ScriptedExecutor(clock)
      .defaultOutcome(Outcome.succeed()).script("b", Outcome.hang()));

  private DagEngine engine(String name, ScriptedExecutor work) {
    DagEngine engine = DagEngine.builder().instanceId(name).leaseTime(LEASE).stores(shared)
        .timeSource(clock).executor("t", work).build();
    engine.start();
    return engine;
  }

  @AfterEach
  void close() {
    owner.close();
    other.close();
  }

  /** a, then b (hangs on the owner) and c after b. */
  private String runOnOwner() throws Exception {
    DagSpec spec = DagSpec.builder("remote")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .node(NodeSpec.task("c", "t").dependsOn("b").config(
            JsonNodeFactory.instance.objectNode().put("size", 1)))
        .build();
    String run = owner.submit(spec);
    ownerWork.awaitCalls("b", 1, Harness.WAIT);
    return run;
  }

  private List<HistoryEntry> entries(String run, String action) {
    return shared.runs().history(run).stream().filter(h -> h.action().equals(action)).toList();
  }

  /** Runs {@code op} on the other engine; returns how long until the owner recorded it. */
  private Duration timed(String run, String action, Runnable op) {
    long start = System.nanoTime();
    op.run();
    long took = System.nanoTime() - start;
    assertThat(entries(run, action)).as(action + " recorded once").hasSize(1);
    return Duration.ofNanos(took);
  }

  @Test
  void aPauseAResumeAConfigUpdateAndAStopReachTheOwnerOnceWithTheirOperators()
      throws Exception {
    String run = runOnOwner();
    assertThat(shared.runs().lease(run).orElseThrow().owner()).isEqualTo("engine-a");

    Duration pause = timed(run, "run.pause", () -> other.pause(run, "ops-pause"));
    assertThat(shared.runs().run(run).orElseThrow().state()).isEqualTo(RunState.PAUSED);
    Duration resume = timed(run, "run.resume", () -> other.resume(run, "ops-resume"));
    ObjectNode patch = JsonNodeFactory.instance.objectNode().put("size", 2);
    Duration update = timed(run, "node.config",
        () -> other.updateNodeConfig(run, "c", patch, "ops-config"));
    Duration stop = timed(run, "run.stop", () -> other.stop(run, "ops-stop"));

    assertThat(owner.await(run, Harness.WAIT).state()).isEqualTo(RunState.STOPPED);
    assertThat(entries(run, "run.pause").get(0).operator()).isEqualTo("ops-pause");
    assertThat(entries(run, "run.resume").get(0).operator()).isEqualTo("ops-resume");
    assertThat(entries(run, "node.config").get(0).operator()).isEqualTo("ops-config");
    assertThat(entries(run, "node.config").get(0).newValue().path("size").asInt()).isEqualTo(2);
    assertThat(entries(run, "run.stop").get(0).operator()).isEqualTo("ops-stop");
    // each was applied by its owner at its next look, which comes before its next renewal
    for (Duration took : List.of(pause, resume, update, stop)) {
      assertThat(took).isLessThan(RENEWAL.multipliedBy(2));
    }
    assertThat(shared.runs().pendingCommands("engine-a")).isEmpty();
    assertThat(ownerWork.cancelled()).as("the stop cancelled b on its owner").isNotEmpty();
  }

  @Test
  void aRefusalComesBackAsTheOwnersOwnException() throws Exception {
    String run = runOnOwner();

    other.pause(run, "ops");
    assertThatThrownBy(() -> other.pause(run, "ops")).isInstanceOf(RunStateException.class)
        .hasMessage("run '" + run + "' is PAUSED: only a RUNNING run can be paused")
        .satisfies(e -> assertThat(((RunStateException) e).state()).isEqualTo(RunState.PAUSED));
    assertThatThrownBy(() -> other.retry(run, "a", "ops"))
        .isInstanceOf(NodeOperationException.class)
        .satisfies(e -> assertThat(((NodeOperationException) e).state())
            .isEqualTo(NodeState.COMPLETED));
    assertThat(entries(run, "run.pause")).hasSize(1);
    assertThat(shared.runs().pendingCommands("engine-a")).isEmpty();
  }

  @Test
  void whatCanBeCheckedHereIsCheckedBeforeAnyCommandIsStored() throws Exception {
    String run = runOnOwner();
    assertThatThrownBy(() -> other.stopNode(run, "nope", "ops"))
        .isInstanceOf(UnknownNodeException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> other.pause("no-such-run", "ops"))
        .isInstanceOf(UnknownRunException.class);
    assertThat(shared.runs().history(run)).noneMatch(h -> "ops".equals(h.operator()));
  }

  @Test
  void aRunNobodyOwnsIsClaimedByTheCallerAndChangedThereAtOnce() throws Exception {
    String run = runOnOwner();
    owner.close(); // releases its leases: nobody owns the run now

    other.pause(run, "ops");
    assertThat(shared.runs().lease(run).orElseThrow().owner()).isEqualTo("engine-b");
    assertThat(other.get(run).state()).isEqualTo(RunState.PAUSED);
    assertThat(shared.runs().pendingCommands("engine-a")).isEmpty();
    assertThat(entries(run, "run.pause")).hasSize(1);
  }

  @Test
  void anOwnerThatNeverLooksLeavesTheCommandStoredAndTheCallerTimesOut() throws Exception {
    String run = runOnOwner();
    try (DagEngine impatient = DagEngine.builder().instanceId("engine-c").leaseTime(LEASE)
        .stores(shared).timeSource(clock).executor("t", ownerWork)
        .commandTimeout(Duration.ofMillis(1)).build()) {
      impatient.start();
      assertThatThrownBy(() -> impatient.stop(run, "ops"))
          .isInstanceOf(CommandTimeoutException.class)
          .hasMessageContaining(run).hasMessageContaining("STOP");
    }
    // the owner applies it when it next looks
    RunView stopped = owner.await(run, Harness.WAIT);
    assertThat(stopped.state()).isEqualTo(RunState.STOPPED);
    assertThat(entries(run, "run.stop")).singleElement()
        .satisfies(h -> assertThat(h.operator()).isEqualTo("ops"));
  }
}
