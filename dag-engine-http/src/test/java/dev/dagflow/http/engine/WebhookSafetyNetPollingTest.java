package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * While callbacks arrive, a task is still polled, as a safety net, at the webhook config's
 * slower interval; once they stop, polling goes back to its own interval.
 */
class WebhookSafetyNetPollingTest {
  private static final Instant NOW = Instant.parse("2026-12-02T08:00:00Z");
  private static final String STATUS = "GET /engine/task/task-1/status";

  private final FakeEngine fake;
  private final RemoteHarness h;

  WebhookSafetyNetPollingTest() throws IOException {
    fake = new FakeEngine();
    WebhookConfig config = WebhookConfig.builder(Signer.SECRET)
        .clock(Clock.fixed(NOW, ZoneOffset.UTC)).pollInterval(Duration.ofMillis(500)).build();
    h = new RemoteHarness(fake, c -> c, e -> e.pollInterval(Duration.ofMillis(10))
        .webhooks(config));
  }

  @AfterEach
  void close() {
    h.close();
    fake.close();
  }

  @Test
  void aCallbackPutsTheNextPollOffToTheSlowerIntervalAndPollingGoesOn() throws Exception {
    fake.script("task-1", Reply.running(20));
    String run = h.submit(DagSpec.builder("net").node(NodeSpec.task("x", "sim")).build());
    fake.awaitCount(STATUS, 3);
    String body = "{\"engine_task_id\": \"task-1\", \"status\": \"running\", \"progress\": 30}";

    long pushed = System.nanoTime();
    int before = fake.requests(STATUS).size();
    assertThat(h.executor.webhookReceiver().orElseThrow().handle(
        Signer.headers(NOW, "e-1", body), body.getBytes(StandardCharsets.UTF_8)).status())
        .isEqualTo(204);
    fake.awaitCount(STATUS, before + 4); // one possibly under way, the slow one, then fast

    List<FakeEngine.Request> polls = fake.requests(STATUS);
    assertThat(Duration.ofNanos(polls.get(before + 1).nanos() - pushed))
        .as("the first poll sent after the callback").isGreaterThanOrEqualTo(
            Duration.ofMillis(450));
    assertThat(Duration.ofNanos(polls.get(before + 3).nanos() - polls.get(before + 2).nanos()))
        .as("no callback since: back to the poll interval").isLessThan(Duration.ofMillis(400));

    fake.script("task-1", Reply.completed(null));
    assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
  }
}
