package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What happens before the submit answers (a stop, an update), the submit body function, the
 * builder's checks, and the threads {@code close()} leaves behind: none of its own.
 */
class ExecutorLifecycleTest {
  private static final String SUBMIT = "POST /engine/task/submit";

  private final FakeEngine fake;

  ExecutorLifecycleTest() throws IOException {
    fake = new FakeEngine();
  }

  @AfterEach
  void close() {
    fake.close();
  }

  private static DagSpec one() {
    return DagSpec.builder("one").node(NodeSpec.task("x", "sim")
        .config(Reply.JSON.createObjectNode().put("speed", 1))).build();
  }

  @Test
  void aStopBeforeTheSubmitAnswersStopsTheTaskOnceItsIdIsKnown() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    fake.holdSubmits(answer);
    try (RemoteHarness h = new RemoteHarness(fake, c -> c, RemoteHarness::fast)) {
      String run = h.submit(one());
      fake.awaitCount(SUBMIT, 1);
      h.engine.stop(run, "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.STOPPED);

      answer.countDown();
      fake.awaitCount("POST /engine/task/task-1/stop", 1);
      assertThat(fake.requests("GET /engine/task/task-1/status")).isEmpty();
    }
  }

  @Test
  void anUpdateBeforeTheSubmitAnswersIsSentOnceItsIdIsKnown() throws Exception {
    CountDownLatch answer = new CountDownLatch(1);
    fake.holdSubmits(answer);
    try (RemoteHarness h = new RemoteHarness(fake, c -> c, RemoteHarness::fast)) {
      String run = h.submit(one());
      fake.awaitCount(SUBMIT, 1);
      h.engine.updateNodeConfig(run, "x", Reply.JSON.createObjectNode().put("speed", 2), "ops");
      h.engine.updateNodeConfig(run, "x", Reply.JSON.createObjectNode().put("speed", 5), "ops");

      answer.countDown();
      fake.awaitCount("PUT /engine/task/task-1/update", 1);
      fake.script("task-1", Reply.completed(null));
      assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
      assertThat(fake.requests("PUT /engine/task/task-1/update")).singleElement()
          .satisfies(r -> assertThat(Reply.JSON.readTree(r.body()).get("speed").asInt())
              .as("the latest config").isEqualTo(5));
    }
  }

  @Test
  void aSubmitBodyFunctionShapesTheSubmitAndItsThrowFailsTheNodePermanently()
      throws Exception {
    try (RemoteHarness h = new RemoteHarness(fake, c -> c, e -> RemoteHarness.fast(e)
        .submitBody(ctx -> {
          if (ctx.config().path("speed").asInt() > 1) {
            throw new IllegalArgumentException("too fast");
          }
          return Reply.JSON.createObjectNode().put("scheme", ctx.nodeId());
        }))) {
      fake.script("task-1", Reply.completed(null));
      assertThat(h.await(h.submit(one())).state()).isEqualTo(RunState.COMPLETED);
      JsonNode sent = Reply.JSON.readTree(fake.requests(SUBMIT).get(0).body());
      assertThat(sent.get("scheme").asText()).isEqualTo("x");
      assertThat(sent.get("idempotencyKey").asText()).endsWith(":x:1");

      RunView failed = h.await(h.submit(DagSpec.builder("fast").node(NodeSpec.task("x", "sim")
          .config(Reply.JSON.createObjectNode().put("speed", 9))).build()));
      assertThat(failed.node("x").orElseThrow().state()).isEqualTo(NodeState.FAILED);
      assertThat(failed.node("x").orElseThrow().errorCode()).contains("ENGINE_SUBMIT_BODY");
      assertThat(failed.node("x").orElseThrow().errorMessage().orElseThrow())
          .contains("too fast");
      assertThat(fake.requests(SUBMIT)).hasSize(1);
    }
  }

  @Test
  void theBuilderRefusesBadSettingsNamingThem() {
    assertThatThrownBy(() -> HttpEngineExecutor.builder().build())
        .isInstanceOf(IllegalStateException.class).hasMessage("client must be set");
    assertThatThrownBy(() -> HttpEngineExecutor.builder().pollInterval(Duration.ZERO))
        .hasMessage("pollInterval must be from PT0.001S to PT1H, was PT0S");
    assertThatThrownBy(() -> HttpEngineExecutor.builder().pollInterval(Duration.ofSeconds(1))
        .pollInterval(Duration.ofSeconds(2))).isInstanceOf(IllegalStateException.class)
        .hasMessage("pollInterval was already set to PT1S");
    assertThatThrownBy(() -> HttpEngineExecutor.builder().requestType(2)
        .submitBody(ctx -> null)).isInstanceOf(IllegalStateException.class)
        .hasMessageStartingWith("submitBody: requestType or callbackUrl was set");
    assertThatThrownBy(() -> HttpEngineExecutor.builder().callbackUrl(URI.create("/cb")))
        .hasMessage("callbackUrl must be an absolute URI, was '/cb'");
    assertThatThrownBy(() -> HttpEngineExecutor.builder().logLookback(Duration.ofSeconds(-1)))
        .hasMessageStartingWith("logLookback must be from PT0S");
    try (EngineClient client = EngineClient.builder(fake.uri()).build()) {
      assertThatThrownBy(() -> HttpEngineExecutor.builder().client(client)
          .pollInterval(Duration.ofSeconds(10)).maxPollBackoff(Duration.ofSeconds(1)).build())
          .hasMessage("maxPollBackoff (PT1S) must not be shorter than pollInterval (PT10S)");
    }
  }

  @Test
  void closeStopsTheThreadsItCreated() throws Exception {
    try (RemoteHarness h = new RemoteHarness(fake, c -> c, RemoteHarness::fast)) {
      fake.script("task-1", Reply.running(1), Reply.completed(null));
      assertThat(h.await(h.submit(one())).state()).isEqualTo(RunState.COMPLETED);
      assertThat(ours()).isNotEmpty();
    }
    // a pool is terminated once its workers are done; each thread ends a moment after that
    for (Thread t : threads()) {
      t.join(TimeUnit.SECONDS.toMillis(5));
    }
    assertThat(ours()).isEmpty();
  }

  private static List<Thread> threads() {
    return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("dagflow-http-engine-")
            || t.getName().startsWith("dagflow-engine-client-")).toList();
  }

  private static List<String> ours() {
    return threads().stream().map(Thread::getName).toList();
  }
}
