package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document lists exactly the routes the server answers, and Swagger UI is served
 * from the webjar's assets.
 */
class OpenApiAndDocsTest extends ApiTestBase {
  private static final String P = "/api/v1/projects/{project}";
  /** The routes of DESIGN.md "HTTP API", and the documents. */
  private static final Set<String> EXPECTED = Set.of(
      "POST " + P + "/templates", "GET " + P + "/templates", "GET " + P + "/templates/{name}",
      "GET " + P + "/templates/{name}/versions/{version}", "POST " + P + "/templates/{name}/runs",
      "GET " + P + "/runs", "GET " + P + "/runs/{run}",
      "GET " + P + "/runs/{run}/nodes/{node}/explain", "POST " + P + "/runs/{run}/stop",
      "POST " + P + "/runs/{run}/pause", "POST " + P + "/runs/{run}/resume",
      "POST " + P + "/runs/{run}/nodes/{node}/retry", "POST " + P + "/runs/{run}/nodes/{node}/stop",
      "PATCH " + P + "/runs/{run}/nodes/{node}/config", "GET " + P + "/runs/{run}/logs",
      "GET " + P + "/runs/{run}/history", "GET " + P + "/runs/{run}/transitions",
      "GET " + P + "/runs/{run}/events", "POST " + P + "/events",
      "GET " + P + "/policies", "POST " + P + "/policies", "GET " + P + "/policies/{name}",
      "PUT " + P + "/policies/{name}", "DELETE " + P + "/policies/{name}",
      "GET " + P + "/triggers", "POST " + P + "/triggers", "GET " + P + "/triggers/{id}",
      "PUT " + P + "/triggers/{id}", "DELETE " + P + "/triggers/{id}",
      "GET " + P + "/schedules", "POST " + P + "/schedules", "GET " + P + "/schedules/{id}",
      "PUT " + P + "/schedules/{id}", "DELETE " + P + "/schedules/{id}",
      "GET /api/v1/openapi.json", "GET /api/v1/docs", "GET /api/v1/docs/{asset}");
  private static final List<String> METHODS = List.of("GET", "POST", "PUT", "PATCH", "DELETE");

  @Test
  void theDocumentListsExactlyTheRoutesTheServerAnswers() {
    JsonNode doc = document();
    assertThat(doc.get("openapi").asText()).startsWith("3.");
    Set<String> listed = new TreeSet<>();
    Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields();
    while (paths.hasNext()) {
      Map.Entry<String, JsonNode> path = paths.next();
      path.getValue().fieldNames().forEachRemaining(m -> listed.add(m.toUpperCase() + " "
          + path.getKey()));
    }
    assertThat(listed).containsExactlyInAnyOrderElementsOf(EXPECTED);

    publish("a", A, "t", spec("t", task("n")));
    String run = start("a", A, "t");
    for (String route : listed) {
      String method = route.substring(0, route.indexOf(' '));
      String template = route.substring(route.indexOf(' ') + 1);
      String path = concrete(template, run);
      Reply answered = call(method, path, A, method.equals("GET") || method.equals("DELETE")
          ? null : "{}".getBytes());
      assertThat(answered.status()).as(route + " is answered: " + answered.text())
          .isNotEqualTo(405);
      if (answered.status() == 404) {
        assertThat(answered.text()).as(route).doesNotContain("no route");
      }
      for (String other : METHODS) {
        if (!listed.contains(other + " " + template)) {
          Reply refused = call(other, path, A, null);
          assertThat(refused.status()).as(other + " " + template + " is not answered")
              .isEqualTo(405);
        }
      }
    }
    refused(get("/api/v1/projects/a/schedule", A), 404, "no route");
    refused(get("/api/v2/openapi.json", A), 404, "no route");
  }

  @Test
  void everyOperationDescribesItsParametersAndErrors() {
    JsonNode doc = document();
    JsonNode list = doc.at("/paths/~1api~1v1~1projects~1{project}~1runs/get");
    List<String> params = new ArrayList<>();
    list.get("parameters").forEach(p -> params.add(p.get("in").asText() + ":"
        + p.get("name").asText()));
    assertThat(params).containsExactlyInAnyOrder("path:project", "query:page", "query:since",
        "query:size", "query:status", "query:template");
    assertThat(list.get("responses").fieldNames()).toIterable().contains("200", "400", "401",
        "404");
    JsonNode start = doc.at("/paths/~1api~1v1~1projects~1{project}~1templates~1{name}~1runs"
        + "/post");
    assertThat(start.get("responses").fieldNames()).toIterable().contains("201", "403", "409",
        "413");
    assertThat(start.get("parameters").toString()).contains("Idempotency-Key");
    assertThat(doc.at("/paths/~1api~1v1~1openapi.json/get/security")).isEmpty();
    JsonNode schedules = doc.at("/paths/~1api~1v1~1projects~1{project}~1schedules");
    assertThat(schedules.get("post").get("responses").fieldNames()).toIterable()
        .contains("201", "400", "403", "409", "413");
    assertThat(schedules.at("/post/requestBody/description").asText()).contains("ScheduleJson");
    assertThat(schedules.at("/get/tags/0").asText()).isEqualTo("schedules");
    JsonNode one = doc.at("/paths/~1api~1v1~1projects~1{project}~1schedules~1{id}");
    assertThat(one.fieldNames()).toIterable().containsExactlyInAnyOrder("get", "put",
        "delete");
    assertThat(one.at("/put/responses/404/description").asText()).contains("schedule");
  }

  @Test
  void swaggerUiIsServedFromTheWebjar() {
    Reply page = get("/api/v1/docs", null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(
        t -> assertThat(t.replace(" ", "")).isEqualToIgnoringCase("text/html;charset=utf-8"));
    Matcher assets = Pattern.compile("(?:href|src)=\"docs/([^\"]+)\"").matcher(page.text());
    List<String> found = new ArrayList<>();
    while (assets.find()) {
      found.add(assets.group(1));
    }
    assertThat(found).contains("swagger-ui.css", "swagger-ui-bundle.js",
        "swagger-ui-standalone-preset.js");
    for (String asset : found) {
      Reply r = get("/api/v1/docs/" + asset, null);
      assertThat(r.status()).as(asset).isEqualTo(200);
      assertThat(r.body().length).as(asset).isGreaterThan(100);
    }
    assertThat(get("/api/v1/docs/swagger-ui-bundle.js", null).text())
        .contains("SwaggerUIBundle");
    assertThat(page.text()).contains("url: \"openapi.json\"");
    refused(get("/api/v1/docs/oauth2-redirect.html", null), 404, "asset");
    refused(get("/api/v1/docs/..", null), 404, "asset");
  }

  private JsonNode document() {
    Reply r = get("/api/v1/openapi.json", null);
    assertThat(r.status()).as(r.text()).isEqualTo(200);
    return r.json();
  }

  private static String concrete(String template, String run) {
    return template.replace("{project}", "a").replace("{run}", run).replace("{node}", "n")
        .replace("{name}", "t").replace("{id}", "x").replace("{version}", "1")
        .replace("{asset}", "swagger-ui.css");
  }
}
