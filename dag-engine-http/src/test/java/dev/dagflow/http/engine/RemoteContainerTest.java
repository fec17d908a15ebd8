package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.log.LogEntry;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptRecord;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A container of task type {@code sim} runs on the remote engine with its whole subtree: one
 * submit carries it all, the remote agents' states land on the task nodes inside (a nested
 * container's too), an agent's failure fails its node and the container, the task's failure
 * fails the container and what ran inside, a stop reaches the engine, and each agent's
 * progress and log lines go to its own node.
 */
class RemoteContainerTest {
  private static final String SUBMIT = "POST /engine/task/submit";
  private static final String STATUS = "GET /engine/task/task-1/status";
  private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");

  private final FakeEngine fake;
  private final RemoteHarness h;

  RemoteContainerTest() throws IOException {
    fake = new FakeEngine();
    h = new RemoteHarness(fake, c -> c, RemoteHarness::fast);
  }

  @AfterEach
  void close() {
    h.close();
    fake.close();
  }

  /** box (remote): a, then b after a, inner with c; d after box, here. */
  static DagSpec spec() {
    return DagSpec.builder("drill")
        .node(NodeSpec.container("box").taskType("sim")
            .config(Reply.JSON.createObjectNode().put("region", "north")))
        .node(NodeSpec.task("a", "scan").parent("box")
            .config(Reply.JSON.createObjectNode().put("depth", 2)))
        .node(NodeSpec.task("b", "attack").parent("box").dependsOn("a"))
        .node(NodeSpec.container("inner").parent("box")
            .config(Reply.JSON.createObjectNode().put("layer", 1)))
        .node(NodeSpec.task("c", "report").parent("inner"))
        .node(NodeSpec.task("d", "local").dependsOn("box"))
        .build();
  }

  static ObjectNode result(String key, int value) {
    return Reply.JSON.createObjectNode().put(key, value);
  }

  /** Every agent completed, each with a result, and the task too. */
  static Reply allCompleted() {
    return Reply.completed(result("total", 3))
        .withAgentStatus(Reply.agent("ag-a", "a", "completed").set("result", result("a", 1)))
        .withAgentStatus(Reply.agent("ag-b", "b", "completed").set("result", result("b", 2)))
        .withAgentStatus(Reply.agent("ag-c", "c", "completed").set("result", result("c", 3)));
  }

  private static EngineLine line(int second, String message) {
    return EngineLine.at(T0.plusSeconds(second), "INFO", message);
  }

  @Test
  void theWholeSubtreeIsSubmittedAsOnePayload() throws Exception {
    fake.script("task-1", allCompleted());

    String run = h.submit(spec());
    RunView done = h.await(run);

    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    assertThat(fake.requests(SUBMIT)).hasSize(1);
    FakeEngine.Request submit = fake.requests(SUBMIT).get(0);
    assertThat(submit.header("Idempotency-Key")).isEqualTo(run + ":box:1");
    JsonNode expected = Reply.JSON.readTree("""
        {"requestType": 1,
         "body": [
           {"id": "box", "isBox": true, "father": null, "isRoot": true,
            "containerConfig": {"region": "north"}},
           {"id": "a", "isBox": false, "father": "box", "isRoot": false,
            "agentLoad": "scan", "agentConfig": {"depth": 2}},
           {"id": "b", "isBox": false, "father": "box", "isRoot": false,
            "agentLoad": "attack", "agentConfig": {}},
           {"id": "inner", "isBox": true, "father": "box", "isRoot": false,
            "containerConfig": {"layer": 1}},
           {"id": "c", "isBox": false, "father": "inner", "isRoot": false,
            "agentLoad": "report", "agentConfig": {}}
         ],
         "params": {},
         "idempotencyKey": "%s"}
        """.formatted(run + ":box:1"));
    assertThat(Reply.JSON.readTree(submit.body())).isEqualTo(expected);
    assertThat(fake.requests).filteredOn(r -> r.method().equals("POST")
        && r.path().equals("/engine/task/submit")).hasSize(1);
    assertThat(fake.violations).isEmpty();
  }

