package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The remote engine pushes status changes to the executor's webhook receiver, mounted on a JDK
 * HTTP server on loopback: a correctly signed callback moves the node (here to its end while
 * the engine's poll answers still say running); a bad signature, a stale timestamp and a
 * replayed event id get 401 and change nothing.
 */
class WebhookCallbacksTest {
  private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
  private static final String STATUS = "GET /engine/task/task-1/status";
  private static final String LOGS = "GET /engine/agent/task-1-agent/logs";

  private final FakeEngine fake;
  private final RemoteHarness h;
  private final HttpServer callbacks;
  private final URI callbackUri;
  private final HttpClient http = HttpClient.newHttpClient();

  WebhookCallbacksTest() throws IOException {
    fake = new FakeEngine();
    WebhookConfig config = WebhookConfig.builder(Signer.SECRET)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).pollInterval(Duration.ofHours(1)).build();
    h = new RemoteHarness(fake, c -> c, e -> RemoteHarness.fast(e).webhooks(config));
    callbacks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    callbacks.createContext("/callbacks", h.executor.webhookReceiver().orElseThrow()
        .httpHandler());
    callbacks.start();
    callbackUri = URI.create("http://127.0.0.1:" + callbacks.getAddress().getPort()
        + "/callbacks");
  }

  @AfterEach
  void close() {
    callbacks.stop(0);
    h.close();
    fake.close();
  }

  private static String status(String status, int progress) {
    return "{\"engine_task_id\": \"task-1\", \"status\": \"" + status + "\", \"progress\": "
        + progress + ", \"agents\": [{\"engine_agent_id\": \"task-1-agent\", \"status\": \""
        + status + "\"}]}";
  }

  private int post(Map<String, List<String>> headers, String body) throws Exception {
    return Signer.post(http, callbackUri, headers, body);
  }

  @Test
  void theHttpAdapterTakesPostsOnlyAndRefusesBodiesOverItsLimit() throws Exception {
    HttpResponse<String> get = http.send(HttpRequest.newBuilder(callbackUri).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(get.statusCode()).isEqualTo(405);
    assertThat(get.headers().firstValue("Allow")).contains("POST");

    String huge = "{\"pad\": \"" + "x".repeat(1024 * 1024) + "\"}";
    HttpResponse<String> big = http.send(HttpRequest.newBuilder(callbackUri)
        .POST(HttpRequest.BodyPublishers.ofString(huge)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(big.statusCode()).isEqualTo(413);
    assertThat(big.body()).isEqualTo("{\"message\":\"the body is over 1048576 bytes\"}");
  }

  @Test
  void signedCallbacksMoveTheNodeAndForgedStaleOrReplayedOnesChangeNothing()
      throws Exception {
    fake.script("task-1", Reply.running(10));
    String run = h.submit(DagSpec.builder("hooks").node(NodeSpec.task("x", "sim")).build());
    fake.awaitCount(STATUS, 1); // followed
    String done = "{\"engine_task_id\": \"task-1\", \"status\": \"completed\", \"result\": "
        + "{\"via\": \"webhook\"}}";

    Map<String, List<String>> forged = new HashMap<>(Signer.headers(NOW, "e-0", done));
    forged.put("X-Dagflow-Signature", List.of(Signer.sign(
        "another secret, 32 bytes long!!!".getBytes(), Long.toString(NOW.getEpochSecond()),
        done)));
    assertThat(post(forged, done)).as("bad signature").isEqualTo(401);
    assertThat(post(Signer.headers(NOW.minus(Duration.ofMinutes(6)), "e-0", done), done))
        .as("stale").isEqualTo(401);
    assertThat(post(Signer.headers(NOW, "e-0", done), done.replace("webhook", "forger")))
        .as("body changed after signing").isEqualTo(401);
    assertThat(post(Map.of(), done)).as("unsigned").isEqualTo(401);
    assertThat(h.node(run, "x").state()).isEqualTo(NodeState.RUNNING);

    String sixty = status("running", 60);
    fake.rescript("task-1", Reply.running(60));
    int logReads = fake.requests(LOGS).size();
    assertThat(post(Signer.headers(NOW, "e-1", sixty), sixty)).isEqualTo(204);
    String seventy = status("running", 70);
    fake.rescript("task-1", Reply.running(70));
    assertThat(post(Signer.headers(NOW, "e-2", seventy), seventy)).isEqualTo(204);
    fake.await(r -> h.node(run, "x").progress() == 70, RemoteHarness.WAIT); // logs read after
    assertThat(fake.requests(LOGS).size()).isGreaterThan(logReads);

    assertThat(post(Signer.headers(NOW, "e-1", sixty), sixty)).as("replayed").isEqualTo(401);
    NodeView x = h.node(run, "x");
    assertThat(x.state()).isEqualTo(NodeState.RUNNING);
    assertThat(x.progress()).isEqualTo(70);

    assertThat(post(Signer.headers(NOW, "e-3", done), done)).isEqualTo(204);
    RunView ended = h.await(run);
    assertThat(ended.state()).isEqualTo(RunState.COMPLETED);
    assertThat(ended.node("x").orElseThrow().result().orElseThrow().get("via").asText())
        .isEqualTo("webhook");

    assertThat(post(Signer.headers(NOW, "e-4", done), done)).as("no longer followed")
        .isEqualTo(404);
    assertThat(post(Signer.headers(NOW, "e-5", "{\"status\": 1}"), "{\"status\": 1}"))
        .as("genuine but broken").isEqualTo(400);
  }
}
