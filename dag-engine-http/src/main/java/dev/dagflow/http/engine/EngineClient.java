package dev.dagflow.http.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.http.engine.internal.ClientConfig;
import dev.dagflow.http.engine.internal.HttpCalls;
import dev.dagflow.http.engine.internal.Paths;
import dev.dagflow.http.engine.internal.Protocol;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

/**
 * Speaks the remote engine protocol over {@link java.net.http.HttpClient}, asynchronously:
 * submit ({@code POST /engine/task/submit} → {@code {"engine_task_id"}}), status ({@code GET
 * /engine/task/{id}/status}, or one {@code POST} for many tasks where the engine offers it),
 * logs ({@code GET /engine/agent/{id}/logs?since=}), update ({@code PUT
 * /engine/task/{id}/update}) and stop ({@code POST /engine/task/{id}/stop}). Built with {@link
 * #builder(URI)}; see {@code docs/http-engine.md} for the bodies.
 *
 * <p>Every call returns at once with a future. Connection errors, timeouts, 5xx and 429 are
 * retried on a timer with capped exponential backoff and full jitter, or after the {@code
 * Retry-After} the engine sent; the future then fails with {@link EngineUnavailableException}.
 * A 4xx fails it with {@link EngineRequestException}; an answer that is not JSON, has the wrong
 * shape, names an unknown status or is over the size limit fails it at once, without a retry,
 * with {@link EngineProtocolException} naming the field. Answers are read under dagflow's JSON
 * limits ({@link dev.dagflow.json.JsonLimits}).
 *
 * <p>The futures complete on the client's request threads: a dependent stage that blocks, such
 * as one that waits for another call of this client, holds one of the {@code
 * maxConcurrentRequests} and can stall the client. Chain such work with the {@code ...Async}
 * methods and an executor of your own.
 *
 * <p>Thread-safe. {@link #close()} shuts down the threads the client created; the host's
 * {@code HttpClient}, executor and scheduler are left alone.
 */
public final class EngineClient implements AutoCloseable {
  private final ClientConfig config;
  private final HttpCalls calls;

  private EngineClient(ClientConfig config) {
    this.config = config;
    this.calls = new HttpCalls(config.http(), config.requests(), config.timer(),
        config.settings(), config.random(), config.clock());
  }

  /**
   * A builder for a client of the engine at {@code baseUri} (such as {@code
   * http://engine:8080}, or with a path prefix: {@code http://gw/sim}).
   *
   * @throws IllegalArgumentException naming {@code baseUri} unless it is an absolute http or
   *     https URI without query or fragment
   */
  public static Builder builder(URI baseUri) {
    return new Builder(baseUri);
  }

