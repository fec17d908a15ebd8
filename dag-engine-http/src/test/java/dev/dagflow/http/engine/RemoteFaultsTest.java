package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What the engine's faults do to a node: transient ones (5xx, 429, refused connections) are
 * retried and the node goes on; broken answers fail it at once and permanently, without a storm
 * of requests; an engine down longer than the node's timeout times it out, the node RUNNING
 * until then.
 */
class RemoteFaultsTest {
  private static final String STATUS = "GET /engine/task/task-1/status";
  private static final String SUBMIT = "POST /engine/task/submit";

  private final FakeEngine fake;
  private RemoteHarness h;

  RemoteFaultsTest() throws IOException {
    fake = new FakeEngine();
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
    fake.close();
  }

  private static DagSpec one(NodeSpec.Builder node) {
    return DagSpec.builder("one").node(node).build();
  }

  @Test
  void transientFaultsAreRetriedAndTheNodeCompletes() throws Exception {
    h = new RemoteHarness(fake, c -> c.maxRetries(5), RemoteHarness::fast);
    fake.submitFaults(Reply.http(503));
    fake.script("task-1", Reply.http(500), Reply.http(503), Reply.http(429, "1"),
        Reply.completed(Reply.JSON.createObjectNode().put("ok", true)));

    RunView done = h.await(h.submit(one(NodeSpec.task("x", "sim"))));

    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    assertThat(done.node("x").orElseThrow().attempts()).hasSize(1);
    assertThat(fake.requests(SUBMIT)).hasSize(2)
        .allSatisfy(r -> assertThat(r.header("Idempotency-Key")).endsWith(":x:1"));
    assertThat(fake.created).hasValue(1);
    List<FakeEngine.Request> polls = fake.requests(STATUS);
    assertThat(polls).hasSize(4);
    assertThat(Duration.ofNanos(polls.get(3).nanos() - polls.get(2).nanos()))
        .as("Retry-After: 1 honoured").isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  static Stream<Arguments> brokenAnswers() {
    return Stream.of(
        Arguments.of(Reply.raw("<html>502 Bad Gateway</html>"), "the answer is not JSON"),
        Arguments.of(Reply.raw("{\"state\": \"running\"}"), "the answer has no status"),
        Arguments.of(Reply.raw("{\"status\": \"running\", \"agents\": 3}"),
            "agents must be an array, was number 3"),
        Arguments.of(Reply.status("exploded"), "unknown status 'exploded' at status"));
  }

  @ParameterizedTest
  @MethodSource("brokenAnswers")
  void aBrokenAnswerFailsTheNodeAtOnceWithoutARetryStorm(Reply reply, String message)
      throws Exception {
    h = new RemoteHarness(fake, c -> c.maxRetries(5), RemoteHarness::fast);
    fake.script("task-1", reply);
    RetryPolicy three = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(1))
        .build();

    String run = h.submit(one(NodeSpec.task("x", "sim").retry(three)));
    RunView done = h.await(run);

    NodeView x = done.node("x").orElseThrow();
    assertThat(x.state()).isEqualTo(NodeState.FAILED);
    assertThat(x.errorCode()).contains("ENGINE_PROTOCOL");
    assertThat(x.errorMessage().orElseThrow())
        .startsWith("status of engine task 'task-1': ").contains(message);
    assertThat(x.attempts()).as("permanent: not retried by the node's policy").hasSize(1);
    assertThat(fake.requests(STATUS)).as("not retried by the client").hasSize(1);
    fake.awaitCount("POST /engine/task/task-1/stop", 1); // nothing follows the task any more
    assertThat(fake.requests(SUBMIT)).hasSize(1);
  }

  @Test
  void aSubmitTheEngineRefusesFailsTheNodePermanently() throws Exception {
    h = new RemoteHarness(fake, c -> c.maxRetries(5), RemoteHarness::fast);
    fake.submitFaults(Reply.http(404));
    RetryPolicy three = RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ofMillis(1))
        .build();

    NodeView x = h.await(h.submit(one(NodeSpec.task("x", "sim").retry(three)))).node("x")
        .orElseThrow();

