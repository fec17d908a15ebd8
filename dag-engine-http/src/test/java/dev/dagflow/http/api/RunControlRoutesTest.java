package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Stop, pause, resume, retry, node stop and config patches, with their 409s. */
class RunControlRoutesTest extends ApiTestBase {
  private static final String P = "/api/v1/projects/a";

  private String runId;
  private String run;

  @BeforeEach
  void startRun() throws Exception {
    publish("a", A, "ci", spec("ci", task("flaky"), task("hang"), task("after", "hang")));
    runId = start("a", A, "ci");
    run = P + "/runs/" + runId;
    executor.awaitCalls("hang", 1, Duration.ofSeconds(10));
    awaitState(runId, "flaky", NodeState.FAILED);
  }

  @Test
  void pauseAndResumeAnswerTheRunAndRefuseTheWrongState() {
    assertThat(ok(send("POST", run + "/pause", A, null), 200).data().get("state").asText())
        .isEqualTo("PAUSED");
    refused(send("POST", run + "/pause", A, null), 409, "PAUSED");
    assertThat(ok(send("POST", run + "/resume", A, null), 200).data().get("state").asText())
        .isEqualTo("RUNNING");
    refused(send("POST", run + "/resume", A, null), 409, "RUNNING");
    assertThat(engine.history(runId)).extracting(h -> h.action() + " by " + h.operator())
        .contains("run.pause by alice", "run.resume by alice");
  }

  @Test
  void aStoppedRunCannotBeStoppedAgain() throws Exception {
    ok(send("POST", run + "/stop", A, null), 200);
    assertThat(await(runId).state()).isEqualTo(RunState.STOPPED);
    refused(send("POST", run + "/stop", A, null), 409, runId);
    refused(send("POST", run + "/pause", A, null), 409, runId);
  }

  @Test
  void aNodeIsStoppedOnceAndRetriedWhenItFailed() throws Exception {
    JsonNode stopped = ok(send("POST", run + "/nodes/hang/stop", A, null), 200).data();
    assertThat(stopped.get("state").asText()).isEqualTo("STOPPED");
    Reply again = refused(send("POST", run + "/nodes/hang/stop", A, null), 409, "ended");
    assertThat(again.data().get("runId").asText()).isEqualTo(runId);
    assertThat(await(runId).state()).isEqualTo(RunState.FAILED);

    JsonNode retried = ok(send("POST", run + "/nodes/flaky/retry", A, null), 200).data();
    assertThat(retried.get("id").asText()).isEqualTo("flaky");
    executor.awaitCalls("flaky", 2, Duration.ofSeconds(10));
    refused(send("POST", run + "/nodes/after/retry", A, null), 409, "after");
    refused(send("POST", run + "/nodes/ghost/retry", A, null), 404, "ghost");
    refused(send("POST", run + "/nodes/ghost/stop", A, null), 404, "ghost");
  }

  @Test
  void aConfigPatchReachesTheRunningNodeAndIsRecorded() {
    JsonNode node = ok(send("PATCH", run + "/nodes/hang/config", A,
        "{\"rate\": 5, \"extra\": {\"deep\": true}}"), 200).data();
    assertThat(node.get("config").get("rate").asInt()).isEqualTo(5);
    assertThat(executor.updates()).singleElement()
        .satisfies(u -> assertThat(u.config().get("rate").asInt()).isEqualTo(5));
    assertThat(engine.history(runId)).extracting(h -> h.action())
        .contains("node.config");

    refused(send("PATCH", run + "/nodes/hang/config", A, "[1, 2]"), 400, "body");
    refused(send("PATCH", run + "/nodes/hang/config", A, "{\"a\": 1e400}"), 400, "a");
    refused(send("PATCH", run + "/nodes/hang/config", A, null), 400, "body");
    refused(send("PATCH", run + "/nodes/ghost/config", A, "{}"), 404, "ghost");
    assertThat(executor.updates()).hasSize(1);
  }

  @Test
  void aCompletedNodeTakesNoConfig() throws Exception {
    publish("a", A, "quick", spec("quick", task("n")));
    String quick = start("a", A, "quick");
    await(quick);
    refused(send("PATCH", P + "/runs/" + quick + "/nodes/n/config", A, "{\"x\": 1}"), 409,
        "n");
  }

  @Test
  void aClosedEngineRefusesChangesWith503AndStillAnswersReads() {
    engine.close();
    Reply r = refused(send("POST", run + "/stop", A, null), 503, "not running");
    assertThat(r.data().get("error").asText()).isEqualTo("UNAVAILABLE");
    refused(send("POST", P + "/templates/ci/runs", A, "{}"), 503, "not running");
    assertThat(ok(get(run, A), 200).data().get("runId").asText()).isEqualTo(runId);
  }
}
