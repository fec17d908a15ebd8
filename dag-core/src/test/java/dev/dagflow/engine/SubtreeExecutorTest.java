package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A container whose executor runs its whole subtree elsewhere ({@link
 * NodeExecutor#runsSubtree}) drives the states of the nodes inside it through {@link
 * NodeContext#child}: they are never dispatched here, their reports keep their gates, and the
 * container's stage ends the subtree.
 */
class SubtreeExecutorTest {

  /** A container "box" run remotely: a, then b after a; c in a nested container; d after box. */
  private static DagSpec spec() {
    return DagSpec.builder("remote")
        .node(NodeSpec.container("box").taskType("remote"))
        .node(NodeSpec.task("a", "agent-a").parent("box"))
        .node(NodeSpec.task("b", "agent-b").parent("box").dependsOn("a"))
        .node(NodeSpec.container("inner").parent("box"))
        .node(NodeSpec.task("c", "agent-c").parent("inner"))
        .node(NodeSpec.task("d", "local").dependsOn("box"))
        .build();
  }

  /** Runs the subtree "remotely": the test drives each context it is given. */
  static final class Driver implements NodeExecutor {
    final LinkedBlockingQueue<NodeContext> started = new LinkedBlockingQueue<>();
    final Map<String, CompletableFuture<NodeResult>> stages = new ConcurrentHashMap<>();
    final List<String> cancelled = new CopyOnWriteArrayList<>();
    volatile boolean canReattach;

    @Override
    public boolean runsSubtree() {
      return true;
    }

    @Override
    public CompletionStage<NodeResult> execute(NodeContext context) {
      CompletableFuture<NodeResult> stage = new CompletableFuture<>();
      stages.put(context.idempotencyKey(), stage);
      started.add(context);
      return stage;
    }

    @Override
    public void cancel(NodeContext context) {
      cancelled.add(context.idempotencyKey());
    }

    @Override
    public Optional<CompletionStage<NodeResult>> reattach(NodeContext context) {
      if (!canReattach) {
        return Optional.empty();
      }
      CompletableFuture<NodeResult> stage = new CompletableFuture<>();
      stages.put(context.idempotencyKey(), stage);
      started.add(context);
      return Optional.of(stage);
    }

    NodeContext next() throws InterruptedException {
      NodeContext c = started.poll(10, TimeUnit.SECONDS);
      assertThat(c).as("the container's executor was called").isNotNull();
      return c;
    }

    void end(NodeContext c, NodeResult result) {
      stages.get(c.idempotencyKey()).complete(result);
    }
  }

  /** A new engine on the stores and clock of {@code h1}, whose engine was closed, started. */
  private static DagEngine restarted(Harness h1, NodeExecutor remote) {
    DagEngine engine = DagEngine.builder().stores(h1.stores).timeSource(h1.clock)
        .executor("remote", remote).executor("local", h1.executor).build();
    engine.start();
    return engine;
  }

  private static Harness harness(Driver driver) {
    Harness h = new Harness(b -> b.executor("remote", driver), "local");
    h.executor.defaultOutcome(Outcome.succeed());
    return h;
  }

  private static List<NodeState> states(Harness h, String run, String node) {
    return h.engine.transitions(run).stream().filter(t -> t.nodeId().equals(node))
        .map(StateTransition::to).toList();
  }

  @Test
  void theSubtreeHandedToTheExecutorLeavesOutWhatTheTargetsDoNotNeed() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec().toBuilder().targets(List.of("b")).build());
      NodeContext box = driver.next();
      assertThat(box.subtree()).extracting(NodeSpec::id).containsExactly("a", "b");
      box.child("a").ended(NodeResult.success(null));
      box.child("b").ended(NodeResult.success(null));
      driver.end(box, NodeResult.success(null));

      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.nodeStates()).containsEntry("inner", NodeState.SKIPPED)
          .containsEntry("c", NodeState.SKIPPED).containsEntry("d", NodeState.SKIPPED);
    }
  }

  @Test
  void reportsBecomeTheStatesAndAttemptsOfTheNodesInside() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec()); // agent-a, agent-b, agent-c have no executor: not needed
      NodeContext box = driver.next();
      assertThat(box.subtree()).extracting(NodeSpec::id).containsExactly("a", "b", "inner", "c");
      assertThat(h.engine.get(run).node("box").orElseThrow().state())
          .isEqualTo(NodeState.INITIALIZING);

      box.child("a").running();
      h.awaitNode(run, "box", NodeState.RUNNING);
      box.child("a").reportEngineRef("agent-17");
      box.child("a").progress(40);
      box.child("a").log(LogLevel.INFO, "scanning {}", "10.0.0.1");
      RunView view = h.engine.get(run);
      assertThat(view.node("a").orElseThrow().state()).isEqualTo(NodeState.RUNNING);
      assertThat(view.node("a").orElseThrow().progress()).isEqualTo(40);
      assertThat(view.node("b").orElseThrow().state()).isEqualTo(NodeState.WAITING);

      box.child("a").ended(NodeResult.success(JsonNodeFactory.instance.objectNode().put("x", 1)));
      box.child("b").ended(NodeResult.success());
      box.child("c").ended(NodeResult.success());
      driver.end(box, NodeResult.success());
      view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.nodeStates()).containsEntry("box", NodeState.COMPLETED)
          .containsEntry("a", NodeState.COMPLETED).containsEntry("b", NodeState.COMPLETED)
          .containsEntry("inner", NodeState.COMPLETED).containsEntry("c", NodeState.COMPLETED)
          .containsEntry("d", NodeState.COMPLETED);
      assertThat(states(h, run, "b")).containsExactly(NodeState.WAITING, NodeState.READY,
          NodeState.RUNNING, NodeState.COMPLETED);
      List<AttemptRecord> a = view.node("a").orElseThrow().attempts();
      assertThat(a).hasSize(1);
      assertThat(a.get(0).engineRef()).contains("agent-17");
      assertThat(a.get(0).outcome()).isEqualTo(AttemptOutcome.COMPLETED);
      assertThat(h.engine.get(run).node("d").orElseThrow().attempts()).hasSize(1);
      assertThat(h.executor.calls()).extracting(c -> c.nodeId()).containsExactly("d");
      assertThat(h.engine.logs(LogQuery.of(run).node("a")))
          .extracting(e -> e.message()).contains("scanning 10.0.0.1");
      assertThat(view.node("box").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.COMPLETED);
    }
  }

  @Test
  void aReportOnANodeWhoseGatesAreClosedWaitsForThem() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec());
      NodeContext box = driver.next();
      box.child("b").ended(NodeResult.success()); // before a: held
      box.child("c").ended(NodeResult.success());
      h.awaitNode(run, "c", NodeState.COMPLETED);
      assertThat(h.engine.get(run).node("b").orElseThrow().state())
          .isEqualTo(NodeState.WAITING);
      box.child("a").ended(NodeResult.success());
      h.awaitNode(run, "b", NodeState.COMPLETED);
      List<StateTransition> ts = h.engine.transitions(run);
      int aDone = indexOf(ts, "a", NodeState.COMPLETED);
      int bRunning = indexOf(ts, "b", NodeState.RUNNING);
      assertThat(aDone).isLessThan(bRunning);
      assertThat(h.engine.get(run).node("box").orElseThrow().state())
          .isEqualTo(NodeState.COMPLETED);
      driver.end(box, NodeResult.success()); // after the container ended: expected, quiet
      assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
    }
  }

  private static int indexOf(List<StateTransition> ts, String node, NodeState to) {
    for (int i = 0; i < ts.size(); i++) {
      if (ts.get(i).nodeId().equals(node) && ts.get(i).to() == to) {
        return i;
      }
    }
    throw new AssertionError(node + " never " + to);
  }

  @Test
  void aFailedStageFailsTheContainerAndWhatRunsInside() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec());
      NodeContext box = driver.next();
      box.child("a").running();
      h.awaitNode(run, "a", NodeState.RUNNING);
      driver.end(box, NodeResult.failure("E_REMOTE", "the engine lost the task"));
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.FAILED);
      assertThat(view.nodeStates()).containsEntry("box", NodeState.FAILED)
          .containsEntry("a", NodeState.FAILED).containsEntry("b", NodeState.SKIPPED)
          .containsEntry("c", NodeState.FAILED) // could run, never reported: as a
          .containsEntry("d", NodeState.SKIPPED);
      NodeView a = view.node("a").orElseThrow();
      assertThat(a.errorCode()).contains("E_REMOTE");
      assertThat(a.attempts()).singleElement().extracting(AttemptRecord::outcome)
          .isEqualTo(AttemptOutcome.FAILED);
      assertThat(view.node("box").orElseThrow().errorMessage())
          .contains("the engine lost the task");
    }
  }

  @Test
  void aStageThatSucceedsWithoutReportingANodeFailsThatNode() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec());
      NodeContext box = driver.next();
      box.child("a").ended(NodeResult.success());
      box.child("b").running();
      h.awaitNode(run, "b", NodeState.RUNNING);
      driver.end(box, NodeResult.success());
      RunView view = h.await(run);
      assertThat(view.nodeStates()).containsEntry("a", NodeState.COMPLETED)
          .containsEntry("b", NodeState.FAILED).containsEntry("c", NodeState.FAILED)
          .containsEntry("box", NodeState.FAILED);
      assertThat(view.node("b").orElseThrow().errorCode()).contains("NO_OUTCOME");
    }
  }

  @Test
  void aFailedNodeInsideFailsTheContainerAsAnyChildWould() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec());
      NodeContext box = driver.next();
      box.child("a").ended(NodeResult.failure("E_AGENT", "crashed"));
      box.child("c").ended(NodeResult.success());
      RunView view = h.await(run);
      assertThat(view.nodeStates()).containsEntry("a", NodeState.FAILED)
          .containsEntry("b", NodeState.SKIPPED).containsEntry("box", NodeState.FAILED);
      assertThat(view.node("a").orElseThrow().attempts()).hasSize(1); // not retried here
      assertThat(view.node("box").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.FAILED);
      driver.end(box, NodeResult.failure("E_AGENT", "a failed")); // late: ignored
      assertThat(h.engine.get(run).state()).isEqualTo(RunState.FAILED);
      assertThat(driver.cancelled).isEmpty();
    }
  }

  @Test
  void stoppingTheContainerCancelsItsExecutorAndStopsWhatRunsInside() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec());
      NodeContext box = driver.next();
      box.child("a").running();
      h.awaitNode(run, "a", NodeState.RUNNING);
      h.engine.stopNode(run, "box", "ops");
      h.awaitNode(run, "a", NodeState.STOPPED);
      assertThat(driver.cancelled).containsExactly(box.idempotencyKey());
      assertThat(h.engine.get(run).node("a").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.STOPPED);
      box.child("a").ended(NodeResult.success()); // after the attempt ended: ignored
      assertThat(h.engine.get(run).node("a").orElseThrow().state())
          .isEqualTo(NodeState.STOPPED);
    }
  }

  @Test
  void theContainersTimeoutFailsItAndCancelsItsExecutor() throws Exception {
    Driver driver = new Driver();
    DagSpec spec = DagSpec.builder("remote")
        .node(NodeSpec.container("box").taskType("remote").timeout(Duration.ofMinutes(5)))
        .node(NodeSpec.task("a", "agent-a").parent("box"))
        .build();
    try (Harness h = harness(driver)) {
      String run = h.submit(spec);
      NodeContext box = driver.next();
      box.child("a").running();
      h.awaitNode(run, "a", NodeState.RUNNING);
      h.clock.advance(Duration.ofMinutes(5));
      RunView view = h.await(run);
      assertThat(view.nodeStates()).containsEntry("box", NodeState.FAILED)
          .containsEntry("a", NodeState.FAILED);
      assertThat(view.node("box").orElseThrow().errorCode()).contains("TIMEOUT");
      assertThat(view.node("box").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.TIMED_OUT);
      assertThat(driver.cancelled).containsExactly(box.idempotencyKey());
    }
  }

  @Test
  void badReportsNameTheProblem() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      h.submit(spec());
      NodeContext box = driver.next();
      assertThatThrownBy(() -> box.child("d")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'d'").hasMessageContaining("inside container 'box'");
      assertThatThrownBy(() -> box.child("inner")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'inner'");
      assertThatThrownBy(() -> box.child("nope")).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> box.child("a").reportEngineRef(" "))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("engineRef");
      assertThatThrownBy(() -> box.child("a").ended(null))
          .isInstanceOf(NullPointerException.class);
    }
  }

  @Test
  void anOrdinaryContextHasNoSubtree() throws Exception {
    LinkedBlockingQueue<NodeContext> seen = new LinkedBlockingQueue<>();
    try (Harness h = new Harness(b -> b.executor("plain", ctx -> {
      seen.add(ctx);
      return CompletableFuture.completedFuture(NodeResult.success());
    }))) {
      h.await(h.submit(DagSpec.builder("one").node(NodeSpec.task("x", "plain")).build()));
      NodeContext x = seen.poll(10, TimeUnit.SECONDS);
      assertThat(x.subtree()).isEmpty();
      assertThatThrownBy(() -> x.child("x")).isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("does not run a subtree");
    }
  }

  @Test
  void aNodeInsideStillNeedsAnExecutorWhenItsContainerIsNotRunRemotely() {
    try (Harness h = new Harness("local")) {
      DagSpec spec = DagSpec.builder("s")
          .node(NodeSpec.container("box").taskType("local"))
          .node(NodeSpec.task("a", "agent-a").parent("box"))
          .build();
      assertThatThrownBy(() -> h.submit(spec)).isInstanceOf(UnknownTaskTypeException.class)
          .hasMessageContaining("agent-a");
    }
  }

  @Test
  void aRestartedEngineReattachesTheContainerAndItsReportsGoOn() throws Exception {
    Driver first = new Driver();
    Harness h1 = harness(first);
    String run = h1.submit(spec());
    NodeContext box = first.next();
    box.child("a").reportEngineRef("agent-1");
    h1.awaitNode(run, "a", NodeState.RUNNING);
    h1.engine.close(); // the container's attempt and a stay RUNNING in the store

    Driver second = new Driver();
    second.canReattach = true;
    try (DagEngine engine = restarted(h1, second)) {
      NodeContext again = second.next();
      assertThat(again.idempotencyKey()).isEqualTo(box.idempotencyKey());
      again.child("a").ended(NodeResult.success());
      again.child("b").ended(NodeResult.success());
      again.child("c").ended(NodeResult.success());
      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      List<AttemptRecord> a = view.node("a").orElseThrow().attempts();
      assertThat(a).singleElement().satisfies(r -> {
        assertThat(r.engineRef()).contains("agent-1");
        assertThat(r.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
      });
    }
  }

  @Test
  void aContainerThatCannotReattachFailsWithWhatRanInside() throws Exception {
    Driver first = new Driver();
    Harness h1 = harness(first);
    String run = h1.submit(spec());
    NodeContext box = first.next();
    box.child("a").running();
    h1.awaitNode(run, "a", NodeState.RUNNING);
    h1.engine.close();

    Driver second = new Driver(); // cannot reattach
    try (DagEngine engine = restarted(h1, second)) {
      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.nodeStates()).containsEntry("box", NodeState.FAILED)
          .containsEntry("a", NodeState.FAILED).containsEntry("b", NodeState.SKIPPED);
      assertThat(view.node("box").orElseThrow().errorCode()).contains("ABANDONED");
      assertThat(view.node("a").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.FAILED);
      assertThat(second.started).isEmpty();
    }
  }

  /** box holds a and b, neither depending on the other. */
  private static DagSpec twoInside() {
    return DagSpec.builder("two")
        .node(NodeSpec.container("box").taskType("remote"))
        .node(NodeSpec.task("a", "agent-a").parent("box"))
        .node(NodeSpec.task("b", "agent-b").parent("box"))
        .build();
  }

  @Test
  void reportsMadeWhileReattachingCount() throws Exception {
    Driver first = new Driver();
    Harness h1 = harness(first);
    String run = h1.submit(twoInside());
    first.next().child("a").running();
    h1.awaitNode(run, "a", NodeState.RUNNING);
    h1.engine.close();

    NodeExecutor resyncing = new NodeExecutor() {
      @Override
      public boolean runsSubtree() {
        return true;
      }

      @Override
      public CompletionStage<NodeResult> execute(NodeContext context) {
        return new CompletableFuture<>();
      }

      @Override
      public Optional<CompletionStage<NodeResult>> reattach(NodeContext context) {
        context.child("a").ended(NodeResult.success()); // a ended while nobody watched
        context.child("b").ended(NodeResult.success());
        return Optional.of(CompletableFuture.completedFuture(NodeResult.success()));
      }
    };
    try (DagEngine engine = restarted(h1, resyncing)) {
      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("a").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.COMPLETED);
    }
  }

  @Test
  void failFastInsideCancelsTheContainersExecutor() throws Exception {
    Driver driver = new Driver();
    ExecutionPolicy failFast = ExecutionPolicy.builder("ff")
        .failureStrategy(FailureStrategy.FAIL_FAST).build();
    try (Harness h = new Harness(b -> b.executor("remote", driver).engineDefaultPolicy(failFast),
        "local")) {
      String run = h.submit(twoInside());
      NodeContext box = driver.next();
      box.child("a").ended(NodeResult.failure("E", "x")); // b is stopped by fail fast
      RunView view = h.await(run);
      assertThat(view.nodeStates()).containsEntry("a", NodeState.FAILED)
          .containsEntry("b", NodeState.STOPPED).containsEntry("box", NodeState.FAILED);
      assertThat(driver.cancelled).containsExactly(box.idempotencyKey());
      assertThat(view.node("box").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.STOPPED);
    }
  }

  @Test
  void stoppingEveryNodeInsideCancelsTheContainersExecutor() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(twoInside());
      NodeContext box = driver.next();
      box.child("a").running();
      box.child("b").running();
      h.awaitNode(run, "b", NodeState.RUNNING);
      h.engine.stopNode(run, "a", "ops");
      h.engine.stopNode(run, "b", "ops");
      h.await(run);
      assertThat(driver.cancelled).containsExactly(box.idempotencyKey());
    }
  }

  @Test
  void aNodeInsideARunningSubtreeIsNotRetriedOnItsOwn() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(twoInside());
      NodeContext box = driver.next();
      box.child("a").ended(NodeResult.failure("E", "x"));
      box.child("b").running();
      h.awaitNode(run, "a", NodeState.FAILED);
      assertThatThrownBy(() -> h.engine.retry(run, "a", "ops"))
          .isInstanceOf(NodeOperationException.class)
          .hasMessageContaining("inside container 'box'").hasMessageContaining("retry the");
      assertThatThrownBy(() -> h.engine.updateNodeConfig(run, "b",
          JsonNodeFactory.instance.objectNode().put("k", 1), "ops"))
          .isInstanceOf(NodeOperationException.class).hasMessageContaining("update the");
      assertThat(h.engine.get(run).node("a").orElseThrow().state())
          .isEqualTo(NodeState.FAILED);
    }
  }

  @Test
  void retryingTheContainerRunsItsFailedNodesAgain() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(twoInside());
      NodeContext box = driver.next();
      box.child("a").running();
      h.awaitNode(run, "a", NodeState.RUNNING);
      driver.end(box, NodeResult.failure("E_REMOTE", "gone"));
      assertThat(h.await(run).state()).isEqualTo(RunState.FAILED);
      h.engine.retry(run, "box", "ops");
      NodeContext again = driver.next();
      assertThat(again.attempt()).isEqualTo(2);
      again.child("a").ended(NodeResult.success());
      again.child("b").ended(NodeResult.success());
      driver.end(again, NodeResult.success());
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("a").orElseThrow().attempts()).extracting(AttemptRecord::outcome)
          .containsExactly(AttemptOutcome.FAILED, AttemptOutcome.COMPLETED);
    }
  }

  @Test
  void aNodeNeverReportedFailsTheRunRatherThanStoppingIt() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      String run = h.submit(twoInside());
      NodeContext box = driver.next();
      box.child("a").ended(NodeResult.success());
      h.awaitNode(run, "a", NodeState.COMPLETED);
      driver.end(box, NodeResult.success());
      RunView view = h.await(run);
      assertThat(view.state()).isEqualTo(RunState.FAILED);
      assertThat(view.node("b").orElseThrow().errorCode()).contains("NO_OUTCOME");
    }
  }

  @Test
  void theNodesInsideShowTheirEffectiveConfigAndUpstreamResults() throws Exception {
    Driver driver = new Driver();
    try (Harness h = harness(driver)) {
      DagSpec spec = DagSpec.builder("cfg")
          .node(NodeSpec.task("seed", "local"))
          .node(NodeSpec.container("box").taskType("remote"))
          .node(NodeSpec.task("a", "agent-a").parent("box").dependsOn("seed")
              .config(JsonNodeFactory.instance.objectNode().put("depth", 2)))
          .build();
      h.executor.script("seed", Outcome.succeed(JsonNodeFactory.instance.objectNode()
          .put("hosts", 3)));
      String run = h.submit(spec);
      NodeContext box = driver.next();
      assertThat(box.child("a").config().get("depth").asInt()).isEqualTo(2);
      h.awaitNode(run, "seed", NodeState.COMPLETED);
      assertThat(box.child("a").upstreamResults().get("seed").get("hosts").asInt()).isEqualTo(3);
      h.engine.stop(run, "t");
    }
  }

  @Test
  void aSetUpContainerRunningAtARestartKeepsItsSetUp() throws Exception {
    Harness h1 = new Harness("setup", "t");
    h1.executor.script("c", Outcome.succeed());
    h1.executor.script("t1", Outcome.hang());
    String run = h1.submit(DagSpec.builder("s")
        .node(NodeSpec.container("c").taskType("setup"))
        .node(NodeSpec.task("t1", "t").parent("c")).build());
    h1.awaitNode(run, "t1", NodeState.RUNNING);
    h1.engine.close();
    h1.executor.script("t1", Outcome.succeed()); // the new attempt of t1
    try (DagEngine engine = DagEngine.builder().stores(h1.stores).timeSource(h1.clock)
        .executor("setup", h1.executor).executor("t", h1.executor).build()) {
      engine.start();
      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("c").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.COMPLETED);
    }
  }

  @Test
  void anInitializingContainerThatCannotReattachFailsAbandoned() throws Exception {
    Driver first = new Driver();
    Harness h1 = harness(first);
    String run = h1.submit(twoInside());
    first.next();
    h1.engine.close();
    try (DagEngine engine = restarted(h1, new Driver())) {
      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.node("box").orElseThrow().errorCode()).contains("ABANDONED");
      assertThat(view.nodeStates()).containsEntry("a", NodeState.SKIPPED);
    }
  }
}
