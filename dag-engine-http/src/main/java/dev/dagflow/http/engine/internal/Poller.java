package dev.dagflow.http.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.http.engine.AgentStatus;
import dev.dagflow.http.engine.EngineClient;
import dev.dagflow.http.engine.EngineLogLine;
import dev.dagflow.http.engine.EngineProtocolException;
import dev.dagflow.http.engine.EngineRequestException;
import dev.dagflow.http.engine.EngineUnavailableException;
import dev.dagflow.http.engine.RemoteError;
import dev.dagflow.http.engine.TaskStatus;
import dev.dagflow.log.LogLevel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single-flight poller of one executor: a timer ticks every poll interval; each tick asks
 * for the status of every followed task that is due and not busy (one batch request per chunk
 * where the client has a batch path, else one request each). A task's answer is applied on the
 * callback executor: its progress, then its agents' new log lines from their cursors (for a
 * container, each agent's state on the node inside it runs, then its lines in that node's log,
 * then its end: {@link SubtreeReports}), then, for an ended task, its result; only then is the
 * task free for the next poll, so a poll slower than the interval just puts the next one off.
 * Webhook statuses take the same path. A failed poll puts the task's next one off by a doubling
 * number of ticks (or its {@code Retry-After}); an engine that stays unreachable leaves the
 * attempt running until the engine's timeout cancels it.
 */
final class Poller {
  private static final Logger LOG = LoggerFactory.getLogger(Poller.class);
  private static final String FAILED = "ENGINE_TASK_FAILED";
  /** An engine's error code used as the node's: short, no spaces or control characters. */
  private static final Pattern CODE = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
  private static final int MAX_MESSAGE = 10_000;

  private final RemoteTasks tasks;
  private final EngineClient client;
  private final long intervalNanos;
  private final long maxBackoffTicks;
  private final long pushedTicks;
  private final ScheduledFuture<?> ticks;
  /** Written by the tick only. */
  private volatile long cycle;

  Poller(RemoteTasks tasks) {
    this.tasks = tasks;
    ExecutorConfig c = tasks.config;
    this.client = c.client();
    this.intervalNanos = c.pollInterval().toNanos();
    this.maxBackoffTicks = Math.max(1, c.maxPollBackoff().toNanos() / intervalNanos);
    this.pushedTicks = c.webhookPollInterval().map(this::ticksOf).orElse(1L);
    this.ticks = c.timer().scheduleAtFixedRate(this::tick, intervalNanos, intervalNanos,
        TimeUnit.NANOSECONDS);
  }

  void close() {
    ticks.cancel(false);
  }

  /** Polls {@code f} from the next tick on. */
  void follow(Follow f) {
    f.nextTick = cycle + 1;
  }

  boolean pushed(TaskStatus status) {
    Follow f = tasks.byTask.get(status.taskId());
    if (f == null || f.ended()) {
      return false;
    }
    f.nextTick = Math.max(f.nextTick, cycle + pushedTicks);
    f.pushed.set(status);
    if (f.busy.compareAndSet(false, true)) {
      tasks.onCallbackThread(f, () -> release(f));
    }
    return true;
  }

  private void tick() {
    try {
      long now = ++cycle;
      List<Follow> due = new ArrayList<>();
      for (Follow f : tasks.byTask.values()) {
        if (f.nextTick <= now && !f.ended() && f.busy.compareAndSet(false, true)) {
          due.add(f);
        }
      }
      if (due.isEmpty()) {
        return;
      }
      int size = client.hasBatchStatus() ? client.maxBatchSize() : 1;
      for (int from = 0; from < due.size(); from += size) {
        poll(due.subList(from, Math.min(due.size(), from + size)));
      }
    } catch (RuntimeException e) {
      LOG.error("a poller tick failed; the next tick goes on", e); // a throw would end ticks
    }
  }

