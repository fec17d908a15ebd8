package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An engine is lost while a remote task runs, and a second engine on the same stores takes the
 * run: it re-attaches to the task the first one started, by the stored reference, or, when the
 * first was lost between the submit and the store, by submitting again under the attempt's old
 * idempotency key, which the remote engine answers with the task it has. Either way the remote
 * engine makes exactly one task and the same attempt completes.
 */
class RemoteReattachTest {
  private static final String SUBMIT = "POST /engine/task/submit";

  private final FakeEngine fake;
  private final Stores shared = Stores.inMemory();

  RemoteReattachTest() throws IOException {
    fake = new FakeEngine();
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private static DagSpec spec() {
    return DagSpec.builder("remote")
        .node(NodeSpec.task("a", "local"))
        .node(NodeSpec.task("b", "sim").dependsOn("a"))
        .node(NodeSpec.task("c", "local").dependsOn("b"))
        .build();
  }

  private RemoteHarness engine(String name) {
    return new RemoteHarness(fake, shared, name, c -> c, RemoteHarness::fast);
  }

  private AttemptRecord attemptOfB(String run) {
    return shared.runs().attempts(run).stream().filter(a -> a.nodeId().equals("b"))
        .reduce((x, y) -> {
          throw new AssertionError("two attempts of b: " + x + ", " + y);
        }).orElseThrow();
  }

  @Test
  void aCrashBetweenSubmitAndStoreReattachesByTheKeyAndTheEngineMakesOneTask()
      throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    fake.holdSubmits(answer); // the task is made, its id not yet back
    RemoteHarness first = engine("engine-a");
    String run = first.submit(spec());
    fake.awaitCount(SUBMIT, 1);
    first.close(); // lost before the reference could be stored
    answer.countDown();
    assertThat(attemptOfB(run)).extracting(AttemptRecord::outcome, AttemptRecord::engineRef)
        .containsExactly(AttemptOutcome.RUNNING, Optional.empty());
    fake.script("task-1", Reply.running(50), Reply.completed(Reply.JSON.createObjectNode()
        .put("by", "the one task")));

    try (RemoteHarness second = engine("engine-b")) {
      RunView done = second.await(run);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("b").orElseThrow().result().orElseThrow().get("by").asText())
          .isEqualTo("the one task");
      assertThat(done.node("b").orElseThrow().attempts())
          .extracting(AttemptRecord::attempt, AttemptRecord::outcome, AttemptRecord::engineRef)
          .containsExactly(tuple(1, AttemptOutcome.COMPLETED, Optional.of("task-1")));
    }
    assertThat(fake.created).as("tasks the remote engine made").hasValue(1);
    assertThat(fake.requests(SUBMIT)).hasSize(2).extracting(r -> r.header("Idempotency-Key"))
        .containsOnly(run + ":b:1");
    assertThat(fake.violations).isEmpty();
  }

  @Test
  void aCrashAfterTheStoreReattachesByTheReferenceWithoutSubmittingAgain() throws Exception {
    RemoteHarness first = engine("engine-a");
    String run = first.submit(spec());
    fake.awaitCount("GET /engine/task/task-1/status", 1); // polled: the reference is stored
    first.close();
    assertThat(attemptOfB(run).engineRef()).contains("task-1");
    fake.script("task-1", Reply.completed(null));

    try (RemoteHarness second = engine("engine-b")) {
      RunView done = second.await(run);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("b").orElseThrow().attempts()).singleElement()
          .extracting(AttemptRecord::outcome).isEqualTo(AttemptOutcome.COMPLETED);
    }
    assertThat(fake.requests(SUBMIT)).hasSize(1);
    assertThat(fake.created).hasValue(1);
  }

  @Test
  void aTaskTheEngineForgotFailsTheReattachedAttemptAndTheNextOneSubmitsAgain()
      throws Exception {
    RemoteHarness first = engine("engine-a");
    String run = first.submit(DagSpec.builder("retried").node(NodeSpec.task("b", "sim")
        .retry(RetryPolicy.builder().maxAttempts(2)
            .initialDelay(Duration.ofMillis(1)).build())).build());
    fake.awaitCount("GET /engine/task/task-1/status", 1);
    first.close();
    fake.tasks.remove("task-1"); // the remote engine lost it: its status is 404
    fake.script("task-2", Reply.completed(null));

    try (RemoteHarness second = engine("engine-b")) {
      RunView done = second.await(run);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("b").orElseThrow().attempts())
          .extracting(AttemptRecord::attempt, AttemptRecord::outcome, AttemptRecord::errorCode)
          .containsExactly(tuple(1, AttemptOutcome.FAILED, Optional.of("ENGINE_TASK_NOT_FOUND")),
              tuple(2, AttemptOutcome.COMPLETED, Optional.empty()));
    }
    assertThat(fake.created).hasValue(2);
  }

  @Test
  void aContainerReattachesByItsReferenceAndItsAgentsAreReportedAgain() throws Exception {
    fake.script("task-1", Reply.status("running")
        .withAgentStatus(Reply.agent("ag-a", "a", "completed"))
        .withAgentStatus(Reply.agent("ag-b", "b", "running").put("progress", 40)));
    RemoteHarness first = engine("engine-a");
    String run = first.submit(RemoteContainerTest.spec());
    first.awaitNode(run, "b", n -> n.state() == NodeState.RUNNING);
    first.close();
    assertThat(shared.runs().attempts(run)).filteredOn(a -> a.nodeId().equals("box"))
        .singleElement().extracting(AttemptRecord::engineRef).isEqualTo(Optional.of("task-1"));
    fake.rescript("task-1", RemoteContainerTest.allCompleted());

    try (RemoteHarness second = engine("engine-b")) {
      RunView done = second.await(run);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      for (String node : new String[] {"box", "a", "b", "c"}) {
        assertThat(done.node(node).orElseThrow().attempts()).as(node)
            .extracting(AttemptRecord::attempt, AttemptRecord::outcome)
            .containsExactly(tuple(1, AttemptOutcome.COMPLETED));
      }
      assertThat(done.node("b").orElseThrow().result())
          .contains(RemoteContainerTest.result("b", 2));
      assertThat(done.node("b").orElseThrow().attempts().get(0).engineRef()).contains("ag-b");
    }
    assertThat(fake.requests(SUBMIT)).hasSize(1);
    assertThat(fake.created).hasValue(1);
    assertThat(fake.violations).isEmpty();
  }
}
