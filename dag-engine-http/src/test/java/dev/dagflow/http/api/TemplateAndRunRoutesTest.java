package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.engine.RunView;
import dev.dagflow.state.NodeState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Publish → confirm, and every read of a run, over both transports. */
class TemplateAndRunRoutesTest extends ApiTestBase {
  private static final String P = "/api/v1/projects/a";

  @Test
  void publishListAndReadVersions() {
    Reply first = ok(send("POST", P + "/templates", A,
        "{\"name\": \"ci\", \"spec\": " + spec("ci", task("build"), task("test", "build"))
            + "}"), 201);
    assertThat(first.data().get("version").asInt()).isEqualTo(1);
    assertThat(first.data().get("project").asText()).isEqualTo("a");
    Reply same = ok(send("POST", P + "/templates", A,
        "{\"name\": \"ci\", \"spec\": " + spec("ci", task("build"), task("test", "build"))
            + "}"), 200);
    assertThat(same.data().get("changed").asBoolean()).isFalse();
    Reply second = ok(send("POST", P + "/templates", A, "{\"spec\": " + spec("ci",
        task("build")) + "}"), 201);
    assertThat(second.data().get("name").asText()).as("named by the spec's id").isEqualTo("ci");
    assertThat(second.data().get("version").asInt()).isEqualTo(2);
    publish("a", A, "other", spec("other", task("x")));

    Reply list = ok(get(P + "/templates", A), 200);
    assertThat(list.data()).extracting(t -> t.get("name").asText() + "@" + t.get("version"))
        .containsExactlyInAnyOrder("ci@2", "other@1");
    Reply latest = ok(get(P + "/templates/ci", A_RO), 200);
    assertThat(latest.data().get("version").asInt()).isEqualTo(2);
    assertThat(latest.data().get("versions")).extracting(JsonNode::asInt).containsExactly(1, 2);
    assertThat(latest.data().get("spec").get("nodes")).hasSize(1);
    Reply v1 = ok(get(P + "/templates/ci/versions/1", A), 200);
    assertThat(v1.data().get("spec").get("nodes")).hasSize(2);

    refused(get(P + "/templates/ci/versions/3", A), 404, "template 'ci' version 3");
    refused(get(P + "/templates/ci/versions/zero", A), 400, "version");
    refused(get(P + "/templates/nope", A), 404, "template 'nope'");
    assertThat(ok(get("/api/v1/projects/b/templates", B), 200).data()).isEmpty();
  }

  @Test
  void aSpecOfTheWrongShapeIsRefusedWithEveryProblem() {
    Reply r = refused(send("POST", P + "/templates", A, "{\"spec\": " + spec("bad",
        task("a", "missing"), "{\"id\": \"a\", \"taskType\": \"task\", \"timeout\": \"PT0S\"}")
        + "}"), 400, "spec");
    assertThat(r.data().get("error").asText()).isEqualTo("INVALID_SPEC");
    assertThat(r.data().get("problems")).extracting(p -> p.get("kind").asText())
        .contains("UNKNOWN_UPSTREAM", "DUPLICATE_NODE", "INVALID_TIMEOUT");
    refused(send("POST", P + "/templates", A, "{\"spec\": " + spec("s", "{\"id\": \"n\","
        + " \"taskType\": \"nobody\"}") + "}"), 400, "nobody");
    refused(send("POST", P + "/templates", A, "{\"spec\": {\"id\": \"s\", \"scope\": {\"type\":"
        + " \"project\", \"id\": \"b\"}, \"nodes\": [" + task("n") + "]}}"), 400, "spec.scope");
    refused(send("POST", P + "/templates", A, "{\"spec\": " + spec("s", task("n"))
        + ", \"format\": \"yaml\"}"), 400, "format");
    refused(send("POST", P + "/templates", A, "{\"name\": \"a b\", \"spec\": "
        + spec("s", task("n")) + "}"), 400, "name");
    publish("b", B, "taken", spec("taken", task("n")));
    refused(send("POST", P + "/templates", A, "{\"name\": \"taken\", \"spec\": "
        + spec("s", task("n")) + "}"), 409, "taken");
    assertThat(engine.templates().list()).extracting(t -> t.name()).containsExactly("taken");
  }

