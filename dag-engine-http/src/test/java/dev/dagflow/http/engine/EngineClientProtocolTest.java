package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.log.LogLevel;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Answers that break the protocol (not JSON, the wrong shape, an unknown status, too large) fail
 * at once, naming the field, and are never retried; good answers are read with every field.
 */
class EngineClientProtocolTest {
  private static final String STATUS = "GET /engine/task/task-1/status";

  private final FakeEngine fake;
  private final EngineClient client;

  EngineClientProtocolTest() throws IOException {
    fake = new FakeEngine();
    client = EngineClient.builder(fake.uri()).maxResponseBytes(2048)
        .backoff(Duration.ofMillis(1), Duration.ofMillis(2)).build();
  }

  @AfterEach
  void close() {
    client.close();
    fake.close();
  }

  private String submitOne() throws Exception {
    ObjectNode body = Reply.JSON.createObjectNode().put("idempotencyKey", "k-1");
    body.putArray("body").addObject().put("id", "x");
    return client.submit(body, "k-1").get(20, TimeUnit.SECONDS);
  }

  static Stream<Arguments> brokenAnswers() {
    return Stream.of(
        Arguments.of("not json{", "(body)", "the answer is not JSON"),
        Arguments.of("", "(body)", "the answer is empty, not JSON"),
        Arguments.of("{\"status\":\"running\"} {}", "(body)", "the answer is not JSON"),
        Arguments.of("[1, 2]", "(body)", "(body) must be an object, was array [1,2]"),
        Arguments.of("{\"progress\": 5}", "status", "the answer has no status"),
        Arguments.of("{\"status\": 7}", "status", "status must be a string, was number 7"),
        Arguments.of("{\"status\": \"exploded\"}", "status", "unknown status 'exploded' at status"),
        Arguments.of("{\"status\": \"running\", \"progress\": \"half\"}", "progress",
            "progress must be a number from 0 to 100, was string \"half\""),
        Arguments.of("{\"status\": \"running\", \"progress\": 101}", "progress",
            "progress must be a number from 0 to 100, was number 101"),
        Arguments.of("{\"status\": \"running\", \"agents\": {}}", "agents",
            "agents must be an array, was object {}"),
        Arguments.of("{\"status\": \"running\", \"agents\": [{\"status\": \"running\"}]}",
            "agents[0].engine_agent_id", "the answer has no agents[0].engine_agent_id"),
        Arguments.of("{\"status\": \"running\", \"agents\": [{\"engine_agent_id\": \"a\", "
            + "\"status\": \"lost\"}]}", "agents[0].status", "unknown status 'lost'"),
        Arguments.of("{\"status\": \"failed\", \"error\": 5}", "error",
            "error must be a string or an object, was number 5"),
        Arguments.of("{\"status\": \"running\", \"status\": \"failed\"}", "(body)",
            "Duplicate field 'status'"),
        Arguments.of("{\"status\": \"running\", \"pad\": \"" + "x".repeat(3000) + "\"}",
            "(body)", "over the limit of 2048"),
        Arguments.of("{\"status\": \"running\", \"result\": " + "[".repeat(1000)
            + "]".repeat(1000) + "}", "(body)", "nesting depth (1001) exceeds the maximum"),
        Arguments.of("{\"status\": \"running\", \"progress\": 1" + "0".repeat(1000) + "}",
            "(body)", "Number value length (1001) exceeds the maximum"));
  }

  @ParameterizedTest
  @MethodSource("brokenAnswers")
  void aBrokenStatusAnswerFailsAtOnceNamingTheField(String body, String field, String message)
      throws Exception {
    String id = submitOne();
    fake.script(id, Reply.raw(body));

    Throwable t = catchThrowable(() -> client.status(id).get(20, TimeUnit.SECONDS));

    assertThat(t).isInstanceOf(ExecutionException.class);
    assertThat(t.getCause()).isInstanceOf(EngineProtocolException.class)
        .hasMessageStartingWith("status of engine task 'task-1': ")
        .hasMessageContaining(message);
    assertThat(((EngineProtocolException) t.getCause()).field()).isEqualTo(field);
    assertThat(fake.requests(STATUS)).as("never retried").hasSize(1);
  }

  @Test
  void aSubmitAnswerWithoutATaskIdFailsNamingIt() throws Exception {
    fake.submitFaults(Reply.raw("{\"id\": \"t\"}"), Reply.raw("{\"engine_task_id\": \"a\\nb\"}"));
    ObjectNode body = Reply.JSON.createObjectNode().put("idempotencyKey", "k");

    assertThatThrownBy(() -> client.submit(body, "k").get(20, TimeUnit.SECONDS))
        .hasCauseInstanceOf(EngineProtocolException.class)
        .hasMessageContaining("submit (idempotency key 'k'): the answer has no engine_task_id");
    assertThatThrownBy(() -> client.submit(body, "k").get(20, TimeUnit.SECONDS))
        .hasMessageContaining("engine_task_id has a control character");
    assertThat(fake.requests("POST /engine/task/submit")).hasSize(2);
  }

