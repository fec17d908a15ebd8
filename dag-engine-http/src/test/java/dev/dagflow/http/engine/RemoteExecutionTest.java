package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptRecord;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A node of task type {@code sim} runs on the remote engine: submitted with its config, params
 * and idempotency key, polled while it runs (progress on the node), ended with the engine's
 * result or error; stop and live updates reach the engine.
 */
class RemoteExecutionTest {
  private static final String STATUS = "GET /engine/task/task-1/status";

  private final FakeEngine fake;
  private final RemoteHarness h;

  RemoteExecutionTest() throws IOException {
    fake = new FakeEngine();
    h = new RemoteHarness(fake, c -> c, RemoteHarness::fast);
  }

  @AfterEach
  void close() {
    h.close();
    fake.close();
  }

  private static DagSpec chain() {
    ObjectNode config = Reply.JSON.createObjectNode().put("scenario", "red-blue").put("speed", 1);
    return DagSpec.builder("sim")
        .node(NodeSpec.task("a", "local"))
        .node(NodeSpec.task("b", "sim").config(config).dependsOn("a"))
        .node(NodeSpec.task("c", "local").dependsOn("b"))
        .build();
  }

  @Test
  void aNodeIsSubmittedPolledAndEndsWithTheEnginesResult() throws Exception {
    fake.script("task-1", Reply.running(10), Reply.running(50),
        Reply.completed(Reply.JSON.createObjectNode().put("score", 7)));

    String run = h.submit(chain());
    RunView done = h.await(run);

    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    NodeView b = done.node("b").orElseThrow();
    assertThat(b.result().orElseThrow().get("score").asInt()).isEqualTo(7);
    assertThat(b.attempts()).singleElement().satisfies(a -> {
      assertThat(a.engineRef()).contains("task-1");
      assertThat(a.idempotencyKey()).isEqualTo(run + ":b:1");
    });
    assertThat(fake.requests(STATUS)).hasSize(3);

    FakeEngine.Request submit = fake.requests("POST /engine/task/submit").get(0);
    assertThat(submit.header("Idempotency-Key")).isEqualTo(run + ":b:1");
    JsonNode body = Reply.JSON.readTree(submit.body());
    assertThat(body.get("requestType").asInt()).isEqualTo(1);
    assertThat(body.get("idempotencyKey").asText()).isEqualTo(run + ":b:1");
    assertThat(body.get("params")).isEqualTo(done.params());
    JsonNode node = body.get("body").get(0);
    assertThat(body.get("body")).hasSize(1);
    assertThat(node.get("id").asText()).isEqualTo("b");
    assertThat(node.get("isBox").asBoolean()).isFalse();
    assertThat(node.get("father").isNull()).isTrue();
    assertThat(node.get("isRoot").asBoolean()).isTrue();
    assertThat(node.get("agentLoad").asText()).isEqualTo("sim");
    assertThat(node.get("agentConfig")).isEqualTo(chain().node("b").orElseThrow().config());
    assertThat(fake.violations).isEmpty();
  }

  @Test
  void progressIsOnTheNodeWhileItRuns() throws Exception {
    fake.script("task-1", Reply.running(40));
    String run = h.submit(chain());

    fake.awaitCount(STATUS, 2); // the second poll is sent only once the first was applied

    NodeView b = h.node(run, "b");
    assertThat(b.state()).isEqualTo(NodeState.RUNNING);
    assertThat(b.progress()).isEqualTo(40);

    fake.script("task-1", Reply.running(75), Reply.completed(null));
    assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
  }

  @Test
  void aFailedTaskFailsTheNodeWithTheEnginesCodeAndMessage() throws Exception {
    fake.script("task-1", Reply.running(5), Reply.failed("OOM", "out of memory"));

    RunView done = h.await(h.submit(chain()));

    assertThat(done.state()).isEqualTo(RunState.FAILED);
    NodeView b = done.node("b").orElseThrow();
    assertThat(b.state()).isEqualTo(NodeState.FAILED);
    assertThat(b.errorCode()).contains("OOM");
    assertThat(b.errorMessage()).contains("engine task 'task-1' failed: out of memory");
    assertThat(done.node("c").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
  }

  @Test
  void anErrorCodeUnfitForANodeIsKeptInTheMessageUnderTheDefaultCode() throws Exception {
    fake.script("task-1", Reply.failed("disk full!\n", "no space left"));

    NodeView b = h.await(h.submit(chain())).node("b").orElseThrow();

    assertThat(b.errorCode()).contains("ENGINE_TASK_FAILED");
    assertThat(b.errorMessage()).contains("engine task 'task-1' failed: no space left "
        + "[engine code disk full!\n]");
  }

  @Test
  void aTaskStoppedOnTheEngineFailsTheNode() throws Exception {
    fake.script("task-1", Reply.status("cancelled"));

    NodeView b = h.await(h.submit(chain())).node("b").orElseThrow();

    assertThat(b.state()).isEqualTo(NodeState.FAILED);
    assertThat(b.errorCode()).contains("ENGINE_TASK_STOPPED");
    assertThat(b.errorMessage()).contains("engine task 'task-1' was stopped on the engine");
  }

  @Test
  void stoppingTheRunStopsTheRemoteTask() throws Exception {
    String run = h.submit(chain());
    fake.awaitCount(STATUS, 1);

    h.engine.stop(run, "ops");
    fake.awaitCount("POST /engine/task/task-1/stop", 1);

    RunView done = h.await(run);
    assertThat(done.state()).isEqualTo(RunState.STOPPED);
    assertThat(done.node("b").orElseThrow().state()).isEqualTo(NodeState.STOPPED);
    assertThat(fake.requests("POST /engine/task/task-1/stop")).hasSize(1);
  }

  @Test
  void aLiveUpdateReachesTheRemoteTask() throws Exception {
    String run = h.submit(chain());
    fake.awaitCount(STATUS, 1);

    h.engine.updateNodeConfig(run, "b", Reply.JSON.createObjectNode().put("speed", 3), "ops");
    fake.awaitCount("PUT /engine/task/task-1/update", 1);

    JsonNode sent = Reply.JSON.readTree(
        fake.requests("PUT /engine/task/task-1/update").get(0).body());
    assertThat(sent).isEqualTo(Reply.JSON.createObjectNode().put("scenario", "red-blue")
        .put("speed", 3));
    fake.script("task-1", Reply.completed(null));
    RunView done = h.await(run);
    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    assertThat(done.node("b").orElseThrow().config().get("speed").asInt()).isEqualTo(3);
    assertThat(done.node("b").orElseThrow().attempts()).extracting(AttemptRecord::attempt)
        .isEqualTo(List.of(1));
  }
}
