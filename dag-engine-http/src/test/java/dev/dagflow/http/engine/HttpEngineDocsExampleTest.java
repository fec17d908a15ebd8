package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Compiles and runs the example of {@code docs/http-engine.md} against the fake engine. */
class HttpEngineDocsExampleTest {

  @Test
  void theExampleOfTheDocsRunsANodeOnTheRemoteEngine() throws Exception {
    try (FakeEngine fake = new FakeEngine()) {
      fake.script("task-1", Reply.running(50),
          Reply.completed(Reply.JSON.createObjectNode().put("winner", "blue")));
      URI engineUri = fake.uri();
      String token = "token-of-the-engine";
      byte[] secret = Signer.SECRET;
      InetSocketAddress callbackAddress = new InetSocketAddress(InetAddress.getLoopbackAddress(),
          0);
      RunView done;
      // docs:start docs/http-engine.md "Using it"
      try (EngineClient client = EngineClient.builder(engineUri)   // "http://engine:8080"
              .bearerToken(token)
              .requestTimeout(Duration.ofSeconds(10))
              .build();
          HttpEngineExecutor remote = HttpEngineExecutor.builder()
              .client(client)
              .pollInterval(Duration.ofMillis(200))
              .webhooks(WebhookConfig.builder(secret).build())   // optional
              .build();
          DagEngine engine = DagEngine.builder().executor("agent", remote).build()) {
        HttpServer callbacks = HttpServer.create(callbackAddress, 0);
        callbacks.createContext("/dagflow/callbacks",
            remote.webhookReceiver().orElseThrow().httpHandler());
        callbacks.start();
        engine.start();
        String run = engine.submit(DagSpec.builder("drill")
            .node(NodeSpec.task("red-team", "agent").timeout(Duration.ofMinutes(30)))
            .build());
        done = engine.await(run, Duration.ofMinutes(1));
        callbacks.stop(0);
      }
      // docs:end
      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("red-team").orElseThrow().result().orElseThrow().get("winner")
          .asText()).isEqualTo("blue");
      assertThat(fake.requests("POST /engine/task/submit")).singleElement().satisfies(r ->
          assertThat(r.header("Authorization")).isEqualTo("Bearer " + token));
    }
  }
}
