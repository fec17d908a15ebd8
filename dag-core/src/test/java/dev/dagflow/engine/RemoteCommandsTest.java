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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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
  /** When the owner applied each run state change, in real time (the clock is manual). */
  private final Map<RunState, CompletableFuture<Long>> ownerApplied = new ConcurrentHashMap<>();
  private final DagEngine owner = engine("engine-a", ownerWork, new EngineListener() {
    @Override
    public void onRunStateChange(RunStateChange change) {
      applied(change.to()).complete(System.nanoTime());
    }
  });
  private final DagEngine other = engine("engine-b", new ScriptedExecutor(clock)
      .defaultOutcome(Outcome.succeed()).script("b", Outcome.hang()), new EngineListener() { });

  private CompletableFuture<Long> applied(RunState state) {
    return ownerApplied.computeIfAbsent(state, s -> new CompletableFuture<>());
  }

  private DagEngine engine(String name, ScriptedExecutor work, EngineListener listener) {
    DagEngine engine = DagEngine.builder().instanceId(name).leaseTime(LEASE).stores(shared)
        .timeSource(clock).executor("t", work).listener(listener).build();
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

  /**
   * Runs {@code op} on the other engine; returns how long until the owner applied it (its run
   * state change {@code reached}), or, without one, until the call returned.
   */
  private Duration timed(String run, String action, RunState reached, Runnable op)
      throws Exception {
    long start = System.nanoTime();
    op.run();
    long end = reached == null ? System.nanoTime()
        : applied(reached).get(Harness.WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(entries(run, action)).as(action + " recorded once").hasSize(1);
    return Duration.ofNanos(end - start);
  }

  @Test
  void aPauseAResumeAConfigUpdateAndAStopReachTheOwnerOnceWithTheirOperators()
      throws Exception {
    String run = runOnOwner();
    assertThat(shared.runs().lease(run).orElseThrow().owner()).isEqualTo("engine-a");

    Duration pause = timed(run, "run.pause", RunState.PAUSED,
        () -> other.pause(run, "ops-pause"));
    assertThat(shared.runs().run(run).orElseThrow().state()).isEqualTo(RunState.PAUSED);
    ownerApplied.remove(RunState.RUNNING);
    Duration resume = timed(run, "run.resume", RunState.RUNNING,
        () -> other.resume(run, "ops-resume"));
    ObjectNode patch = JsonNodeFactory.instance.objectNode().put("size", 2);
    Duration update = timed(run, "node.config", null, // no state change: until it returned
        () -> other.updateNodeConfig(run, "c", patch, "ops-config"));
    Duration stop = timed(run, "run.stop", RunState.STOPPED, () -> other.stop(run, "ops-stop"));

    assertThat(owner.await(run, Harness.WAIT).state()).isEqualTo(RunState.STOPPED);
    assertThat(entries(run, "run.pause").get(0).operator()).isEqualTo("ops-pause");
    assertThat(entries(run, "run.resume").get(0).operator()).isEqualTo("ops-resume");
    assertThat(entries(run, "node.config").get(0).operator()).isEqualTo("ops-config");
    assertThat(entries(run, "node.config").get(0).newValue().path("size").asInt()).isEqualTo(2);
    assertThat(entries(run, "run.stop").get(0).operator()).isEqualTo("ops-stop");
    // each reached its owner within one renewal interval: the owner looks for commands more
    // often than it renews; the config update's call also waits for the outcome to be read
    for (Duration took : List.of(pause, resume, stop)) {
      assertThat(took).isLessThan(RENEWAL);
    }
    assertThat(update).isLessThan(RENEWAL.multipliedBy(2));
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
  void aCommandNotAppliedInTimeIsWithdrawnAndNeverApplied() throws Exception {
    String run = runOnOwner();
    try (DagEngine impatient = DagEngine.builder().instanceId("engine-c").leaseTime(LEASE)
        .stores(shared).timeSource(clock).executor("t", ownerWork)
        .commandTimeout(Duration.ofMillis(1)).build()) {
      impatient.start();
      assertThatThrownBy(() -> impatient.stop(run, "ops"))
          .isInstanceOf(CommandTimeoutException.class)
          .hasMessageContaining(run).hasMessageContaining("STOP")
          .hasMessageContaining("withdrawn");
    }
    // withdrawn: the owner, looking after it, finds nothing to apply; a later pause works
    other.pause(run, "ops-later");
    assertThat(entries(run, "run.stop")).isEmpty();
    assertThat(entries(run, "run.pause")).singleElement()
        .satisfies(h -> assertThat(h.operator()).isEqualTo("ops-later"));
    assertThat(shared.runs().run(run).orElseThrow().state()).isEqualTo(RunState.PAUSED);
  }

  @Test
  void anAwaitOfARunOwnedElsewhereEndsWhenItsEngineCloses() throws Exception {
    String run = runOnOwner();
    CompletableFuture<RunView> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return other.await(run, Duration.ofMinutes(10));
      } catch (Exception e) {
        throw new CompletionException(e);
      }
    });
    other.close(); // the run goes on on its owner; the engine that waited for it is gone
    assertThat(owner.get(run).state()).isEqualTo(RunState.RUNNING);
    assertThatThrownBy(() -> waiting.get(Harness.WAIT.toSeconds(), TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("engine is closed");
  }
}
