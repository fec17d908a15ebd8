package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.SubmitRequest;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.state.StateTransition;
import dev.dagflow.testing.Outcome;
import dev.dagflow.testing.ScriptedExecutor;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Server-Sent Events stream of a run: every transition in order, the log lines, an end;
 * after a dropped connection, {@code Last-Event-ID} resumes it with nothing lost or repeated.
 */
class RunEventStreamTest extends ApiTestBase {
  private String runId;
  private String events;

  /** One event of the stream. */
  record Sse(String id, String event, JsonNode data) {}

  @BeforeEach
  void aRunOfThreeStepsAndALogger() throws Exception {
    executor.script("s1", Outcome.hang()).script("s2", Outcome.hang())
        .script("s3", Outcome.hang());
    publish("a", A, "chain", spec("chain", task("s1"), task("s2", "s1"), task("s3", "s2"),
        node("lg", "log", "s3")));
    runId = start("a", A, "chain");
    events = "/api/v1/projects/a/runs/" + runId + "/events";
    executor.awaitCalls("s1", 1, Duration.ofSeconds(10));
  }

  /** A client reading one connection of the stream. */
  private final class Client implements AutoCloseable {
    private final InputStream body;
    private final BufferedReader reader;

    Client(String lastEventId) throws Exception {
      HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + events))
          .header("Authorization", "Bearer " + A_RO).header("Accept", "text/event-stream");
      if (lastEventId != null) {
        b.header("Last-Event-ID", lastEventId);
      }
      HttpResponse<InputStream> r = client.sendAsync(b.build(),
          HttpResponse.BodyHandlers.ofInputStream()).get(10, TimeUnit.SECONDS);
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(
          v -> assertThat(v).startsWith("text/event-stream"));
      body = r.body();
      reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** The next event; null at the end of the stream. */
    Sse next() {
      String id = null;
      String event = null;
      String data = null;
      try {
        String line;
        while ((line = reader.readLine()) != null) {
          if (line.isEmpty()) {
            if (event != null) {
              return new Sse(id, event, MAPPER.readTree(data));
            }
          } else if (line.startsWith("id: ")) {
            id = line.substring(4);
          } else if (line.startsWith("event: ")) {
            event = line.substring(7);
          } else if (line.startsWith("data: ")) {
            data = line.substring(6);
          }
        }
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Events until {@code last} is true of one (included). */
    List<Sse> until(java.util.function.Predicate<Sse> last) {
      List<Sse> out = new ArrayList<>();
      Sse e;
      while ((e = next()) != null) {
        out.add(e);
        if (last.test(e)) {
          return out;
        }
      }
      throw new AssertionError("the stream ended before the event looked for: " + out);
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  /** Completes the node's hanging attempt, once the executor has it. */
  private void complete(String node) throws Exception {
    executor.awaitCalls(node, 1, Duration.ofSeconds(10));
    assertThat(executor.complete(runId + ":" + node + ":1", NodeResult.success())).isTrue();
  }

  private static boolean completed(Sse e, String node) {
    return e.event().equals("transition") && e.data().get("nodeId").asText().equals(node)
        && e.data().get("to").asText().equals("COMPLETED");
  }

  private List<String> transitions(List<Sse> stream) {
    return stream.stream().filter(e -> e.event().equals("transition"))
        .map(e -> e.data().get("nodeId").asText() + ":" + e.data().get("from").asText() + ">"
            + e.data().get("to").asText() + "@" + e.data().get("attempt").asInt()).toList();
  }

  private List<String> stored() {
    List<String> out = new ArrayList<>();
    for (StateTransition t : engine.transitions(runId)) {
      out.add(t.nodeId() + ":" + t.from() + ">" + t.to() + "@" + t.attempt());
    }
    return out;
  }

  private List<Long> logSeqs(List<Sse> stream) {
    return stream.stream().filter(e -> e.event().equals("log"))
        .map(e -> e.data().get("seq").asLong()).toList();
  }

  @Test
  void everyTransitionArrivesInOrderThenTheEnd() throws Exception {
    List<Sse> all;
    try (Client c = new Client(null)) {
      List<Sse> first = new ArrayList<>(c.until(e -> e.event().equals("transition")
          && e.data().get("nodeId").asText().equals("s1")
          && e.data().get("to").asText().equals("RUNNING")));
      complete("s1");
      first.addAll(c.until(e -> completed(e, "s1")));
      complete("s2");
        complete("s3");
      first.addAll(c.until(e -> e.event().equals("end")));
      all = first;
      assertThat(c.next()).as("the stream closes after its end").isNull();
    }

    assertThat(all.get(all.size() - 1).data().get("state").asText()).isEqualTo("COMPLETED");
    assertThat(transitions(all)).containsExactlyElementsOf(stored());
    List<Long> lines = engine.logs(LogQuery.of(runId)).stream().map(LogEntry::seq).toList();
    assertThat(lines).isNotEmpty();
    assertThat(logSeqs(all)).containsExactlyElementsOf(lines);
    Set<String> ids = new HashSet<>();
    all.stream().filter(e -> !e.event().equals("end")).forEach(e ->
        assertThat(ids.add(e.id())).as("ids are not repeated: " + e).isTrue());
    assertThat(all.get(all.size() - 1).id()).as("the end carries the last cursor")
        .isEqualTo(all.get(all.size() - 2).id());
  }

  @Test
  void aDroppedConnectionResumesFromLastEventIdWithoutLossOrRepeat() throws Exception {
    List<Sse> before;
    try (Client c = new Client(null)) {
      complete("s1");
      before = c.until(e -> completed(e, "s1"));
    }
    String lastId = before.get(before.size() - 1).id();
    complete("s2");
    complete("s3");
    await(runId);

    List<Sse> after;
    try (Client c = new Client(lastId)) {
      after = c.until(e -> e.event().equals("end"));
    }
    List<Sse> joined = new ArrayList<>(before);
    joined.addAll(after);
    assertThat(transitions(joined)).containsExactlyElementsOf(stored());
    assertThat(logSeqs(joined)).containsExactlyElementsOf(
        engine.logs(LogQuery.of(runId)).stream().map(LogEntry::seq).toList());

    try (Client c = new Client("0:0")) {
      assertThat(transitions(c.until(e -> e.event().equals("end"))))
          .as("from the start again").containsExactlyElementsOf(stored());
    }
    String total = after.get(after.size() - 1).id();
    try (Client c = new Client(total)) {
      assertThat(c.until(e -> e.event().equals("end"))).as("nothing after the last id")
          .singleElement().satisfies(e -> assertThat(e.event()).isEqualTo("end"));
    }
  }

  @Test
  void aRunAnotherInstanceOwnsIsFollowedAllTheSame() throws Exception {
    ScriptedExecutor remote = new ScriptedExecutor(clock).script("s1", Outcome.hang())
        .defaultOutcome(Outcome.succeed());
    try (DagEngine owner = DagEngine.builder().stores(stores).instanceId("owner")
        .timeSource(clock).executor("task", remote).handler("log", ctx -> null).build()) {
      owner.start();
      String theirs = owner.submit(SubmitRequest.builder().template("chain").build());
      remote.awaitCalls("s1", 1, Duration.ofSeconds(10));
      events = "/api/v1/projects/a/runs/" + theirs + "/events";
      List<Sse> all;
      try (Client c = new Client(null)) {
        all = new ArrayList<>(c.until(e -> e.event().equals("transition")
            && e.data().get("to").asText().equals("RUNNING")));
        assertThat(remote.complete(theirs + ":s1:1", NodeResult.success())).isTrue();
        all.addAll(c.until(e -> e.event().equals("end")));
      }
      assertThat(all.get(all.size() - 1).data().get("state").asText()).isEqualTo("COMPLETED");
      assertThat(transitions(all)).as("every transition, though no listener here heard one")
          .containsExactlyElementsOf(engine.transitions(theirs).stream()
              .map(t -> t.nodeId() + ":" + t.from() + ">" + t.to() + "@" + t.attempt())
              .toList());
      assertThat(executor.calls()).as("the API's engine ran none of it")
          .noneMatch(call -> call.runId().equals(theirs));
    }
  }

  @Test
  void aBadLastEventIdIsRefusedByName() {
    Reply r = call("GET", events, A, null, java.util.Map.of("Last-Event-ID", "yesterday"));
    refused(r, 400, "Last-Event-ID");
    refused(get("/api/v1/projects/b/runs/" + runId + "/events", B), 404, runId);
  }
}
