package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.http.api.internal.Route;
import dev.dagflow.store.RunQuery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Malformed input to every route: bodies that are not UTF-8, not JSON, too deep, too large,
 * of the wrong type, with huge numbers or missing; query parameters and paths that do not
 * decode (java.net.URI refuses to send a broken percent escape, so only escapes of bytes that
 * are not UTF-8 are sent). Every answer is a 4xx naming the problem, never a 500, and nothing
 * is stored.
 */
class MalformedInputTest extends ApiTestBase {
  /** A body of the right type per kind, with one field of the wrong type, and that field. */
  private static final Map<String, String[]> WRONG_FIELD = Map.of(
      "TemplatePublish", new String[] {"{\"name\": 5, \"spec\": {}}", "name"},
      "RunStart", new String[] {"{\"params\": \"x\"}", "params"},
      "Policy", new String[] {"{\"name\": \"q\", \"abandonLimit\": \"3\"}", "abandonLimit"},
      "Trigger", new String[] {"{\"id\": \"q\", \"eventType\": \"e\", \"template\": \"t\","
          + " \"enabled\": 1}", "enabled"},
      "Schedule", new String[] {"{\"id\": \"q\", \"template\": \"t\", \"cron\": \"0 * * * *\","
          + " \"zone\": 2}", "zone"},
      "Event", new String[] {"{\"type\": [\"e\"]}", "type"},
      "ConfigPatch", new String[] {"[]", "body"});
  /** A body with a number no double holds where a value is free JSON or a number. */
  private static final Map<String, String[]> HUGE_NUMBER = Map.of(
      "TemplatePublish", new String[] {"{\"spec\": {\"id\": \"s\", \"priority\": 1e400,"
          + " \"nodes\": [{\"id\": \"n\", \"taskType\": \"task\"}]}}", "priority"},
      "RunStart", new String[] {"{\"params\": {\"x\": 1e400}}", "params.x"},
      "Policy", new String[] {"{\"name\": \"q\", \"retry\": {\"jitter\": 1e400}}",
          "retry.jitter"},
      "Trigger", new String[] {"{\"id\": \"q\", \"eventType\": \"e\", \"template\": \"t\","
          + " \"templateVersion\": 1e400}", "templateVersion"},
      "Schedule", new String[] {"{\"id\": \"q\", \"template\": \"t\", \"cron\": \"0 * * * *\","
          + " \"params\": {\"depth\": 1e400}}", "params.depth"},
      "Event", new String[] {"{\"type\": \"e\", \"payload\": {\"x\": -1e400}}", "payload.x"},
      "ConfigPatch", new String[] {"{\"x\": 1e-400}", "x"});

  private String runId;

  @BeforeEach
  void aRunAndATemplate() throws Exception {
    publish("a", A, "t", spec("t", task("hang")));
    runId = start("a", A, "t");
    executor.awaitCalls("hang", 1, Duration.ofSeconds(10));
  }

  private List<Route> bodyRoutes() {
    List<Route> out = new ArrayList<>();
    for (Route r : api.core().routes()) {
      if (!r.body().isEmpty()) {
        out.add(r);
      }
    }
    assertThat(out).extracting(Route::body).containsOnlyOnceElementsOf(List.of(
        "TemplatePublish", "RunStart", "ConfigPatch", "Event"));
    assertThat(WRONG_FIELD.keySet()).containsAll(out.stream().map(Route::body).toList());
    return out;
  }

  private String path(Route r) {
    return r.template().replace("{project}", "a").replace("{run}", runId)
        .replace("{node}", "hang").replace("{name}", r.template().contains("/policies/")
            ? "q" : "t").replace("{id}", "q").replace("{version}", "1");
  }