  @Test
  void aRunStartsFromATemplateAndShowsItsNodesAndEdges() throws Exception {
    publish("a", A, "ci", spec("ci", task("build"), task("test", "build"),
        "{\"id\": \"box\", \"kind\": \"container\"}",
        "{\"id\": \"inner\", \"taskType\": \"task\", \"parent\": \"box\"}",
        "{\"id\": \"hang\", \"taskType\": \"task\", \"parent\": \"box\"}"));
    Reply started = ok(send("POST", P + "/templates/ci/runs", A,
        "{\"params\": {\"branch\": \"main\"}, \"version\": 1}"), 201);
    String runId = started.data().get("runId").asText();
    executor.awaitCalls("hang", 1, Duration.ofSeconds(10));
    awaitState(runId, "inner", NodeState.COMPLETED);
    awaitState(runId, "test", NodeState.COMPLETED);

    JsonNode run = ok(get(P + "/runs/" + runId, A_RO), 200).data();
    assertThat(run.get("state").asText()).isEqualTo("RUNNING");
    assertThat(run.get("project").asText()).isEqualTo("a");
    assertThat(run.get("template").asText()).isEqualTo("ci");
    assertThat(run.get("params").get("branch").asText()).isEqualTo("main");
    JsonNode box = node(run, "box");
    assertThat(box.get("state").asText()).isEqualTo("RUNNING");
    assertThat(box.get("children").get("total").asInt()).isEqualTo(2);
    assertThat(box.get("children").get("running").asInt()).isEqualTo(1);
    JsonNode build = node(run, "build");
    assertThat(build.get("state").asText()).isEqualTo("COMPLETED");
    assertThat(build.get("attempts")).hasSize(1);
    assertThat(build.get("attempts").get(0).get("idempotencyKey").asText())
        .isEqualTo(runId + ":build:1");
    assertThat(build.get("attempts").get(0).get("readyAt").asText()).isNotEmpty();
    assertThat(build.get("attempts").get(0).get("queueTimeMs").asLong()).isNotNegative();
    assertThat(build.get("attempts").get(0).has("durationMs")).isTrue();
    assertThat(run.get("queueTimeMs").asLong()).isNotNegative();
    assertThat(run.get("busyTimeMs").isNumber()).isTrue();
    // live: box runs until hang ends, so the path is box and hang, both up to now
    clock.advance(Duration.ofSeconds(5));
    JsonNode critical = ok(get(P + "/runs/" + runId, A_RO), 200).data().get("criticalPath");
    assertThat(critical.get("totalMs").asLong()).isEqualTo(5_000);
    assertThat(critical.get("steps")).extracting(s -> s.get("nodeId").asText())
        .containsExactly("box", "hang");
    assertThat(critical.get("steps").get(1).get("after").asText()).isEqualTo("box");
    assertThat(critical.get("steps").get(0).has("after")).isFalse();
    assertThat(critical.get("steps").get(0).get("slackMs").asLong()).isZero();
    assertThat(critical.get("totalMs").asLong())
        .isEqualTo(critical.get("steps").get(0).get("durationMs").asLong());
    assertThat(critical.get("slackMs").fieldNames()).toIterable()
        .containsExactly("build", "test", "box", "inner", "hang");
    assertThat(run.get("edges")).anySatisfy(e -> {
      assertThat(e.get("from").asText()).isEqualTo("build");
      assertThat(e.get("to").asText()).isEqualTo("test");
      assertThat(e.get("satisfied").asBoolean()).isTrue();
    });
    assertThat(run.get("progress").asInt()).isBetween(1, 99);

    JsonNode why = ok(get(P + "/runs/" + runId + "/nodes/hang/explain", A), 200).data();
    assertThat(why.get("state").asText()).isEqualTo("RUNNING");
    refused(get(P + "/runs/" + runId + "/nodes/ghost/explain", A), 404, "ghost");
    refused(get(P + "/runs/no-such-run", A), 404, "run 'no-such-run'");

    JsonNode transitions = ok(get(P + "/runs/" + runId + "/transitions", A), 200).data();
    assertThat(transitions).anySatisfy(t -> {
      assertThat(t.get("nodeId").asText()).isEqualTo("build");
      assertThat(t.get("to").asText()).isEqualTo("COMPLETED");
    });
    JsonNode history = ok(get(P + "/runs/" + runId + "/history", A), 200).data();
    assertThat(history.get(0).get("action").asText()).isEqualTo("run.submit");
    assertThat(history.get(0).get("operator").asText()).isEqualTo("alice");
  }

  @Test
  void runsAreListedByStatusTemplateAndTimeInPages() throws Exception {
    publish("a", A, "ok", spec("ok", task("n")));
    publish("a", A, "stuck", spec("stuck", task("hang")));
    List<String> done = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      done.add(start("a", A, "ok"));
    }
    for (String id : done) {
      await(id);
    }
    String stuck = start("a", A, "stuck");
    executor.awaitCalls("hang", 1, Duration.ofSeconds(10));
    publish("b", B, "elsewhere", spec("elsewhere", task("n")));
    await(start("b", B, "elsewhere"));