    assertThat(x.state()).isEqualTo(NodeState.FAILED);
    assertThat(x.errorCode()).contains("ENGINE_REQUEST_REFUSED");
    assertThat(x.errorMessage().orElseThrow()).startsWith("submit (idempotency key '")
        .endsWith("the engine answered 404: {\"message\":\"scripted 404\"}");
    assertThat(x.attempts()).hasSize(1);
    assertThat(fake.requests(SUBMIT)).hasSize(1);
  }

  @Test
  void anEngineDownLongerThanTheTimeoutTimesTheNodeOutWhichRunsUntilThen() throws Exception {
    h = new RemoteHarness(fake, c -> c.maxRetries(1), RemoteHarness::fast);
    String run = h.submit(one(NodeSpec.task("x", "sim").timeout(Duration.ofMillis(1500))));
    fake.awaitCount(STATUS, 2);
    fake.stopServer(); // refused from now on

    RunView done = h.await(run);

    NodeView x = done.node("x").orElseThrow();
    assertThat(x.state()).isEqualTo(NodeState.TIMED_OUT);
    assertThat(x.attempts()).singleElement().satisfies(a -> {
      assertThat(a.outcome()).isEqualTo(AttemptOutcome.TIMED_OUT);
      assertThat(a.engineRef()).contains("task-1");
    });
    assertThat(h.engine.transitions(run)).filteredOn(t -> t.nodeId() != null
            && t.nodeId().equals("x")).extracting(StateTransition::to)
        .endsWith(NodeState.RUNNING, NodeState.TIMED_OUT);
    assertThat(h.nodeLog(run, "x")).filteredOn(l -> l.level() == LogLevel.WARN)
        .extracting(LogEntry::message).anySatisfy(m -> assertThat(m)
            .startsWith("the remote engine did not answer for task 'task-1'; polling goes on"));
  }

  @Test
  void anEngineBackAfterRefusingConnectionsIsPolledAgainAndTheNodeCompletes() throws Exception {
    h = new RemoteHarness(fake, c -> c.maxRetries(0), e -> RemoteHarness.fast(e)
        .maxPollBackoff(Duration.ofMillis(160)));
    String run = h.submit(one(NodeSpec.task("x", "sim")));
    fake.awaitCount(STATUS, 1);
    fake.stopServer();
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try {
      later.schedule(() -> {
        fake.script("task-1", Reply.completed(Reply.JSON.createObjectNode().put("late", 1)));
        fake.restart();
        return null;
      }, 500, TimeUnit.MILLISECONDS);

      RunView done = h.await(run);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("x").orElseThrow().attempts()).hasSize(1);
      assertThat(h.nodeLog(run, "x")).extracting(LogEntry::message).anySatisfy(m ->
          assertThat(m).startsWith("the remote engine did not answer for task 'task-1'"))
          .contains("the remote engine answers again for task 'task-1'");
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void anEngineUnreachableFromTheStartKeepsResubmittingUntilTheTimeout() throws Exception {
    fake.stopServer();
    h = new RemoteHarness(fake, c -> c.maxRetries(1), RemoteHarness::fast);

    RunView done = h.await(h.submit(one(NodeSpec.task("x", "sim")
        .timeout(Duration.ofMillis(800)))));

    NodeView x = done.node("x").orElseThrow();
    assertThat(x.state()).isEqualTo(NodeState.TIMED_OUT);
    assertThat(x.attempts()).extracting(AttemptRecord::engineRef).containsExactly(
        Optional.empty());
    assertThat(h.nodeLog(run(done), "x")).extracting(LogEntry::message)
        .anySatisfy(m -> assertThat(m).startsWith("the remote engine did not take the submit "
            + "yet; it is sent again under the same idempotency key"));
  }

  private static String run(RunView view) {
    return view.runId();
  }

  @Test
  void neverTwoStatusPollsOfOneTaskAtOnceEvenWhenPollsAreSlowerThanTheInterval()
      throws Exception {
    pollsManySlowTasks(c -> c);
  }

  @Test
  void withABatchPathOneRequestCarriesManyTasksAndStillNeverTwoAtOnce() throws Exception {
    pollsManySlowTasks(c -> c.batchStatusPath("/engine/tasks/status", 4));
    assertThat(fake.requests("POST /engine/tasks/status")).isNotEmpty();
    assertThat(fake.requests.stream().filter(r -> r.path().endsWith("/status")
        && r.method().equals("GET"))).isEmpty();
  }

  @Test
  void aBatchTheEngineFailsIsAskedForAgainAndEveryTaskInItCompletes() throws Exception {
    h = new RemoteHarness(fake, c -> c.maxRetries(0).batchStatusPath("/engine/tasks/status",
        10), RemoteHarness::fast);
    fake.script("task-1", Reply.running(10), Reply.completed(null));
    fake.script("task-2", Reply.http(503), Reply.http(500, "0"), Reply.completed(null));
    fake.script("task-3", Reply.running(30), Reply.completed(null));

    RunView done = h.await(h.submit(DagSpec.builder("three").node(NodeSpec.task("n1", "sim"))
        .node(NodeSpec.task("n2", "sim")).node(NodeSpec.task("n3", "sim")).build()));

    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    assertThat(done.nodes()).allSatisfy(n -> assertThat(n.attempts()).hasSize(1));
    assertThat(fake.requests("POST /engine/tasks/status").size()).isGreaterThanOrEqualTo(3);
  }

  private void pollsManySlowTasks(UnaryOperator<EngineClient.Builder> client)
      throws Exception {
    h = new RemoteHarness(fake, client, e -> e.pollInterval(Duration.ofMillis(2)));
    fake.statusDelay(Duration.ofMillis(15)); // each poll outlasts several ticks
    DagSpec.Builder wide = DagSpec.builder("wide");
    for (int i = 1; i <= 10; i++) {
      wide.node(NodeSpec.task("n" + i, "sim"));
      fake.script("task-" + i, Reply.running(10), Reply.running(20), Reply.running(30),
          Reply.running(40), Reply.completed(null));
    }

    RunView done = h.await(h.submit(wide.build()));

    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    assertThat(fake.violations).isEmpty();
    assertThat(fake.maxConcurrentPolls).hasValue(1);
  }
}
