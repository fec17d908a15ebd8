package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The client retries what may pass (connection errors, 5xx, 429 after its Retry-After) on a
 * timer with jittered backoff, and gives up with an exception saying how often it tried; 4xx
 * answers are final. Over real loopback sockets against the {@link FakeEngine}.
 */
class EngineClientRetryTest {
  private static final long SEED = 20261202L;
  private static final String STATUS = "GET /engine/task/task-1/status";

  private final FakeEngine fake;
  private EngineClient client;

  EngineClientRetryTest() throws IOException {
    fake = new FakeEngine();
  }

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    fake.close();
  }

  private EngineClient client(EngineClient.Builder b) {
    client = b.build();
    return client;
  }

  private EngineClient.Builder fast(URI uri) {
    return EngineClient.builder(uri).backoff(Duration.ofMillis(1), Duration.ofMillis(5))
        .random(new Random(SEED));
  }

  private static <T> T get(CompletableFuture<T> f) throws Exception {
    return f.get(20, TimeUnit.SECONDS);
  }

  private static Throwable failure(CompletableFuture<?> f) {
    Throwable t = catchThrowable(() -> f.get(20, TimeUnit.SECONDS));
    assertThat(t).isInstanceOf(ExecutionException.class);
    return t.getCause();
  }

  private String submitOne(EngineClient c) throws Exception {
    ObjectNode body = Reply.JSON.createObjectNode().put("idempotencyKey", "k-1");
    body.putArray("body").addObject().put("id", "x");
    return get(c.submit(body, "k-1"));
  }

  @Test
  void fiveHundredsAndTooManyRequestsAreRetriedThenTheAnswerIsRead() throws Exception {
    EngineClient c = client(fast(fake.uri()).maxRetries(5));
    String id = submitOne(c);
    fake.script(id, Reply.http(500), Reply.http(503), Reply.http(429, "0"), Reply.running(30));

    TaskStatus status = get(c.status(id));

    assertThat(status.status()).isEqualTo(RemoteStatus.RUNNING);
    assertThat(status.progress()).contains(30);
    assertThat(status.agents()).singleElement().satisfies(a -> {
      assertThat(a.agentId()).isEqualTo("task-1-agent");
      assertThat(a.nodeId()).contains("x");
    });
    assertThat(fake.requests(STATUS)).hasSize(4);
  }

  @Test
  void retryAfterInSecondsIsWaitedOut() throws Exception {
    EngineClient c = client(fast(fake.uri()));
    String id = submitOne(c);
    fake.script(id, Reply.http(429, "1"), Reply.running(5));

    assertThat(get(c.status(id)).progress()).contains(5);

    List<FakeEngine.Request> polls = fake.requests(STATUS);
    assertThat(polls).hasSize(2);
    assertThat(Duration.ofNanos(polls.get(1).nanos() - polls.get(0).nanos()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
  }

  @Test
  void retryAfterAsAnHttpDateIsReadOnTheInjectedClock() throws Exception {
    Instant date = Instant.parse("2026-12-02T08:00:00Z");
    Clock clock = Clock.fixed(date.minusMillis(400), ZoneOffset.UTC); // 400 ms before it
    EngineClient c = client(fast(fake.uri()).clock(clock));
    String id = submitOne(c);
    String header = DateTimeFormatter.RFC_1123_DATE_TIME.format(date.atOffset(ZoneOffset.UTC));
    fake.script(id, Reply.http(503, header), Reply.running(7));

    assertThat(get(c.status(id)).progress()).contains(7);

    List<FakeEngine.Request> polls = fake.requests(STATUS);
    assertThat(Duration.ofNanos(polls.get(1).nanos() - polls.get(0).nanos()))
        .isGreaterThanOrEqualTo(Duration.ofMillis(380));
  }

  @Test
  void aRetryAfterLongerThanTheClientWaitsEndsTheCallCarryingIt() throws Exception {
    EngineClient c = client(fast(fake.uri()).maxRetryAfter(Duration.ofSeconds(2)));
    String id = submitOne(c);
    fake.script(id, Reply.http(429, "120"));

    Throwable t = failure(c.status(id));

    assertThat(t).isInstanceOf(EngineUnavailableException.class)
        .hasMessageContaining("status of engine task 'task-1'")
        .hasMessageContaining("retry after 120000 ms");
    EngineUnavailableException u = (EngineUnavailableException) t;
    assertThat(u.retryAfter()).contains(Duration.ofSeconds(120));
    assertThat(u.status()).hasValue(429);
    assertThat(u.tries()).isEqualTo(1);
    assertThat(fake.requests(STATUS)).hasSize(1);
  }

  @Test
  void refusedConnectionsAreRetriedUntilTheEngineListensAgain() throws Exception {
    EngineClient c = client(EngineClient.builder(fake.uri()).maxRetries(60)
        .backoff(Duration.ofMillis(20), Duration.ofMillis(100)).random(new Random(SEED)));
    String id = submitOne(c);
    fake.script(id, Reply.running(64));
    fake.stopServer(); // the port is closed: connections are refused
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    try {
      CompletableFuture<TaskStatus> status = c.status(id); // its first try is refused
      later.schedule(() -> {
        fake.restart();
        return null;
      }, 300, TimeUnit.MILLISECONDS);

      assertThat(get(status).progress()).contains(64);
      assertThat(fake.requests(STATUS)).hasSize(1); // only the try after the restart arrived
    } finally {
      later.shutdownNow();
    }
  }

  @Test
  void anEngineThatStaysDownFailsTheCallAsUnavailableAfterEveryTry() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    EngineClient c = client(fast(URI.create("http://127.0.0.1:" + closedPort)).maxRetries(2));

    Throwable t = failure(c.status("t-9"));

    assertThat(t).isInstanceOf(EngineUnavailableException.class)
        .hasMessageStartingWith("status of engine task 't-9': the engine could not be reached")
        .hasMessageEndingWith("(3 tries)")
        .hasCauseInstanceOf(ConnectException.class);
    assertThat(((EngineUnavailableException) t).tries()).isEqualTo(3);
    assertThat(((EngineUnavailableException) t).status()).isEmpty();
  }

  @Test
  void fourHundredsAreFinal() throws Exception {
    EngineClient c = client(fast(fake.uri()));

    Throwable t = failure(c.status("nope"));

    assertThat(t).isInstanceOf(EngineRequestException.class)
        .hasMessage("status of engine task 'nope': the engine answered 404: "
            + "{\"message\":\"no such task\"}");
    assertThat(((EngineRequestException) t).status()).isEqualTo(404);
    assertThat(fake.requests("GET /engine/task/nope/status")).hasSize(1);
  }

  @Test
  void aSubmitFaultIsRetriedUnderTheSameKeyAndMakesOneTask() throws Exception {
    EngineClient c = client(fast(fake.uri()).bearerToken("s3cret").header("X-Tenant", "acme"));
    fake.submitFaults(Reply.http(502), Reply.http(503));

    assertThat(submitOne(c)).isEqualTo("task-1");

    List<FakeEngine.Request> submits = fake.requests("POST /engine/task/submit");
    assertThat(submits).hasSize(3).allSatisfy(r -> {
      assertThat(r.header("Idempotency-Key")).isEqualTo("k-1");
      assertThat(r.header("Authorization")).isEqualTo("Bearer s3cret");
      assertThat(r.header("X-tenant")).isEqualTo("acme");
    });
    assertThat(fake.created).hasValue(1);
  }

  @Test
  void theBatchPathAsksForManyTasksInOneRequest() throws Exception {
    EngineClient c = client(fast(fake.uri()).batchStatusPath("/engine/tasks/status", 10));
    for (int i = 1; i <= 3; i++) {
      ObjectNode body = Reply.JSON.createObjectNode().put("idempotencyKey", "k-" + i);
      body.putArray("body").addObject().put("id", "n" + i);
      get(c.submit(body, "k-" + i));
      fake.script("task-" + i, Reply.running(10 * i));
    }

    var statuses = get(c.statuses(List.of("task-1", "task-2", "task-3", "task-404")));

    assertThat(statuses).containsOnlyKeys("task-1", "task-2", "task-3");
    assertThat(statuses.get("task-2").progress()).contains(20);
    assertThat(fake.requests("POST /engine/tasks/status")).hasSize(1);
    assertThat(fake.requests(STATUS)).isEmpty();
    assertThat(c.hasBatchStatus()).isTrue();
    assertThat(Optional.of(c.maxBatchSize())).contains(10);
  }
}