    JsonNode all = ok(get(P + "/runs", A), 200).data();
    assertThat(all.get("total").asLong()).isEqualTo(4);
    JsonNode completed = ok(get(P + "/runs?status=completed&size=2", A), 200).data();
    assertThat(completed.get("total").asLong()).isEqualTo(3);
    assertThat(completed.get("items")).hasSize(2);
    assertThat(completed.get("hasNext").asBoolean()).isTrue();
    JsonNode page2 = ok(get(P + "/runs?status=COMPLETED&size=2&page=1", A), 200).data();
    assertThat(page2.get("items")).hasSize(1);
    JsonNode running = ok(get(P + "/runs?status=RUNNING,PAUSED&template=stuck", A), 200).data();
    assertThat(running.get("items")).extracting(r -> r.get("runId").asText())
        .containsExactly(stuck);
    assertThat(ok(get(P + "/runs?since=2026-01-02T00:00:00Z", A), 200).data().get("total")
        .asLong()).isZero();
    assertThat(ok(get(P + "/runs?since=2025-12-31T00:00:00Z", A), 200).data().get("total")
        .asLong()).isEqualTo(4);

    refused(get(P + "/runs?status=sleepy", A), 400, "status");
    refused(get(P + "/runs?size=0", A), 400, "size");
    refused(get(P + "/runs?size=1001", A), 400, "size");
    refused(get(P + "/runs?page=-1", A), 400, "page");
    refused(get(P + "/runs?page=99999999999999999999", A), 400, "page");
    refused(get(P + "/runs?since=yesterday", A), 400, "since");
    refused(get(P + "/runs?colour=red", A), 400, "colour");
    refused(get(P + "/runs?size=1&size=2", A), 400, "size");
  }

  @Test
  void logsFollowACursorAndFilterByNodeLevelAndTime() throws Exception {
    publish("a", A, "logs", spec("logs", node("n", "log"), node("m", "log", "n")));
    String runId = start("a", A, "logs");
    await(runId);
    List<LogEntry> stored = engine.logs(LogQuery.of(runId));
    assertThat(stored).isNotEmpty();

    List<Long> seen = new ArrayList<>();
    long cursor = 0;
    for (int i = 0; i < 100; i++) {
      JsonNode page = ok(get(P + "/runs/" + runId + "/logs?limit=1&cursor=" + cursor, A), 200)
          .data();
      if (page.get("items").isEmpty()) {
        assertThat(page.get("nextCursor").asLong()).isEqualTo(cursor);
        break;
      }
      seen.add(page.get("items").get(0).get("seq").asLong());
      cursor = page.get("nextCursor").asLong();
    }
    assertThat(seen).containsExactlyElementsOf(stored.stream().map(LogEntry::seq).toList());

    JsonNode forM = ok(get(P + "/runs/" + runId + "/logs?node=m&level=debug", A), 200).data();
    assertThat(forM.get("items")).extracting(l -> l.get("message").asText())
        .containsExactly("m debug", "m info", "m warn");
    JsonNode warn = ok(get(P + "/runs/" + runId + "/logs?level=WARN", A), 200).data();
    assertThat(warn.get("items")).extracting(l -> l.get("message").asText())
        .containsExactly("n warn", "m warn");
    assertThat(ok(get(P + "/runs/" + runId + "/logs?since=2030-01-01T00:00:00Z", A), 200)
        .data().get("items")).isEmpty();
    refused(get(P + "/runs/" + runId + "/logs?node=ghost", A), 400, "node");
    refused(get(P + "/runs/" + runId + "/logs?level=loud", A), 400, "level");
    refused(get(P + "/runs/" + runId + "/logs?limit=10001", A), 400, "limit");
    refused(get(P + "/runs/" + runId + "/logs?cursor=-1", A), 400, "cursor");
  }

  @Test
  void aTemplateRunCanBeStartedOnlyInItsProjectAndWithGoodParams() {
    publish("a", A, "ci", spec("ci", task("n")));
    refused(send("POST", P + "/templates/ci/runs", A, "{\"params\": [1]}"), 400, "params");
    refused(send("POST", P + "/templates/ci/runs", A, "{\"version\": 0}"), 400, "version");
    refused(send("POST", P + "/templates/ci/runs", A, "{\"version\": 7}"), 404, "version 7");
    refused(send("POST", P + "/templates/ci/runs", A, "{\"colour\": 1}"), 400, "colour");
    refused(send("POST", "/api/v1/projects/b/templates/ci/runs", B, "{}"), 404, "ci");
    refused(call("POST", P + "/templates/ci/runs", A, "{}".getBytes(),
        java.util.Map.of("Idempotency-Key", "k 1")), 400, "Idempotency-Key");
    refused(call("POST", P + "/templates/ci/runs", A, "{}".getBytes(),
        java.util.Map.of("Idempotency-Strategy", "FAIL")), 400, "Idempotency-Strategy");
    refused(call("POST", P + "/templates/ci/runs", A, "{}".getBytes(), java.util.Map.of(
        "Idempotency-Key", "k-1", "Idempotency-Strategy", "SOMETIMES")), 400, "SOMETIMES");
    assertThat(engine.list(dev.dagflow.store.RunQuery.all()).total()).isZero();
    ok(call("POST", P + "/templates/ci/runs", A, null), 201);
  }

  @Test
  void aRunStartedWithTargetsRunsOnlyWhatTheyNeed() throws Exception {
    publish("a", A, "ci", spec("ci", task("build"), task("test", "build"), task("lint")));
    refused(send("POST", P + "/templates/ci/runs", A, "{\"targets\": \"build\"}"), 400,
        "targets");
    refused(send("POST", P + "/templates/ci/runs", A, "{\"targets\": [\"build\", 7]}"), 400,
        "targets[1]");
    refused(send("POST", P + "/templates/ci/runs", A, "{\"targets\": [\"nope\"]}"), 400,
        "targets");
    assertThat(engine.list(dev.dagflow.store.RunQuery.all()).total()).isZero();

    String runId = ok(send("POST", P + "/templates/ci/runs", A,
        "{\"targets\": [\"build\"]}"), 201).data().get("runId").asText();
    RunView run = await(runId);
    assertThat(run.nodeStates()).containsEntry("build", NodeState.COMPLETED)
        .containsEntry("test", NodeState.SKIPPED).containsEntry("lint", NodeState.SKIPPED);
    assertThat(ok(get(P + "/runs/" + runId + "/nodes/lint/explain", A), 200).data()
        .get("reason").asText()).isEqualTo("not needed for target 'build'");
  }

  @Test
  void anIdempotencyKeyStartsOneRunAndAnswersItAgain() {
    publish("a", A, "ci", spec("ci", task("n")));
    java.util.Map<String, String> key = java.util.Map.of("Idempotency-Key", "deploy-42");
    String first = ok(call("POST", P + "/templates/ci/runs", A, "{}".getBytes(), key), 201)
        .data().get("runId").asText();
    String again = ok(call("POST", P + "/templates/ci/runs", A, "{}".getBytes(), key), 201)
        .data().get("runId").asText();
    assertThat(again).isEqualTo(first);
    assertThat(engine.list(dev.dagflow.store.RunQuery.all()).total()).isEqualTo(1);

    Reply conflict = refused(call("POST", P + "/templates/ci/runs", A, "{}".getBytes(),
        java.util.Map.of("Idempotency-Key", "deploy-42", "Idempotency-Strategy", "FAIL")), 409,
        "Idempotency-Key");
    assertThat(conflict.json().get("data").get("existingRunId").asText()).isEqualTo(first);
    assertThat(engine.list(dev.dagflow.store.RunQuery.all()).total()).isEqualTo(1);
  }

  @Test
  void aSpecMayNameOnlyAPolicyOfItsProjectOrAGlobalOne() {
    ok(send("POST", "/api/v1/projects/b/policies", B, "{\"name\": \"theirs\"}"), 201);
    ok(send("POST", P + "/policies", A, "{\"name\": \"ours\"}"), 201);
    engine.policies().save(dev.dagflow.policy.ExecutionPolicy.builder("everyones").build());
    String uses = "{\"id\": \"s\", \"policy\": \"%s\", \"nodes\": [" + task("n") + "]}";
    refused(send("POST", P + "/templates", A, "{\"spec\": " + uses.formatted("theirs") + "}"),
        400, "spec.policy");
    refused(send("POST", P + "/templates", A, "{\"spec\": " + uses.formatted("nowhere")
        + "}"), 400, "spec.policy");
    ok(send("POST", P + "/templates", A, "{\"name\": \"o\", \"spec\": "
        + uses.formatted("ours") + "}"), 201);
    ok(send("POST", P + "/templates", A, "{\"name\": \"g\", \"spec\": "
        + uses.formatted("everyones") + "}"), 201);
    assertThat(engine.templates().list()).extracting(t -> t.name())
        .containsExactlyInAnyOrder("o", "g");
    ok(send("DELETE", P + "/policies/ours", A, null), 200);
    refused(send("POST", P + "/templates/o/runs", A, "{}"), 400, "policy");
    ok(send("POST", P + "/templates/g/runs", A, "{}"), 201);
  }

  private static JsonNode node(JsonNode run, String id) {
    for (JsonNode n : run.get("nodes")) {
      if (n.get("id").asText().equals(id)) {
        return n;
      }
    }
    throw new AssertionError("no node " + id + " in " + run);
  }
}