  /**
   * Submits a task; completes with the engine's id for it. {@code idempotencyKey} goes as the
   * {@code Idempotency-Key} header: an engine that de-duplicates by it answers a repeated
   * submit with the task it already has.
   */
  public CompletableFuture<String> submit(ObjectNode body, String idempotencyKey) {
    Objects.requireNonNull(body, "body");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    String op = "submit (idempotency key '" + idempotencyKey + "')";
    return json(op, body).thenCompose(bytes -> calls.send(op, () -> request(Paths.uri(
            config.baseUri(), config.submitPath(), null, null))
            .header("Idempotency-Key", idempotencyKey)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))))
        .thenApply(answer -> Protocol.taskId(op, Protocol.read(op, answer)));
  }

  /** The status of the task the engine knows as {@code taskId}. */
  public CompletableFuture<TaskStatus> status(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    String op = "status of engine task '" + taskId + "'";
    return calls.send(op, () -> request(Paths.uri(config.baseUri(), config.statusPath(),
            taskId, null)).GET())
        .thenApply(answer -> Protocol.status(op, Protocol.read(op, answer), taskId));
  }

  /**
   * The statuses of many tasks, by id: in one request to the batch status path when one is
   * configured (at most {@link #maxBatchSize()} ids; {@code {"engine_task_ids": [...]}} →
   * {@code {"tasks": [{"engine_task_id", ...}]}}), else one {@link #status} call per task. A
   * task the engine does not list is missing from the map.
   *
   * @throws IllegalArgumentException if there are more ids than {@link #maxBatchSize()}
   */
  public CompletableFuture<Map<String, TaskStatus>> statuses(Collection<String> taskIds) {
    List<String> ids = List.copyOf(taskIds);
    if (config.batchStatusPath().isEmpty()) {
      List<CompletableFuture<TaskStatus>> each = ids.stream().map(this::status).toList();
      return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new)).thenApply(v -> {
        Map<String, TaskStatus> out = new LinkedHashMap<>();
        each.forEach(f -> out.put(f.join().taskId(), f.join()));
        return out;
      });
    }
    if (ids.size() > config.maxBatchSize()) {
      throw new IllegalArgumentException("taskIds has " + ids.size() + " ids, over the batch "
          + "size of " + config.maxBatchSize());
    }
    String op = "status of " + ids.size() + " engine tasks";
    ObjectNode body = Protocol.MAPPER.createObjectNode();
    ArrayNode array = body.putArray("engine_task_ids");
    ids.forEach(array::add);
    return json(op, body).thenCompose(bytes -> calls.send(op, () -> request(Paths.uri(
            config.baseUri(), config.batchStatusPath().get(), null, null))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(bytes))))
        .thenApply(answer -> {
          Map<String, TaskStatus> out = new LinkedHashMap<>();
          for (TaskStatus s : Protocol.statuses(op, Protocol.read(op, answer))) {
            out.put(s.taskId(), s);
          }
          return out;
        });
  }

  /** Whether {@link #statuses} asks for many tasks in one request. */
  public boolean hasBatchStatus() {
    return config.batchStatusPath().isPresent();
  }

  /** The most ids one batch status request carries. */
  public int maxBatchSize() {
    return config.maxBatchSize();
  }

  /**
   * The log lines of the agent the engine knows as {@code agentId}; with {@code since}, sent as
   * the {@code since} query parameter, those the engine holds from that time on.
   */
  public CompletableFuture<List<EngineLogLine>> logs(String agentId, Optional<String> since) {
    Objects.requireNonNull(agentId, "agentId");
    Objects.requireNonNull(since, "since");
    String op = "logs of engine agent '" + agentId + "'";
    String query = since.map(s -> Paths.query("since", s)).orElse(null);
    return calls.send(op, () -> request(Paths.uri(config.baseUri(), config.logsPath(),
            agentId, query)).GET())
        .thenApply(answer -> Protocol.logs(op, Protocol.read(op, answer)));
  }

  /** Hands a running task its new config ({@code PUT}); {@code body} as it is. */
  public CompletableFuture<Void> update(String taskId, ObjectNode body) {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(body, "body");
    String op = "update of engine task '" + taskId + "'";
    return json(op, body).thenCompose(bytes -> calls.send(op, () -> request(Paths.uri(
            config.baseUri(), config.updatePath(), taskId, null))
            .header("Content-Type", "application/json")
            .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))))
        .thenApply(answer -> null);
  }

  /** Asks the engine to stop a task ({@code POST}, no body). */
  public CompletableFuture<Void> stop(String taskId) {
    Objects.requireNonNull(taskId, "taskId");
    String op = "stop of engine task '" + taskId + "'";
    return calls.send(op, () -> request(Paths.uri(config.baseUri(), config.stopPath(), taskId,
            null)).POST(HttpRequest.BodyPublishers.noBody()))
        .thenApply(answer -> null);
  }

  /**
   * Fails every call from now on (and every retry pending) as unavailable and shuts down the
   * threads the client created. Idempotent.
   */
  @Override
  public void close() {
    calls.close();
    config.shutdown();
  }

  private HttpRequest.Builder request(URI uri) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Accept", "application/json");
    config.headers().forEach(b::header);
    config.bearerToken().ifPresent(t -> b.header("Authorization", "Bearer " + t));
    return b;
  }

  private static CompletableFuture<byte[]> json(String op, JsonNode body) {
    try {
      return CompletableFuture.completedFuture(Protocol.MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException | RuntimeException e) {
      return CompletableFuture.failedFuture(new EngineException(op, "the body could not be "
          + "written as JSON: " + e.getMessage(), e));
    }
  }

  /**
   * Builds an {@link EngineClient}. Not thread-safe. Each setter checks its argument and
   * refuses to be called twice; {@link #build()} copies what it was given.
   */
  public static final class Builder {
    private final ClientConfig.Draft draft;

    private Builder(URI baseUri) {
      draft = new ClientConfig.Draft(baseUri);
    }

    /** The submit path; default {@code /engine/task/submit}. */
    public Builder submitPath(String path) {
      draft.submitPath(path);
      return this;
    }

    /** The status path, {@code {id}} for the task; default {@code /engine/task/{id}/status}. */
    public Builder statusPath(String path) {
      draft.statusPath(path);
      return this;
    }

    /**
     * A path that answers the status of many tasks in one {@code POST}; without one (the
     * default), each task's status is asked for on its own.
     *
     * @param maxTasks the most ids in one request, from 1 to 10,000
     */
    public Builder batchStatusPath(String path, int maxTasks) {
      draft.batchStatusPath(path, maxTasks);
      return this;
    }

    /** The logs path, with {@code {id}} for the agent; default {@code /engine/agent/{id}/logs}. */
    public Builder logsPath(String path) {
      draft.logsPath(path);
      return this;
    }

    /** The update path, with {@code {id}}; default {@code /engine/task/{id}/update}. */
    public Builder updatePath(String path) {
      draft.updatePath(path);
      return this;
    }

    /** The stop path, with {@code {id}}; default {@code /engine/task/{id}/stop}. */
    public Builder stopPath(String path) {
      draft.stopPath(path);
      return this;
    }

    /** Sends {@code Authorization: Bearer token} with every request. */
    public Builder bearerToken(String token) {
      draft.bearerToken(token);
      return this;
    }

    /** Sends header {@code name: value} with every request. */
    public Builder header(String name, String value) {
      draft.header(name, value);
      return this;
    }

    /** How long to wait for a connection; default 5 s. Not with {@link #httpClient}. */
    public Builder connectTimeout(Duration timeout) {
      draft.connectTimeout(timeout);
      return this;
    }

    /** How long to wait for one answer, per try; default 30 s. */
    public Builder requestTimeout(Duration timeout) {
      draft.requestTimeout(timeout);
      return this;
    }

    /** The host's client, used as it is configured; default one the client builds. */
    public Builder httpClient(HttpClient client) {
      draft.httpClient(client);
      return this;
    }

    /**
     * The executor of the client the builder builds (its answers are handled there); default
     * daemon threads named {@code dagflow-engine-client-http-n}. Not with {@link #httpClient}.
     */
    public Builder executor(Executor executor) {
      draft.executor(executor);
      return this;
    }

    /**
     * The timer retries wait on; default one daemon thread named {@code
     * dagflow-engine-client-retry-1}, shut down by {@link EngineClient#close()}.
     */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      draft.scheduler(scheduler);
      return this;
    }

    /**
     * The most requests in flight to the engine at once; the others wait their turn, in order.
     * Each is sent on a thread of the client's own, named {@code
     * dagflow-engine-client-request-n}, which ends after 30 s idle. Default 16.
     *
     * @param requests from 1 to 1,024
     */
    public Builder maxConcurrentRequests(int requests) {
      draft.maxConcurrentRequests(requests);
      return this;
    }

    /**
     * How many times a request is retried after a connection error, a 5xx or a 429; default 3.
     *
     * @param retries from 0 to 100
     */
    public Builder maxRetries(int retries) {
      draft.maxRetries(retries);
      return this;
    }

    /**
     * The backoff between retries: uniform in {@code [0, min(max, initial * 2^(retry - 1)))};
     * default 100 ms and 5 s.
     */
    public Builder backoff(Duration initial, Duration max) {
      draft.backoff(initial, max);
      return this;
    }

    /**
     * The longest {@code Retry-After} honoured by waiting; a longer one ends the call with an
     * {@link EngineUnavailableException} carrying it. Default 30 s.
     */
    public Builder maxRetryAfter(Duration max) {
      draft.maxRetryAfter(max);
      return this;
    }

    /** The source of the backoff's jitter; default a {@code new Random()}. Seed it to replay. */
    public Builder random(Random random) {
      draft.random(random);
      return this;
    }

    /** The clock an HTTP-date {@code Retry-After} is read against; default the system's. */
    public Builder clock(Clock clock) {
      draft.clock(clock);
      return this;
    }

    /**
     * The longest answer body read, in bytes; a longer successful answer is a protocol error.
     * Default 16 MiB.
     *
     * @param bytes from 1 KiB to {@link dev.dagflow.json.JsonLimits#MAX_DOCUMENT_LENGTH}
     */
    public Builder maxResponseBytes(long bytes) {
      draft.maxResponseBytes(bytes);
      return this;
    }

    /** The client, with its defaults created now. */
    public EngineClient build() {
      return new EngineClient(draft.build());
    }
  }
}
