package dev.dagflow.http.engine.internal;

import dev.dagflow.http.engine.EngineException;
import dev.dagflow.http.engine.EngineProtocolException;
import dev.dagflow.http.engine.EngineRequestException;
import dev.dagflow.http.engine.EngineUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Sends requests to the remote engine with retries: a connection error (or timeout), a 5xx and
 * a 429 are tried again after a delay, up to the retry limit; any other answer is final. The
 * delay is the {@code Retry-After} the engine sent (seconds or an HTTP date, read on the
 * injected clock) or else capped exponential backoff with full jitter: uniform in {@code [0,
 * min(max, initial * 2^retry))}. Waits are timer tasks, never sleeps.
 *
 * <p>Each try is sent with the blocking {@link HttpClient#send} on a thread of {@code requests},
 * whose size bounds the requests in flight to the engine; the others wait their turn in order.
 * Not {@code sendAsync}: it hands every answer to the {@code CompletableFuture} default
 * executor, which on a machine of fewer than three cores (common-pool parallelism 1) starts a
 * new thread per answer, and it would open a connection per request in flight, a thousand at a
 * poll of a thousand tasks. The futures complete on those threads. Thread-safe.
 */
public final class HttpCalls {
  private static final int EXCERPT = 500;

  /** The retry and size settings of one client. */
  public record Settings(int maxRetries, Duration initialBackoff, Duration maxBackoff,
      Duration maxRetryAfter, long maxResponseBytes, Duration requestTimeout) {}

  private final HttpClient http;
  private final ExecutorService requests;
  private final ScheduledExecutorService timer;
  private final Settings settings;
  private final Random random;
  private final Clock clock;
  /** The retries waiting on the timer: {@link #close()} fails them, whoever owns the timer. */
  private final Set<Retry> waiting = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /** A try waiting on the timer; the timer task and {@link #close()} race to remove it. */
  private record Retry(String op, int tryNo, CompletableFuture<byte[]> result) {}

  public HttpCalls(HttpClient http, ExecutorService requests, ScheduledExecutorService timer,
      Settings settings, Random random, Clock clock) {
    this.http = http;
    this.requests = requests;
    this.timer = timer;
    this.settings = settings;
    this.random = random;
    this.clock = clock;
  }

  /**
   * Sends the request {@code request} builds (once per try) and completes with the body of
   * its 2xx answer, or exceptionally with an {@link EngineException}.
   */
  public CompletableFuture<byte[]> send(String operation,
      Supplier<HttpRequest.Builder> request) {
    CompletableFuture<byte[]> result = new CompletableFuture<>();
    attempt(operation, request, 1, result);
    return result;
  }

  /**
   * No request is sent or retried from now on: each, and each waiting its turn, fails as
   * unavailable; the requests in flight are interrupted and fail so too.
   */
  public void close() {
    closed = true;
    requests.shutdownNow().forEach(Runnable::run); // each sees closed and fails its future
    for (Retry r : waiting) {
      if (waiting.remove(r)) {
        closedFailure(r.op(), r.tryNo(), r.result());
      }
    }
  }

  private void attempt(String op, Supplier<HttpRequest.Builder> request, int tryNo,
      CompletableFuture<byte[]> result) {
    if (closed) {
      closedFailure(op, tryNo, result);
      return;
    }
    HttpRequest built;
    try {
      built = request.get().timeout(settings.requestTimeout()).build();
    } catch (RuntimeException e) {
      result.completeExceptionally(new EngineException(op, "the request could not be sent: "
          + e, e));
      return;
    }
    try {
      requests.execute(() -> exchange(op, request, tryNo, result, built));
    } catch (RejectedExecutionException e) {
      closedFailure(op, tryNo, result);
    }
  }

  /** One try, on a thread of {@code requests}. */
  private void exchange(String op, Supplier<HttpRequest.Builder> request, int tryNo,
      CompletableFuture<byte[]> result, HttpRequest built) {
    if (closed) {
      closedFailure(op, tryNo, result);
      return;
    }
    HttpResponse<byte[]> response;
    try {
      response = http.send(built, LimitedBody.handler(settings.maxResponseBytes()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // close() interrupts the requests in flight
      closedFailure(op, tryNo, result);
      return;
    } catch (IOException | RuntimeException e) {
      failed(op, request, tryNo, result, e);
      return;
    } catch (Error e) {
      result.completeExceptionally(e); // no future is left open
      throw e;
    }
    answered(op, request, tryNo, result, response);
  }

  private static void closedFailure(String op, int tryNo, CompletableFuture<byte[]> result) {
    result.completeExceptionally(new EngineUnavailableException(op, "the client is closed",
        tryNo - 1, OptionalInt.empty(), Optional.empty(), null));
  }

  /**
   * A try that got no answer. {@code send} wraps what went wrong in an {@link IOException}
   * (an over-long body, a failing body handler too), so the cause is looked at first.
   */
  private void failed(String op, Supplier<HttpRequest.Builder> request, int tryNo,
      CompletableFuture<byte[]> result, Exception error) {
    Throwable cause = error.getCause();
    if (cause instanceof LimitedBody.TooLarge tooLarge) {
      result.completeExceptionally(new EngineProtocolException(op, "(body)",
          tooLarge.getMessage(), null));
    } else if (error instanceof IOException && !(cause instanceof RuntimeException
        && !(cause instanceof UncheckedIOException))) {
      retryOrGiveUp(op, request, tryNo, result, null, null, "the engine could not be reached ("
          + error + ")", error);
    } else {
      Throwable what = error instanceof IOException ? cause : error;
      result.completeExceptionally(new EngineException(op, "the request failed: " + what,
          what));
    }
  }

  private void answered(String op, Supplier<HttpRequest.Builder> request, int tryNo,
      CompletableFuture<byte[]> result, HttpResponse<byte[]> response) {
    int status = response.statusCode();
    if (status / 100 == 2) {
      result.complete(response.body());
    } else if (status == 429 || status / 100 == 5) {
      Optional<Duration> retryAfter = response.headers().firstValue("Retry-After")
          .flatMap(h -> retryAfter(h, clock));
      retryOrGiveUp(op, request, tryNo, result, status, retryAfter.orElse(null),
          "the engine answered " + status + excerpt(response.body(), ": "), null);
    } else {
      result.completeExceptionally(new EngineRequestException(op, status,
          excerpt(response.body(), "")));
    }
  }

  private void retryOrGiveUp(String op, Supplier<HttpRequest.Builder> request, int tryNo,
      CompletableFuture<byte[]> result, Integer status, Duration retryAfter, String what,
      Throwable cause) {
    boolean waitsTooLong = retryAfter != null
        && retryAfter.compareTo(settings.maxRetryAfter()) > 0;
    if (tryNo > settings.maxRetries() || waitsTooLong || closed) {
      String why = waitsTooLong ? "; it asked to retry after " + retryAfter.toMillis() + " ms"
          : closed ? "; the client is closed" : "";
      result.completeExceptionally(new EngineUnavailableException(op, what + " (" + tryNo
          + (tryNo == 1 ? " try" : " tries") + why + ")", tryNo, statusOf(status),
          Optional.ofNullable(retryAfter), cause));
      return;
    }
    Duration delay = retryAfter != null ? retryAfter
        : backoff(tryNo, settings.initialBackoff(), settings.maxBackoff(), random);
    Retry retry = new Retry(op, tryNo + 1, result);
    waiting.add(retry);
    try {
      timer.schedule(() -> {
        if (waiting.remove(retry)) {
          attempt(op, request, tryNo + 1, result);
        }
      }, delay.toNanos(), TimeUnit.NANOSECONDS);
      if (closed && waiting.remove(retry)) { // closed meanwhile: close() may have missed it
        closedFailure(op, tryNo + 1, result);
      }
    } catch (RejectedExecutionException e) {
      waiting.remove(retry);
      result.completeExceptionally(new EngineUnavailableException(op, what
          + " (the client is closed)", tryNo, statusOf(status), Optional.ofNullable(retryAfter),
          cause));
    }
  }

  /** The delay before retry {@code retry} (from 1): full jitter under the capped exponential. */
  public static Duration backoff(int retry, Duration initial, Duration max, Random random) {
    long cap = max.toNanos();
    long bound = initial.toNanos();
    for (int i = 1; i < retry && bound < cap; i++) {
      bound = bound > cap / 2 ? cap : bound * 2;
    }
    bound = Math.min(bound, cap);
    return Duration.ofNanos(bound <= 0 ? 0 : (long) (random.nextDouble() * bound));
  }

  /** A {@code Retry-After} value: delta seconds or an HTTP date; empty if it is neither. */
  public static Optional<Duration> retryAfter(String value, Clock clock) {
    String v = value.trim();
    if (!v.isEmpty() && v.length() <= 9 && v.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
    }
    try {
      Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      Duration d = Duration.between(clock.instant(), at);
      return Optional.of(d.isNegative() ? Duration.ZERO : d);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static OptionalInt statusOf(Integer status) {
    return status == null ? OptionalInt.empty() : OptionalInt.of(status);
  }

  private static String excerpt(byte[] body, String prefix) {
    if (body == null || body.length == 0) {
      return "";
    }
    String text = new String(body, 0, Math.min(body.length, EXCERPT * 4), StandardCharsets.UTF_8);
    StringBuilder b = new StringBuilder();
    text.codePoints().limit(EXCERPT).forEach(c -> b.appendCodePoint(
        Character.isISOControl(c) ? ' ' : c));
    return prefix + b.toString().strip();
  }
}