  @Test
  void aStatusIsReadWithItsResultErrorAndAgents() throws Exception {
    String id = submitOne();
    fake.script(id, Reply.raw("{\"status\": \"FAILED\", \"progress\": 42.7, \"error\": {\"code\":"
        + " \"OOM\", \"message\": \"out of memory\"}, \"agents\": [{\"engine_agent_id\": 17, "
        + "\"node_id\": \"x\", \"status\": \"error\", \"result\": {\"n\": 1}, \"error\": "
        + "\"killed\"}]}"));

    TaskStatus s = client.status(id).get(20, TimeUnit.SECONDS);

    assertThat(s.taskId()).isEqualTo("task-1");
    assertThat(s.status()).isEqualTo(RemoteStatus.FAILED);
    assertThat(s.progress()).contains(42);
    assertThat(s.error()).contains(new RemoteError(Optional.of("OOM"), "out of memory"));
    assertThat(s.agentOfNode("x")).isEqualTo(s.agent("17"));
    AgentStatus agent = s.agents().get(0);
    assertThat(agent.status()).isEqualTo(RemoteStatus.FAILED);
    assertThat(agent.result().orElseThrow().get("n").asInt()).isEqualTo(1);
    assertThat(agent.error()).contains(new RemoteError(Optional.empty(), "killed"));
  }

  @Test
  void logLinesAreReadWithTheirTimesLevelsAndIdsAndSinceIsSent() throws Exception {
    Instant t0 = Instant.parse("2026-12-02T07:00:00.250Z");
    fake.log("a 1", EngineLine.at(t0, "warning", "w"),
        EngineLine.at(t0.plusSeconds(1), "CRITICAL", "c").inMillis().withId("L2"),
        EngineLine.at(t0.plusSeconds(2), "chatty", "x"));

    List<EngineLogLine> lines = client.logs("a 1", Optional.of("2026-12-02T07:00:01.250Z"))
        .get(20, TimeUnit.SECONDS);

    assertThat(lines).containsExactly(
        new EngineLogLine(t0.plusSeconds(1), Long.toString(t0.plusSeconds(1).toEpochMilli()),
            LogLevel.ERROR, "c", Optional.of("L2")),
        new EngineLogLine(t0.plusSeconds(2), "2026-12-02T07:00:02.250Z", LogLevel.INFO, "x",
            Optional.empty()));
    assertThat(fake.requests("GET /engine/agent/a 1/logs")).singleElement()
        .satisfies(r -> assertThat(r.query()).isEqualTo("since=2026-12-02T07%3A00%3A01.250Z"));
  }

  @Test
  void theBuilderRefusesBadSettingsNamingThem() {
    URI uri = URI.create("http://127.0.0.1:1");
    assertThatThrownBy(() -> EngineClient.builder(URI.create("ftp://h/x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("baseUri must be");
    assertThatThrownBy(() -> EngineClient.builder(uri).statusPath("/engine/task/status"))
        .hasMessage("statusPath must hold {id} once, was '/engine/task/status'");
    assertThatThrownBy(() -> EngineClient.builder(uri).submitPath("engine/submit"))
        .hasMessageStartingWith("submitPath must start with '/'");
    assertThatThrownBy(() -> EngineClient.builder(uri).maxRetries(1).maxRetries(2))
        .isInstanceOf(IllegalStateException.class).hasMessage("maxRetries was already set to 1");
    assertThatThrownBy(() -> EngineClient.builder(uri).maxRetries(-1))
        .hasMessage("maxRetries must be from 0 to 100, was -1");
    assertThatThrownBy(() -> EngineClient.builder(uri).maxConcurrentRequests(0))
        .hasMessage("maxConcurrentRequests must be from 1 to 1024, was 0");
    assertThatThrownBy(() -> EngineClient.builder(uri).backoff(Duration.ofSeconds(2),
        Duration.ofSeconds(1))).hasMessageStartingWith("max backoff must be from PT2S");
    assertThatThrownBy(() -> EngineClient.builder(uri).bearerToken("a\nb"))
        .hasMessageStartingWith("bearerToken must be printable ASCII");
    assertThatThrownBy(() -> EngineClient.builder(uri).header("Authorization", "x"))
        .hasMessage("header name 'Authorization' is set by the client");
    assertThatThrownBy(() -> EngineClient.builder(uri).connectTimeout(Duration.ofSeconds(1))
        .httpClient(HttpClient.newHttpClient()))
        .isInstanceOf(IllegalStateException.class).hasMessageStartingWith("httpClient:");
  }
}