  @Test
  void theAgentsStatesLandOnTheNodesInside() throws Exception {
    fake.script("task-1", Reply.status("running")
        .withAgentStatus(Reply.agent("ag-a", "a", "running").put("progress", 30))
        .withAgentStatus(Reply.agent("ag-b", "b", "pending")));

    String run = h.submit(spec());
    fake.awaitCount(STATUS, 3); // a poll is sent once the one before was applied
    assertThat(h.node(run, "a").state()).isEqualTo(NodeState.RUNNING);
    assertThat(h.node(run, "a").progress()).isEqualTo(30);
    assertThat(h.node(run, "box").state()).isEqualTo(NodeState.RUNNING);
    assertThat(h.node(run, "b").state()).isEqualTo(NodeState.WAITING);

    fake.script("task-1", Reply.status("running")
            .withAgentStatus(Reply.agent("ag-a", "a", "completed").set("result", result("a", 1)))
            .withAgentStatus(Reply.agent("ag-b", "b", "running").put("progress", 50))
            .withAgentStatus(Reply.agent("ag-c", "c", "running").put("progress", 10)),
        allCompleted());
    RunView done = h.await(run);

    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    assertThat(done.nodeStates()).containsEntry("box", NodeState.COMPLETED)
        .containsEntry("a", NodeState.COMPLETED).containsEntry("b", NodeState.COMPLETED)
        .containsEntry("inner", NodeState.COMPLETED).containsEntry("c", NodeState.COMPLETED)
        .containsEntry("d", NodeState.COMPLETED);
    assertThat(done.node("a").orElseThrow().result()).contains(result("a", 1));
    assertThat(done.node("b").orElseThrow().result()).contains(result("b", 2));
    assertThat(done.node("c").orElseThrow().result()).contains(result("c", 3));
    for (String node : new String[] {"a", "b", "c"}) {
      assertThat(done.node(node).orElseThrow().attempts()).as(node).singleElement()
          .extracting(AttemptRecord::engineRef).isEqualTo(Optional.of("ag-" + node));
    }
    assertThat(done.node("box").orElseThrow().attempts()).singleElement()
        .extracting(AttemptRecord::engineRef).isEqualTo(Optional.of("task-1"));
    assertThat(h.nodeLog(run, "a")).isEmpty(); // no report was ignored: none made twice
    assertThat(fake.violations).isEmpty();
  }

