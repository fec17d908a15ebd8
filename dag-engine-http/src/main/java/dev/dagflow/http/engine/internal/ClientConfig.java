package dev.dagflow.http.engine.internal;

import dev.dagflow.json.JsonLimits;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * An {@code EngineClient}'s settings, checked, and the threads it created. Built from a {@link
 * Draft}, which the public builder fills.
 */
public record ClientConfig(URI baseUri, String submitPath, String statusPath,
    Optional<String> batchStatusPath, int maxBatchSize, String logsPath, String updatePath,
    String stopPath, Optional<String> bearerToken, Map<String, String> headers, HttpClient http,
    ExecutorService requests, ScheduledExecutorService timer, HttpCalls.Settings settings, Random random, Clock clock,
    List<ExecutorService> owned) {

  private static final Duration HOUR = Duration.ofHours(1);
  private static final List<String> RESERVED = List.of("authorization", "idempotency-key",
      "content-type", "content-length", "host", "connection");

  /** Shuts down the threads this config created and waits a little for them to end. */
  public void shutdown() {
    owned.forEach(ExecutorService::shutdownNow);
    for (ExecutorService e : owned) {
      try {
        e.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException interrupted) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  /** The builder's state: each setter checks its argument and that it was not set before. */
  public static final class Draft {
    private final URI baseUri;
    private String submitPath;
    private String statusPath;
    private String batchStatusPath;
    private int maxBatchSize;
    private String logsPath;
    private String updatePath;
    private String stopPath;
    private String bearerToken;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private Duration connectTimeout;
    private Duration requestTimeout;
    private HttpClient http;
    private Executor executor;
    private ScheduledExecutorService scheduler;
    private Integer maxRetries;
    private Integer maxConcurrentRequests;
    private Duration initialBackoff;
    private Duration maxBackoff;
    private Duration maxRetryAfter;
    private Random random;
    private Clock clock;
    private Long maxResponseBytes;

    public Draft(URI baseUri) {
      Objects.requireNonNull(baseUri, "baseUri");
      String scheme = baseUri.getScheme() == null ? ""
          : baseUri.getScheme().toLowerCase(Locale.ROOT);
      if (!baseUri.isAbsolute() || !(scheme.equals("http") || scheme.equals("https"))
          || baseUri.getHost() == null || baseUri.getRawQuery() != null
          || baseUri.getRawFragment() != null) {
        throw new IllegalArgumentException("baseUri must be an absolute http or https URI "
            + "without query or fragment, was '" + baseUri + "'");
      }
      this.baseUri = baseUri;
    }

    public void submitPath(String path) {
      Checks.once("submitPath", submitPath);
      submitPath = Paths.check("submitPath", path, false);
    }

    public void statusPath(String path) {
      Checks.once("statusPath", statusPath);
      statusPath = Paths.check("statusPath", path, true);
    }

    public void batchStatusPath(String path, int maxTasks) {
      Checks.once("batchStatusPath", batchStatusPath);
      Checks.range("maxTasks", maxTasks, 1, 10_000);
      batchStatusPath = Paths.check("batchStatusPath", path, false);
      maxBatchSize = maxTasks;
    }

    public void logsPath(String path) {
      Checks.once("logsPath", logsPath);
      logsPath = Paths.check("logsPath", path, true);
    }

    public void updatePath(String path) {
      Checks.once("updatePath", updatePath);
      updatePath = Paths.check("updatePath", path, true);
    }

    public void stopPath(String path) {
      Checks.once("stopPath", stopPath);
      stopPath = Paths.check("stopPath", path, true);
    }

    public void bearerToken(String token) {
      Checks.once("bearerToken", bearerToken == null ? null : "a token");
      bearerToken = Checks.header("bearerToken", token, false);
    }

    public void header(String name, String value) {
      Checks.header("header name", name, true);
      Checks.header("header value", value, false);
      String key = name.toLowerCase(Locale.ROOT);
      if (RESERVED.contains(key)) {
        throw new IllegalArgumentException("header name '" + name + "' is set by the client");
      }
      if (headers.keySet().stream().anyMatch(k -> k.equalsIgnoreCase(name))) {
        throw new IllegalStateException("header '" + name + "' was already set");
      }
      headers.put(name, value);
    }

    public void connectTimeout(Duration timeout) {
      Checks.once("connectTimeout", connectTimeout);
      if (http != null) {
        throw new IllegalStateException("connectTimeout: the host's httpClient has its own");
      }
      connectTimeout = Checks.duration("connectTimeout", timeout, Duration.ofMillis(1), HOUR);
    }

    public void requestTimeout(Duration timeout) {
      Checks.once("requestTimeout", requestTimeout);
      requestTimeout = Checks.duration("requestTimeout", timeout, Duration.ofMillis(1), HOUR);
    }

    public void httpClient(HttpClient client) {
      Checks.once("httpClient", http);
      Objects.requireNonNull(client, "httpClient");
      if (connectTimeout != null || executor != null) {
        throw new IllegalStateException("httpClient: connectTimeout or executor was set for "
            + "the client the builder builds");
      }
      http = client;
    }

    public void executor(Executor e) {
      Checks.once("executor", executor);
      Objects.requireNonNull(e, "executor");
      if (http != null) {
        throw new IllegalStateException("executor: the host's httpClient has its own");
      }
      executor = e;
    }

    public void scheduler(ScheduledExecutorService s) {
      Checks.once("scheduler", scheduler);
      scheduler = Objects.requireNonNull(s, "scheduler");
    }

    public void maxConcurrentRequests(int n) {
      Checks.once("maxConcurrentRequests", maxConcurrentRequests);
      maxConcurrentRequests = (int) Checks.range("maxConcurrentRequests", n, 1, 1024);
    }

    public void maxRetries(int retries) {
      Checks.once("maxRetries", maxRetries);
      maxRetries = (int) Checks.range("maxRetries", retries, 0, 100);
    }

    public void backoff(Duration initial, Duration max) {
      Checks.once("backoff", initialBackoff);
      Checks.duration("initial backoff", initial, Duration.ofMillis(1), HOUR);
      Checks.duration("max backoff", max, initial, HOUR);
      initialBackoff = initial;
      maxBackoff = max;
    }

    public void maxRetryAfter(Duration max) {
      Checks.once("maxRetryAfter", maxRetryAfter);
      maxRetryAfter = Checks.duration("maxRetryAfter", max, Duration.ZERO, HOUR);
    }

    public void random(Random r) {
      Checks.once("random", random);
      random = Objects.requireNonNull(r, "random");
    }

    public void clock(Clock c) {
      Checks.once("clock", clock);
      clock = Objects.requireNonNull(c, "clock");
    }

    public void maxResponseBytes(long bytes) {
      Checks.once("maxResponseBytes", maxResponseBytes);
      maxResponseBytes = Checks.range("maxResponseBytes", bytes, 1024,
          JsonLimits.MAX_DOCUMENT_LENGTH);
    }

    /** The config, with the threads of its defaults created now. */
    public ClientConfig build() {
      List<ExecutorService> owned = new ArrayList<>();
      HttpClient client = http;
      if (client == null) {
        Executor e = executor;
        if (e == null) {
          ExecutorService pool = Executors.newCachedThreadPool(
              new NamedThreads("dagflow-engine-client-http"));
          owned.add(pool);
          e = pool;
        }
        client = HttpClient.newBuilder().executor(e)
            .connectTimeout(connectTimeout == null ? Duration.ofSeconds(5) : connectTimeout)
            .followRedirects(HttpClient.Redirect.NEVER).build();
      }
      int inFlight = maxConcurrentRequests == null ? 16 : maxConcurrentRequests;
      ThreadPoolExecutor requests = new ThreadPoolExecutor(inFlight, inFlight, 30,
          TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
          new NamedThreads("dagflow-engine-client-request"));
      requests.allowCoreThreadTimeOut(true); // an idle client holds no threads
      owned.add(requests);
      ScheduledExecutorService timer = scheduler;
      if (timer == null) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
            new NamedThreads("dagflow-engine-client-retry"));
        t.setRemoveOnCancelPolicy(true);
        owned.add(t);
        timer = t;
      }
      HttpCalls.Settings settings = new HttpCalls.Settings(maxRetries == null ? 3 : maxRetries,
          initialBackoff == null ? Duration.ofMillis(100) : initialBackoff,
          maxBackoff == null ? Duration.ofSeconds(5) : maxBackoff,
          maxRetryAfter == null ? Duration.ofSeconds(30) : maxRetryAfter,
          maxResponseBytes == null ? 16L * 1024 * 1024 : maxResponseBytes,
          requestTimeout == null ? Duration.ofSeconds(30) : requestTimeout);
      return new ClientConfig(baseUri,
          submitPath == null ? "/engine/task/submit" : submitPath,
          statusPath == null ? "/engine/task/{id}/status" : statusPath,
          Optional.ofNullable(batchStatusPath), batchStatusPath == null ? 100 : maxBatchSize,
          logsPath == null ? "/engine/agent/{id}/logs" : logsPath,
          updatePath == null ? "/engine/task/{id}/update" : updatePath,
          stopPath == null ? "/engine/task/{id}/stop" : stopPath,
          Optional.ofNullable(bearerToken), Map.copyOf(headers), client, requests, timer,
          settings,
          random == null ? new Random() : random, clock == null ? Clock.systemUTC() : clock,
          List.copyOf(owned));
    }
  }
}
