package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client keeps at most {@code maxConcurrentRequests} requests in flight to the engine; the
 * others wait their turn, and {@code close()} fails those still waiting instead of leaving their
 * futures open. Over real loopback sockets against the {@link FakeEngine}.
 */
class EngineClientConcurrencyTest {
  private final FakeEngine fake;
  private EngineClient client;

  EngineClientConcurrencyTest() throws IOException {
    fake = new FakeEngine();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    fake.close();
  }

  private static ObjectNode body(String key) {
    ObjectNode body = Reply.JSON.createObjectNode().put("idempotencyKey", key);
    body.putArray("body").addObject().put("id", "x");
    return body;
  }

  @Test
  void atMostTheLimitIsInFlightAndEveryRequestIsAnswered() throws Exception {
    client = EngineClient.builder(fake.uri()).maxConcurrentRequests(3).build();
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      ids.add(client.submit(body("k-" + i), "k-" + i).get(20, TimeUnit.SECONDS));
    }
    fake.statusDelay(Duration.ofMillis(20)); // each answer takes a while: the calls pile up

    List<CompletableFuture<TaskStatus>> polls = ids.stream().map(client::status).toList();
    for (int i = 0; i < ids.size(); i++) {
      assertThat(polls.get(i).get(20, TimeUnit.SECONDS).taskId()).isEqualTo(ids.get(i));
    }
    assertThat(fake.requests("GET /engine/task/task-1/status")).hasSize(1);
    assertThat(fake.maxInFlight).hasValue(3);
    assertThat(fake.violations).isEmpty();
  }

  @Test
  void closeFailsARequestWaitingToBeRetried() throws Exception {
    client = EngineClient.builder(fake.uri()).backoff(Duration.ofSeconds(30),
        Duration.ofSeconds(30)).random(new java.util.Random(7) {
          @Override
          public double nextDouble() {
            return 0.99; // the retry waits about 30 s: close() comes first
          }
        }).build();
    fake.submitFaults(Reply.http(503));
    CompletableFuture<String> submit = client.submit(body("k-1"), "k-1");
    fake.awaitCount("POST /engine/task/submit", 1);

    client.close();

    Throwable t = catchThrowable(() -> submit.get(20, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class)
        .cause().isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("the client is closed");
    assertThat(fake.requests("POST /engine/task/submit")).hasSize(1);
  }

  @Test
  void closeFailsTheRequestsInFlightAndThoseWaitingTheirTurn() throws Exception {
    client = EngineClient.builder(fake.uri()).maxConcurrentRequests(1).build();
    CountDownLatch answer = new CountDownLatch(1);
    fake.holdSubmits(answer); // the first submit's answer is held: the others wait behind it
    try {
      List<CompletableFuture<String>> submits = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        submits.add(client.submit(body("k-" + i), "k-" + i));
      }
      fake.awaitCount("POST /engine/task/submit", 1);

      client.close();

      for (CompletableFuture<String> f : submits) {
        Throwable t = catchThrowable(() -> f.get(20, TimeUnit.SECONDS));
        assertThat(t).isInstanceOf(ExecutionException.class)
            .cause().isInstanceOf(EngineUnavailableException.class)
            .hasMessageContaining("the client is closed");
      }
      assertThat(fake.requests("POST /engine/task/submit")).hasSize(1);
    } finally {
      answer.countDown();
    }
  }
}