  /** Asks for the statuses of {@code chunk}, each of which this tick made busy. */
  private void poll(List<Follow> chunk) {
    try {
      if (chunk.size() == 1 && !client.hasBatchStatus()) {
        Follow f = chunk.get(0);
        client.status(f.taskId).whenComplete((s, error) ->
            tasks.onCallbackThread(f, () -> polled(f, s, error)));
        return;
      }
      List<String> ids = chunk.stream().map(f -> f.taskId).toList();
      client.statuses(ids).whenComplete((map, error) -> {
        for (Follow f : chunk) {
          TaskStatus s = map == null ? null : map.get(f.taskId);
          tasks.onCallbackThread(f, () -> polled(f, s, error));
        }
      });
    } catch (RuntimeException e) {
      LOG.error("polling {} engine tasks failed", chunk.size(), e);
      chunk.forEach(f -> f.busy.set(false)); // polled again at the next tick
    }
  }

  private void polled(Follow f, TaskStatus status, Throwable error) {
    if (f.ended()) {
      release(f);
      return;
    }
    Throwable e = RemoteTasks.unwrap(error);
    if (e instanceof EngineUnavailableException u) {
      f.failures++;
      if (f.failures == 1) {
        f.ctx.log(LogLevel.WARN, "the remote engine did not answer for task '{}'; polling goes "
            + "on: {}", f.taskId, u.getMessage());
      }
      f.nextTick = cycle + backoffTicks(f.failures, u.retryAfter());
      release(f);
      return;
    }
    if (e != null || status == null) {
      NodeResult failure = e != null ? RemoteTasks.failureOf(e)
          : NodeResult.failure(RemoteTasks.NOT_FOUND, "the engine did not list task '"
              + f.taskId + "' in its batch status answer");
      boolean stop = e instanceof EngineProtocolException
          || e instanceof EngineRequestException r && r.status() != 404;
      tasks.end(f, failure);
      if (stop) {
        tasks.stopRemote(f); // it may still run there: nothing follows it any more
      }
      release(f);
      return;
    }
    if (f.failures > 0) {
      f.ctx.log(LogLevel.INFO, "the remote engine answers again for task '{}'", f.taskId);
      f.failures = 0;
    }
    f.nextTick = Math.max(f.nextTick, cycle + 1);
    apply(f, status).whenComplete((v, t) -> release(f));
  }

  /**
   * Gives {@code f} back for the next poll, after applying a status pushed meanwhile. A push
   * that lands between the last look and the hand-back takes it again itself.
   */
  private void release(Follow f) {
    while (true) {
      TaskStatus pushed = f.pushed.getAndSet(null);
      if (pushed != null && !f.ended()) {
        apply(f, pushed).whenComplete((v, t) -> tasks.onCallbackThread(f, () -> release(f)));
        return;
      }
      f.busy.set(false);
      if (f.pushed.get() == null || f.ended() || !f.busy.compareAndSet(false, true)) {
        return;
      }
    }
  }

