package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.http.api.internal.Route;
import dev.dagflow.store.RunQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Walks every route of the route table: with no token or a bad one (401), with a token of the
 * wrong project (404, nothing read or changed), and with a read-only token (403 for every
 * change, nothing changed).
 */
class ProjectIsolationTest extends ApiTestBase {
  /** A valid body for each kind of body a route takes, so only access can refuse it. */
  private static final Map<String, String> BODIES = Map.of(
      "TemplatePublish", "{\"name\": \"fresh\", \"spec\": " + spec("fresh", task("n")) + "}",
      "RunStart", "{}",
      "Policy", "{\"name\": \"pfresh\"}",
      "Trigger", "{\"id\": \"tfresh\", \"eventType\": \"e\", \"template\": \"tX\"}",
      "Schedule", "{\"id\": \"sfresh\", \"template\": \"tX\", \"cron\": \"0 * * * *\"}",
      "Event", "{\"type\": \"e\", \"id\": \"ev-walk\"}",
      "ConfigPatch", "{\"walk\": 1}");

  private final Map<String, String> runs = new HashMap<>();

  @BeforeEach
  void twoProjects() throws Exception {
    for (String p : List.of("a", "b")) {
      String token = p.equals("a") ? A : B;
      publish(p, token, "t" + p, spec("t" + p, task("hang")));
      runs.put(p, start(p, token, "t" + p));
      ok(send("POST", "/api/v1/projects/" + p + "/policies", token, "{\"name\": \"p" + p
          + "\"}"), 201);
      ok(send("POST", "/api/v1/projects/" + p + "/triggers", token, "{\"id\": \"tr" + p
          + "\", \"eventType\": \"e\", \"template\": \"t" + p + "\"}"), 201);
      ok(send("POST", "/api/v1/projects/" + p + "/schedules", token, "{\"id\": \"s" + p
          + "\", \"template\": \"t" + p + "\", \"cron\": \"0 * * * *\"}"), 201);
    }
    executor.awaitCalls("hang", 2, Duration.ofSeconds(10));
  }

  private List<Route> guarded() {
    List<Route> out = new ArrayList<>();
    for (Route r : api.core().routes()) {
      if (r.access() != Route.Access.PUBLIC) {
        out.add(r);
      }
    }
    return out;
  }

  /** The route's path with {@code project}, the things of {@code owner} as its ids. */
  private String path(Route r, String project, String owner) {
    String t = r.template();
    String name = t.contains("/policies/") ? "p" + owner : "t" + owner;
    String id = t.contains("/schedules/") ? "s" + owner : "tr" + owner;
    return t.replace("{project}", project).replace("{run}", runs.get(owner))
        .replace("{node}", "hang").replace("{name}", name).replace("{id}", id)
        .replace("{version}", "1");
  }

  private String body(Route r, String project) {
    String body = BODIES.get(r.body());
    if (body == null) {
      return null;
    }
    body = body.replace("tX", "t" + project);
    if (r.method().equals("PUT")) {
      // the path names the policy, trigger or schedule
      ObjectNode json = object(body);
      json.remove(List.of("name", "id"));
      body = json.toString();
    }
    return body;
  }

  private Reply call(Route r, String path, String token, String body) {
    return send(r.method(), path, token, body);
  }

  @Test
  void withoutAGoodTokenEveryRouteAnswers401() {
    for (Route r : guarded()) {
      String path = path(r, "a", "a");
      refused(call(r, path, null, body(r, "a")), 401, "Authorization");
      refused(call(r, path, "not-a-token", body(r, "a")), 401, "not valid");
      Reply basic = call(r.method(), path, null, null, Map.of("Authorization", "Basic YTpi"));
      refused(basic, 401, "Bearer");
      assertThat(basic.headers().firstValue("WWW-Authenticate")).hasValue(
          "Bearer realm=\"dagflow\"");
    }
    refused(get("/api/v1/projects/a/runs/not%20an%20id", null), 401, "Authorization");
    refused(get("/api/v1/projects/not%20a%20project/runs", "not-a-token"), 401, "not valid");
    assertUnchanged("a");
  }

  @Test
  void aTokenOfProjectANeverReadsOrChangesProjectB() {
    String before = snapshot("b");
    for (Route r : guarded()) {
      refused(call(r, path(r, "b", "b"), A, body(r, "b")), 404, "project 'b'");
      if (r.template().contains("{run}") || r.template().contains("{name}")
          || r.template().contains("{id}")) {
        Reply r2 = call(r, path(r, "a", "b"), A, body(r, "a"));
        assertThat(r2.status()).as(r.method() + " " + r.template() + ": " + r2.text())
            .isIn(r.method().equals("PUT") ? Set.of(404, 409) : Set.of(404));
      }
    }
    assertThat(snapshot("b")).isEqualTo(before);
    for (String list : List.of("runs", "templates", "policies", "triggers", "schedules")) {
      assertThat(get("/api/v1/projects/a/" + list, A).text()).doesNotContain("\"tb\"")
          .doesNotContain("\"pb\"").doesNotContain("\"trb\"").doesNotContain("\"sb\"")
          .doesNotContain(runs.get("b"));
    }
  }

  @Test
  void aReadOnlyTokenReadsButChangesNothing() {
    String before = snapshot("a");
    int changes = 0;
    for (Route r : guarded()) {
      Reply reply = call(r, path(r, "a", "a"), A_RO, body(r, "a"));
      if (r.access() == Route.Access.CHANGE) {
        refused(reply, 403, "olga");
        changes++;
      } else {
        ok(reply, 200);
      }
    }
    assertThat(changes).as("change routes walked").isGreaterThan(10);
    assertThat(snapshot("a")).isEqualTo(before);
  }

  private void assertUnchanged(String project) {
    assertThat(engine.list(RunQuery.all().project(project)).total()).isEqualTo(1);
  }

  /** Everything of {@code project} as the engine holds it, to compare before and after. */
  private String snapshot(String project) {
    String run = runs.get(project);
    StringBuilder s = new StringBuilder();
    s.append(engine.list(RunQuery.all()).items()).append('\n');
    s.append(engine.get(run).nodeStates()).append(engine.get(run).state()).append('\n');
    s.append(engine.get(run).node("hang").orElseThrow().config()).append('\n');
    s.append(engine.history(run)).append('\n').append(engine.transitions(run)).append('\n');
    s.append(engine.templates().versions("t" + project)).append('\n');
    s.append(engine.templates().list().size()).append('\n');
    s.append(engine.policies().list()).append('\n');
    s.append(engine.triggers().list()).append('\n');
    s.append(engine.triggers().counters("tr" + project)).append('\n');
    s.append(engine.schedules().list()).append('\n');
    s.append(engine.schedules().state("s" + project)).append('\n');
    s.append(executor.updates().size()).append(executor.cancelled());
    return s.toString();
  }
}
