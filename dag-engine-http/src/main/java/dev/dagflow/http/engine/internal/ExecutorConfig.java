package dev.dagflow.http.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.http.engine.EngineClient;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * An {@code HttpEngineExecutor}'s settings, checked, and the threads it created. Built from a
 * {@link Draft}, which the public builder fills.
 *
 * @param webhookPollInterval the poll interval while callbacks arrive; empty without webhooks
 */
public record ExecutorConfig(EngineClient client, Duration pollInterval,
    Duration maxPollBackoff, Function<NodeContext, ObjectNode> submitBody,
    BiFunction<NodeContext, ObjectNode, ObjectNode> updateBody, boolean pullLogs,
    Duration logLookback, Optional<Duration> webhookPollInterval,
    ScheduledExecutorService timer, Executor callbacks, List<ExecutorService> owned) {

  private static final Duration HOUR = Duration.ofHours(1);

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

  /**
   * The default submit body: the node as the one element of a {@code requestType/body} request,
   * {@code {"requestType": 1, "body": [{"id", "isBox": false, "father": null, "isRoot": true,
   * "agentLoad": taskType, "agentConfig": config}], "params": runParams}}, with {@code
   * "callbackUrl"} when there is one; for a container, its whole subtree as the {@code body}
   * (see {@link SubtreeReports#body}).
   */
  static Function<NodeContext, ObjectNode> standardBody(JsonNode requestType, URI callbackUrl) {
    return ctx -> {
      ObjectNode body = Protocol.MAPPER.createObjectNode();
      body.set("requestType", requestType.deepCopy());
      if (ctx.node().isContainer()) {
        body.set("body", SubtreeReports.body(ctx));
      } else {
        ArrayNode nodes = body.putArray("body");
        ObjectNode node = nodes.addObject();
        node.put("id", ctx.nodeId());
        node.put("isBox", false);
        node.putNull("father");
        node.put("isRoot", true);
        node.put("agentLoad", ctx.taskType());
        node.set("agentConfig", ctx.config());
      }
      body.set("params", ctx.params());
      if (callbackUrl != null) {
        body.put("callbackUrl", callbackUrl.toString());
      }
      return body;
    };
  }

  /** The builder's state: each setter checks its argument and that it was not set before. */
  public static final class Draft {
    private EngineClient client;
    private Duration pollInterval;
    private Duration maxPollBackoff;
    private Integer requestType;
    private URI callbackUrl;
    private Function<NodeContext, ObjectNode> submitBody;
    private BiFunction<NodeContext, ObjectNode, ObjectNode> updateBody;
    private Boolean pullLogs;
    private Duration logLookback;
    private Duration webhookPollInterval;
    private ScheduledExecutorService scheduler;
    private Executor callbacks;

    public void client(EngineClient c) {
      Checks.once("client", client);
      client = Objects.requireNonNull(c, "client");
    }

    public void pollInterval(Duration d) {
      Checks.once("pollInterval", pollInterval);
      pollInterval = Checks.duration("pollInterval", d, Duration.ofMillis(1), HOUR);
    }

    public void maxPollBackoff(Duration d) {
      Checks.once("maxPollBackoff", maxPollBackoff);
      maxPollBackoff = Checks.duration("maxPollBackoff", d, Duration.ofMillis(1), HOUR);
    }

    public void requestType(int type) {
      Checks.once("requestType", requestType);
      if (submitBody != null) {
        throw new IllegalStateException("requestType: a submitBody function was set");
      }
      requestType = type;
    }

    public void callbackUrl(URI url) {
      Checks.once("callbackUrl", callbackUrl);
      Objects.requireNonNull(url, "callbackUrl");
      if (!url.isAbsolute() || url.getHost() == null) {
        throw new IllegalArgumentException("callbackUrl must be an absolute URI, was '" + url
            + "'");
      }
      if (submitBody != null) {
        throw new IllegalStateException("callbackUrl: a submitBody function was set");
      }
      callbackUrl = url;
    }

    public void submitBody(Function<NodeContext, ObjectNode> f) {
      Checks.once("submitBody", submitBody);
      if (requestType != null || callbackUrl != null) {
        throw new IllegalStateException("submitBody: requestType or callbackUrl was set for "
            + "the default body");
      }
      submitBody = Objects.requireNonNull(f, "submitBody");
    }

    public void updateBody(BiFunction<NodeContext, ObjectNode, ObjectNode> f) {
      Checks.once("updateBody", updateBody);
      updateBody = Objects.requireNonNull(f, "updateBody");
    }

    public void pullLogs(boolean pull) {
      Checks.once("pullLogs", pullLogs);
      pullLogs = pull;
    }

    public void logLookback(Duration d) {
      Checks.once("logLookback", logLookback);
      logLookback = Checks.duration("logLookback", d, Duration.ZERO, HOUR);
    }

    public void webhookPollInterval(Duration d) {
      Checks.once("webhooks", webhookPollInterval);
      webhookPollInterval = Objects.requireNonNull(d, "webhooks");
    }

    public void scheduler(ScheduledExecutorService s) {
      Checks.once("scheduler", scheduler);
      scheduler = Objects.requireNonNull(s, "scheduler");
    }

    public void callbackExecutor(Executor e) {
      Checks.once("callbackExecutor", callbacks);
      callbacks = Objects.requireNonNull(e, "callbackExecutor");
    }

    /** The config, with the threads of its defaults created now. */
    public ExecutorConfig build() {
      if (client == null) {
        throw new IllegalStateException("client must be set");
      }
      Duration interval = pollInterval == null ? Duration.ofSeconds(2) : pollInterval;
      Duration backoff = maxPollBackoff == null ? Duration.ofMinutes(1) : maxPollBackoff;
      if (backoff.compareTo(interval) < 0) {
        throw new IllegalArgumentException("maxPollBackoff (" + backoff + ") must not be "
            + "shorter than pollInterval (" + interval + ")");
      }
      List<ExecutorService> owned = new ArrayList<>();
      ScheduledExecutorService timer = scheduler;
      if (timer == null) {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1,
            new NamedThreads("dagflow-http-engine-poller"));
        t.setRemoveOnCancelPolicy(true);
        owned.add(t);
        timer = t;
      }
      Executor cb = callbacks;
      if (cb == null) {
        int n = Math.max(4, Runtime.getRuntime().availableProcessors());
        ThreadPoolExecutor pool = new ThreadPoolExecutor(n, n, 30, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(), new NamedThreads("dagflow-http-engine-callback"));
        pool.allowCoreThreadTimeOut(true);
        owned.add(pool);
        cb = pool;
      }
      Function<NodeContext, ObjectNode> body = submitBody != null ? submitBody
          : standardBody(IntNode.valueOf(requestType == null ? 1 : requestType), callbackUrl);
      return new ExecutorConfig(client, interval, backoff, body,
          updateBody != null ? updateBody : (ctx, config) -> config,
          pullLogs == null || pullLogs, logLookback == null ? Duration.ZERO : logLookback,
          Optional.ofNullable(webhookPollInterval), timer, cb, List.copyOf(owned));
    }
  }
}
