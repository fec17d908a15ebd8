package dev.dagflow.http.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.dagflow.http.engine.internal.Protocol;
import dev.dagflow.http.engine.internal.WebhookVerifier;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the remote engine's status callbacks for an {@link HttpEngineExecutor} (see {@link
 * HttpEngineExecutor#webhookReceiver()}). A callback is a {@code POST} whose body is a task's
 * status as a status answer has it, with its {@code engine_task_id}; it is verified first (see
 * {@link WebhookConfig}: timestamp within the replay window, HMAC-SHA256 signature compared in
 * constant time, event id not seen before), and only a genuine one is applied, by the same path
 * as a poll's answer. Answers: 204 applied (handed to the task, which applies it in order with
 * its polls); 401 for a missing, stale or wrong signature or a replayed event id, with nothing
 * changed; 400 for a genuine callback whose body breaks the protocol; 404 for a task not
 * followed by this executor; 503 while the seen-id cache is full.
 *
 * <p>Transport-independent through {@link #handle}; {@link #httpHandler()} adapts it to the
 * JDK's HTTP server. Thread-safe; never blocks on the engine.
 */
public final class WebhookReceiver {
  private static final Logger LOG = LoggerFactory.getLogger(WebhookReceiver.class);

  private final WebhookConfig config;
  private final WebhookVerifier verifier;
  private final Predicate<TaskStatus> sink;

  WebhookReceiver(WebhookConfig config, Predicate<TaskStatus> sink) {
    this.config = config;
    this.verifier = new WebhookVerifier(config.secret(), config.clock(), config.replayWindow(),
        config.seenIdCapacity());
    this.sink = sink;
  }

  /**
   * What a callback gets back.
   *
   * @param status the HTTP status
   * @param message why, for the body of a refusal; empty for 204
   */
  public record Reply(int status, String message) {
    public Reply {
      Objects.requireNonNull(message, "message");
    }
  }

  /**
   * Verifies and applies one callback.
   *
   * @param headers the request's headers, names in any case
   * @param body the request's body, as received
   */
  public Reply handle(Map<String, List<String>> headers, byte[] body) {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(body, "body");
    Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach((k, v) -> {
      if (k != null && v != null) {
        h.merge(k, v, (a, b) -> a);
      }
    });
    String eventId = first(h, config.eventIdHeader());
    Optional<WebhookVerifier.Refusal> refused = verifier.verify(
        first(h, config.timestampHeader()), first(h, config.signatureHeader()), eventId, body);
    if (refused.isPresent()) {
      LOG.debug("refused an engine callback: {}", refused.get().reason());
      return new Reply(refused.get().status(), refused.get().reason());
    }
    String op = "callback " + eventId;
    TaskStatus status;
    try {
      status = Protocol.status(op, Protocol.read(op, body), null);
    } catch (EngineProtocolException e) {
      return new Reply(400, e.getMessage());
    }
    return sink.test(status) ? new Reply(204, "")
        : new Reply(404, "no task '" + status.taskId() + "' is followed here");
  }

  /**
   * The JDK HTTP server's handler of the callbacks: {@code POST} only (405 otherwise), bodies
   * up to {@link WebhookConfig#maxBodyBytes()} (413 beyond), refusals as {@code {"message"}}.
   */
  public HttpHandler httpHandler() {
    return this::exchange;
  }

  private void exchange(HttpExchange exchange) throws IOException {
    try {
      Reply reply;
      if (!exchange.getRequestMethod().equalsIgnoreCase("POST")) {
        exchange.getResponseHeaders().set("Allow", "POST");
        reply = new Reply(405, "callbacks are POSTed");
      } else {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
          body = in.readNBytes(config.maxBodyBytes() + 1);
        }
        reply = body.length > config.maxBodyBytes()
            ? new Reply(413, "the body is over " + config.maxBodyBytes() + " bytes")
            : handle(exchange.getRequestHeaders(), body);
      }
      if (reply.status() == 204) {
        exchange.sendResponseHeaders(204, -1);
      } else {
        ObjectNode json = Protocol.MAPPER.createObjectNode().put("message", reply.message());
        byte[] bytes = Protocol.MAPPER.writeValueAsBytes(json);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(reply.status(), bytes.length);
        exchange.getResponseBody().write(bytes);
      }
    } finally {
      exchange.close();
    }
  }

  private static String first(Map<String, List<String>> headers, String name) {
    List<String> values = headers.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }
}