  private void each(byte[] body, int status, String named) {
    String before = snapshot();
    for (Route r : bodyRoutes()) {
      Reply reply = call(r.method(), path(r), A, body);
      assertThat(reply.status()).as(r.method() + " " + r.template() + " " + reply.text())
          .isEqualTo(status);
      assertThat(reply.json().get("message").asText()).as(r.template()).contains(named);
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void bytesThatAreNotUtf8() {
    byte[] body = {'{', '"', 'x', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};
    each(body, 400, "not valid UTF-8: bad byte at offset 6");
    each(new byte[] {'{', '"', (byte) 0xF0, (byte) 0x9F}, 400, "UTF-8");
  }

  @Test
  void textThatIsNotJson() {
    each(utf8("{\"x\": "), 400, "not valid JSON");
    each(utf8("{\"x\": 1} trailing"), 400, "not valid JSON");
    each(utf8("{\"x\": 1, \"x\": 2}"), 400, "Duplicate field 'x'");
    each(utf8("{'x': 1}"), 400, "not valid JSON at line 1, column 2");
    each(utf8("NaN"), 400, "not valid JSON");
  }

  @Test
  void nestingAndNumbersBeyondTheJsonLimits() {
    each(utf8("{\"x\": " + "[".repeat(1_200) + "]".repeat(1_200) + "}"), 400,
        "breaks a JSON limit");
    each(utf8("{\"x\": " + "9".repeat(1_500) + "}"), 400, "breaks a JSON limit");
    each(utf8("{\"x\": \"" + "k".repeat(10) + "\", \"" + "k".repeat(60_000) + "\": 1}"), 400,
        "breaks a JSON limit");
  }

  @Test
  void missingOrOversizeBodies() {
    String before = snapshot();
    for (Route r : bodyRoutes()) {
      if (!r.body().equals("RunStart")) {
        Reply empty = call(r.method(), path(r), A, null);
        refused(empty, 400, "a JSON body is required");
        assertThat(empty.field()).isEqualTo("body");
        refused(call(r.method(), path(r), A, utf8("   ")), 400, "a JSON body is required");
      }
      byte[] big = utf8("{\"x\": \"" + "y".repeat(MAX_BODY) + "\"}");
      refused(call(r.method(), path(r), A, big), 413, MAX_BODY + " bytes");
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void wrongJsonTypesAndHugeNumbersAreNamed() {
    String before = snapshot();
    for (Route r : bodyRoutes()) {
      String[] wrong = WRONG_FIELD.get(r.body());
      refused(send(r.method(), path(r), A, wrong[0]), 400, wrong[1]);
      if (!r.body().equals("ConfigPatch")) {
        refused(send(r.method(), path(r), A, "[1]"), 400, "JSON object");
        refused(send(r.method(), path(r), A, "\"text\""), 400, "JSON object");
      }
      String[] huge = HUGE_NUMBER.get(r.body());
      refused(send(r.method(), path(r), A, huge[0]), 400, huge[1]);
    }
    assertThat(snapshot()).isEqualTo(before);
  }

  /** Params and payloads sit one level down: the document's own limit bounds them. */
  @Test
  void freeJsonNestedBeyondItsPlaceIsNamed() {
    String before = snapshot();
    String deep = "[".repeat(997) + "]".repeat(997);
    refused(send("PATCH", "/api/v1/projects/a/runs/" + runId + "/nodes/hang/config", A,
        "{\"x\": " + deep + "}"), 400, "patch: nests more than 997 levels");
    assertThat(snapshot()).isEqualTo(before);
  }

  @Test
  void queriesAndPathsThatDoNotDecodeAreNamed() {
    String before = snapshot();
    for (Route r : api.core().routes()) {
      if (r.access() == Route.Access.PUBLIC) {
        continue;
      }
      String path = path(r);
      Reply unknown = call(r.method(), path + "?bogus=1", A, null);
      refused(unknown, 400, "bogus");
      refused(call(r.method(), path + "?x=%C3%28", A, null), 400, "UTF-8");
    }
    Reply badPath = get("/api/v1/projects/a/runs/%C3%28", A);
    if (kind == ServerKind.JDK) {
      refused(badPath, 400, "path");
    } else {
      assertThat(badPath.status()).as("Jetty refuses the URI itself").isEqualTo(400);
    }
    refused(get("/api/v1/projects/a/runs/" + "r".repeat(129), A), 404, "run");
    refused(get("/api/v1/projects/a/templates/t/versions/99999999999", A), 400, "version");
    refused(get("/api/v1/nothing", A), 404, "no route");
    Reply wrongMethod = call("DELETE", "/api/v1/projects/a/runs/" + runId, A, null);
    refused(wrongMethod, 405, "allowed: [GET]");
    assertThat(wrongMethod.headers().firstValue("Allow")).hasValue("GET");
    assertThat(snapshot()).isEqualTo(before);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private String snapshot() {
    return engine.list(RunQuery.all()).items() + "\n" + engine.get(runId).nodes() + "\n"
        + engine.history(runId) + "\n" + engine.templates().list() + "\n"
        + engine.policies().list() + "\n" + engine.triggers().list() + "\n"
        + engine.schedules().list() + "\n" + executor.updates().size();
  }
}