  /** Applies one status: progress, new log lines, and the end; completes when done. */
  private CompletableFuture<Void> apply(Follow f, TaskStatus status) {
    try {
      progressOf(status).ifPresent(f.ctx::progress);
      return pullLogs(f, status).thenAccept(complete -> {
        if (status.status().isTerminal() && complete) {
          tasks.end(f, resultOf(status)); // after its last lines: the log is whole at the end
        }
      }).exceptionally(t -> {
        LOG.error("applying the status of engine task '{}' failed", f.taskId, t);
        return null;
      });
    } catch (RuntimeException e) {
      LOG.error("applying the status of engine task '{}' failed", f.taskId, e);
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * Reads each agent's new lines in turn and writes them to the node's log (for a container:
   * first reports the agent's state on the node it runs, then its lines to that node's log,
   * then its end); completes with false if a read failed for a while (the end then waits for
   * the next status, which reads again from the same cursor).
   */
  private CompletableFuture<Boolean> pullLogs(Follow f, TaskStatus status) {
    CompletableFuture<Boolean> chain = CompletableFuture.completedFuture(true);
    for (AgentStatus agent : status.agents()) {
      chain = chain.thenCompose(ok -> {
        if (f.subtree != null) {
          f.subtree.running(agent);
        }
        return logsOf(f, agent).thenApply(complete -> {
          if (f.subtree != null && complete) {
            f.subtree.ended(agent); // after its last lines
          }
          return ok && complete;
        });
      });
    }
    return chain;
  }

  /** Takes one agent's new lines; completes with false if the engine did not answer. */
  private CompletableFuture<Boolean> logsOf(Follow f, AgentStatus agent) {
    String id = agent.agentId();
    if (!tasks.config.pullLogs() || f.brokenLogs.contains(id)) {
      return CompletableFuture.completedFuture(true);
    }
    LogCursor cursor = f.cursors.computeIfAbsent(id,
        k -> new LogCursor(tasks.config.logLookback()));
    return client.logs(id, cursor.since()).handleAsync((lines, error) -> {
      if (error == null) {
        for (EngineLogLine line : cursor.take(lines)) {
          if (f.subtree != null) {
            f.subtree.log(agent, line.level(), line.message());
          } else {
            f.ctx.log(line.level(), "{}", line.message()); // "{}": the text is not a pattern
          }
        }
        return true;
      }
      Throwable e = RemoteTasks.unwrap(error);
      if (e instanceof EngineUnavailableException) {
        return false;
      }
      f.brokenLogs.add(id);
      f.ctx.log(LogLevel.ERROR, "stopped reading the logs of engine agent '{}': {}", id,
          e.getMessage());
      return true;
    }, tasks.config.callbacks());
  }

  private static Optional<Integer> progressOf(TaskStatus s) {
    if (s.progress().isPresent()) {
      return s.progress();
    }
    OptionalDouble mean = s.agents().stream().filter(a -> a.progress().isPresent())
        .mapToInt(a -> a.progress().get()).average();
    return mean.isPresent() ? Optional.of((int) mean.getAsDouble()) : Optional.empty();
  }

  /** What an ended task means for the attempt. */
  static NodeResult resultOf(TaskStatus s) {
    switch (s.status()) {
      case COMPLETED -> {
        return NodeResult.success(s.result().orElseGet(() -> agentResults(s)));
      }
      case FAILED -> {
        Optional<RemoteError> error = s.error().or(() -> s.agents().stream()
            .flatMap(a -> a.error().stream()).findFirst());
        Optional<String> remote = error.flatMap(RemoteError::code);
        String code = remote.filter(Poller::fitsCode).orElse(FAILED);
        String agents = s.agents().stream().filter(a -> a.error().isPresent())
            .map(a -> a.agentId() + ": " + a.error().get().message())
            .collect(Collectors.joining("; "));
        String message = "engine task '" + s.taskId() + "' failed"
            + s.error().map(x -> ": " + x.message()).orElse("")
            + (agents.isEmpty() ? "" : " (agents: " + agents + ")")
            + (remote.isPresent() && !remote.get().equals(code)
                ? " [engine code " + Protocol.cut(remote.get()) + "]" : "");
        return NodeResult.failure(code, cut(message));
      }
      case STOPPED -> {
        return NodeResult.failure("ENGINE_TASK_STOPPED", "engine task '" + s.taskId()
            + "' was stopped on the engine");
      }
      default -> throw new IllegalArgumentException("not ended: " + s.status());
    }
  }

  /** Whether an engine's error code may be used as a node's. */
  static boolean fitsCode(String code) {
    return CODE.matcher(code).matches();
  }

  /** {@code message} cut to the length kept in a node's error. */
  static String cut(String message) {
    return message.length() <= MAX_MESSAGE ? message
        : message.substring(0, MAX_MESSAGE) + "…";
  }

  /** Without a task result: the agents' results by agent id, or none. */
  private static JsonNode agentResults(TaskStatus s) {
    Map<String, JsonNode> results = s.agents().stream().filter(a -> a.result().isPresent())
        .collect(Collectors.toMap(AgentStatus::agentId, a -> a.result().get(), (a, b) -> a,
            LinkedHashMap::new));
    if (results.isEmpty()) {
      return null;
    }
    ObjectNode out = Protocol.MAPPER.createObjectNode();
    results.forEach(out::set);
    return out;
  }

  private long backoffTicks(int failures, Optional<Duration> retryAfter) {
    long t = 1L << Math.min(failures, 30);
    t = Math.min(t, maxBackoffTicks);
    if (retryAfter.isPresent()) {
      t = Math.max(t, ticksOf(retryAfter.get()));
    }
    return Math.max(1, t);
  }

  private long ticksOf(Duration d) {
    return Math.max(1, (d.toNanos() + intervalNanos - 1) / intervalNanos);
  }
}