  @Test
  void anAgentFailingFailsItsNodeAndTheContainer() throws Exception {
    fake.script("task-1", Reply.status("running")
        .withAgentStatus(Reply.agent("ag-a", "a", "failed").set("error", Reply.JSON
            .createObjectNode().put("code", "E_SCAN").put("message", "no route to host")))
        .withAgentStatus(Reply.agent("ag-c", "c", "completed")));

    RunView done = h.await(h.submit(spec()));

    assertThat(done.state()).isEqualTo(RunState.FAILED);
    NodeView a = done.node("a").orElseThrow();
    assertThat(a.state()).isEqualTo(NodeState.FAILED);
    assertThat(a.errorCode()).contains("E_SCAN");
    assertThat(a.errorMessage()).contains("engine agent 'ag-a' failed: no route to host");
    assertThat(done.node("c").orElseThrow().state()).isEqualTo(NodeState.COMPLETED);
    assertThat(done.node("b").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
    assertThat(done.node("box").orElseThrow().state()).isEqualTo(NodeState.FAILED);
    assertThat(done.node("d").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
  }

  @Test
  void theRemoteTaskFailingFailsTheContainerAndWhatRanInside() throws Exception {
    fake.script("task-1", Reply.status("running")
        .withAgentStatus(Reply.agent("ag-a", "a", "running")));
    String run = h.submit(spec());
    h.awaitNode(run, "a", n -> n.state() == NodeState.RUNNING);

    fake.rescript("task-1", Reply.failed("OOM", "the engine ran out of memory")
        .withAgentStatus(Reply.agent("ag-a", "a", "running")));
    RunView done = h.await(run);

    assertThat(done.state()).isEqualTo(RunState.FAILED);
    NodeView box = done.node("box").orElseThrow();
    assertThat(box.state()).isEqualTo(NodeState.FAILED);
    assertThat(box.errorCode()).contains("OOM");
    assertThat(box.errorMessage().orElseThrow()).contains("the engine ran out of memory");
    assertThat(done.node("a").orElseThrow().state()).isEqualTo(NodeState.FAILED);
    assertThat(done.node("a").orElseThrow().attempts()).singleElement()
        .extracting(AttemptRecord::engineRef).isEqualTo(Optional.of("ag-a"));
    assertThat(done.node("b").orElseThrow().state()).isNotEqualTo(NodeState.COMPLETED);
    assertThat(done.node("d").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
  }

  @Test
  void stoppingTheContainerStopsTheRemoteTask() throws Exception {
    fake.script("task-1", Reply.status("running")
        .withAgentStatus(Reply.agent("ag-a", "a", "running")));
    String run = h.submit(spec());
    h.awaitNode(run, "a", n -> n.state() == NodeState.RUNNING);

    h.engine.stopNode(run, "box", "ops");
    fake.awaitCount("POST /engine/task/task-1/stop", 1);
    RunView done = h.await(run);

    assertThat(done.node("box").orElseThrow().state()).isEqualTo(NodeState.STOPPED);
    assertThat(done.node("a").orElseThrow().state()).isEqualTo(NodeState.STOPPED);
    assertThat(fake.requests("POST /engine/task/task-1/stop")).hasSize(1);
  }

  @Test
  void eachAgentsProgressAndLogsGoToItsOwnNode() throws Exception {
    fake.logFaults(null, 2, false); // overlapping answers: each node's cursor drops the rest
    fake.script("task-1", Reply.status("running")
        .withAgentStatus(Reply.agent("ag-a", "a", "running").put("progress", 30),
            line(0, "a boots"), line(1, "a scans"))
        .withAgentStatus(Reply.agent("ag-c", "c", "running").put("progress", 60),
            line(0, "c boots"))
        .withAgentStatus(Reply.agent("ag-z", "nowhere", "running"), line(0, "a stray agent")));
    String run = h.submit(spec());
    fake.awaitCount(STATUS, 2); // a poll is sent once the one before was applied
    assertThat(h.node(run, "a").progress()).isEqualTo(30);
    assertThat(h.node(run, "c").progress()).isEqualTo(60);

    fake.script("task-1", Reply.status("running")
            .withAgentStatus(Reply.agent("ag-a", "a", "completed"), line(1, "a found 3"),
                line(2, "a done"))
            .withAgentStatus(Reply.agent("ag-b", "b", "running"), line(3, "b starts"))
            .withAgentStatus(Reply.agent("ag-c", "c", "running").put("progress", 80),
                line(2, "c writes")),
        allCompleted());
    RunView done = h.await(run);

    assertThat(done.state()).isEqualTo(RunState.COMPLETED);
    assertThat(h.nodeLog(run, "a")).extracting(LogEntry::message)
        .containsExactly("a boots", "a scans", "a found 3", "a done");
    assertThat(h.nodeLog(run, "b")).extracting(LogEntry::message).containsExactly("b starts");
    assertThat(h.nodeLog(run, "c")).extracting(LogEntry::message)
        .containsExactly("c boots", "c writes");
    assertThat(h.nodeLog(run, "box")).extracting(LogEntry::message)
        .contains("[ag-z] a stray agent")
        .anySatisfy(m -> assertThat(m).contains("engine agent 'ag-z' names no task node"));
    assertThat(fake.violations).isEmpty();
  }
}
