package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.RunView;
import dev.dagflow.log.LogLevel;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.testing.Outcome;
import dev.dagflow.testing.ScriptedExecutor;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Runs each test of a subclass through both transports over real HTTP on 127.0.0.1: an engine
 * on a manual clock with real workers, a {@link ScriptedExecutor} for task type {@code task}
 * (node {@code hang} hangs, {@code flaky} fails, others succeed), task type {@code log} writing
 * a DEBUG, an INFO and a WARN line, and three tokens: {@code A} reads and changes project
 * {@code a}, {@code A_RO} only reads it, {@code B} reads and changes project {@code b}.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(ServerKind.class)
abstract class ApiTestBase {
  static final String A = "token-a";
  static final String A_RO = "token-a-read-only";
  static final String B = "token-b";
  static final ObjectMapper MAPPER = new ObjectMapper();
  static final int MAX_BODY = 64 * 1024;

  @Parameter
  ServerKind kind;

  /** Notified on every transition, for {@link #awaitState}. */
  private final Object transitions = new Object();
  /** The engine's stores, which a test may share with an engine of its own. */
  final Stores stores = Stores.inMemory();
  ManualClock clock;
  ScriptedExecutor executor;
  DagEngine engine;
  DagHttpApi api;
  ServerKind.Running server;
  HttpClient client;

  @BeforeEach
  void startServer() throws Exception {
    clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    executor = new ScriptedExecutor(clock).script("hang", Outcome.hang())
        .script("flaky", Outcome.failPermanently("E_FLAKY", "it failed"))
        .defaultOutcome(Outcome.succeed()).acceptLiveUpdates();
    engine = DagEngine.builder().stores(stores).instanceId("api").timeSource(clock)
        .executor("task", executor)
        .handler("log", ctx -> {
          ctx.log(LogLevel.DEBUG, "{} debug", ctx.nodeId());
          ctx.log(LogLevel.INFO, "{} info", ctx.nodeId());
          ctx.log(LogLevel.WARN, "{} warn", ctx.nodeId());
          return null;
        }).listener(new EngineListener() {
          @Override
          public void onTransition(StateTransition t) {
            synchronized (transitions) {
              transitions.notifyAll();
            }
          }
        }).build();
    engine.start();
    api = DagHttpApi.builder(engine).maxBodyBytes(MAX_BODY).authenticator(Authenticator.tokens(
        Map.of(A, ApiPrincipal.readWrite("alice", "a"),
            A_RO, ApiPrincipal.readOnly("olga", "a"),
            B, ApiPrincipal.readWrite("bob", "b")))).build();
    server = kind.start(api);
    client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  }

  @AfterEach
  void stopServer() throws Exception {
    if (server != null) {
      server.close();
    }
    if (engine != null) {
      engine.close();
    }
  }

  /**
   * An answer: status, headers, body (empty for an event stream, of which only the head is
   * read) and the JSON body (null if it is not JSON).
   */
  record Reply(int status, HttpHeaders headers, byte[] body, JsonNode json) {
    JsonNode data() {
      return json.get("data");
    }

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** The error's field, or null. */
    String field() {
      JsonNode f = json.path("data").get("field");
      return f == null ? null : f.asText();
    }
  }

  Reply call(String method, String path, String token, byte[] body) {
    return call(method, path, token, body, Map.of());
  }

  Reply call(String method, String path, String token, byte[] body,
      Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.base() + path))
        .timeout(Duration.ofSeconds(30))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofByteArray(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    try {
      if (method.equals("GET") && URI.create(path).getPath().endsWith("/events")) {
        // a stream that may not end: only its head is read
        HttpResponse<InputStream> head = client.send(b.build(),
            HttpResponse.BodyHandlers.ofInputStream());
        if (head.headers().firstValue("Content-Type").orElse("").startsWith(
            "text/event-stream")) {
          head.body().close();
          return new Reply(head.statusCode(), head.headers(), new byte[0], null);
        }
        byte[] bytes;
        try (InputStream in = head.body()) {
          bytes = in.readAllBytes();
        }
        return new Reply(head.statusCode(), head.headers(), bytes, MAPPER.readTree(bytes));
      }
      HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
      JsonNode json = null;
      try {
        json = MAPPER.readTree(r.body());
      } catch (IOException e) {
        // not JSON: a static asset
      }
      return new Reply(r.statusCode(), r.headers(), r.body(), json);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  Reply get(String path, String token) {
    return call("GET", path, token, null);
  }

  Reply send(String method, String path, String token, String json) {
    return call(method, path, token, json == null ? null : json.getBytes(StandardCharsets.UTF_8));
  }

  Reply ok(Reply r, int status) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    if (!r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream")) {
      assertThat(r.json().get("code").asInt()).isEqualTo(status);
    }
    return r;
  }

  /** Asserts an error status whose message or field names {@code named}. */
  Reply refused(Reply r, int status, String named) {
    assertThat(r.status()).as(r.text()).isEqualTo(status);
    assertThat(r.json().get("code").asInt()).isEqualTo(status);
    assertThat(r.json().get("message").asText() + " " + r.field()).as(r.text())
        .contains(named);
    return r;
  }

  static String spec(String id, String... nodes) {
    StringBuilder s = new StringBuilder("{\"id\": \"" + id + "\", \"nodes\": [");
    for (int i = 0; i < nodes.length; i++) {
      s.append(i == 0 ? "" : ", ").append(nodes[i]);
    }
    return s.append("]}").toString();
  }

  static String task(String id, String... dependsOn) {
    return node(id, "task", dependsOn);
  }

  static String node(String id, String taskType, String... dependsOn) {
    StringBuilder s = new StringBuilder("{\"id\": \"" + id + "\", \"taskType\": \""
        + taskType + "\"");
    if (dependsOn.length > 0) {
      s.append(", \"dependsOn\": [");
      for (int i = 0; i < dependsOn.length; i++) {
        s.append(i == 0 ? "" : ", ").append('"').append(dependsOn[i]).append('"');
      }
      s.append(']');
    }
    return s.append('}').toString();
  }

  /** Publishes {@code spec} as template {@code name} of {@code project}. */
  void publish(String project, String token, String name, String spec) {
    Reply r = send("POST", "/api/v1/projects/" + project + "/templates", token,
        "{\"name\": \"" + name + "\", \"spec\": " + spec + "}");
    assertThat(r.status()).as(r.text()).isIn(200, 201);
  }

  /** Starts a run of template {@code name} of {@code project}; its id. */
  String start(String project, String token, String name) {
    Reply r = ok(send("POST", "/api/v1/projects/" + project + "/templates/" + name + "/runs",
        token, "{}"), 201);
    return r.data().get("runId").asText();
  }

  /** Waits until node {@code nodeId} of the run is in {@code state}. */
  void awaitState(String runId, String nodeId, NodeState state) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    synchronized (transitions) {
      while (engine.get(runId).node(nodeId).orElseThrow().state() != state) {
        long left = deadline - System.nanoTime();
        assertThat(left).as(nodeId + " reaches " + state).isPositive();
        transitions.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
      }
    }
  }

  RunView await(String runId) throws InterruptedException, TimeoutException {
    return engine.await(runId, Duration.ofSeconds(20));
  }

  ObjectNode object(String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
