package dev.dagflow.http.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.http.engine.EngineProtocolException;
import dev.dagflow.http.engine.EngineRequestException;
import dev.dagflow.http.engine.EngineUnavailableException;
import dev.dagflow.http.engine.TaskStatus;
import dev.dagflow.log.LogLevel;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The attempts an {@code HttpEngineExecutor} follows: submits them (again, after a transient
 * failure, under the same idempotency key), reports the engine's task id from a callback
 * thread, hands them to the {@link Poller}, forwards stop and updates, and ends them.
 *
 * <p>Threads: {@code execute}, {@code reattach}, {@code cancel} and {@code update} are called by
 * the engine and only register and send; every call into a {@link NodeContext} that may wait
 * ({@code reportEngineRef}, {@code log}) runs on the callback executor, never on the engine's
 * worker or the poller's timer. Thread-safe.
 */
public final class RemoteTasks implements AutoCloseable {
  static final String NOT_FOUND = "ENGINE_TASK_NOT_FOUND";
  static final String REFUSED = "ENGINE_REQUEST_REFUSED";
  static final String PROTOCOL = "ENGINE_PROTOCOL";
  static final String CLIENT_ERROR = "ENGINE_CLIENT_ERROR";
  private static final Logger LOG = LoggerFactory.getLogger(RemoteTasks.class);

  final ExecutorConfig config;
  final Map<String, Follow> byKey = new ConcurrentHashMap<>();
  final Map<String, Follow> byTask = new ConcurrentHashMap<>();
  private final Poller poller;
  private volatile boolean closed;

  public RemoteTasks(ExecutorConfig config) {
    this.config = config;
    this.poller = new Poller(this);
  }

  /** Submits the attempt and follows it; the stage completes when the remote task ends. */
  public CompletableFuture<NodeResult> execute(NodeContext ctx) {
    Follow f = new Follow(ctx);
    if (closed) {
      f.result.complete(closedResult());
      return f.result;
    }
    register(f);
    ObjectNode body;
    try {
      body = config.submitBody().apply(ctx);
      if (body == null) {
        throw new NullPointerException("it returned null");
      }
      body.put("idempotencyKey", f.key);
    } catch (RuntimeException e) {
      end(f, NodeResult.permanentFailure("ENGINE_SUBMIT_BODY", "the submit body of node '"
          + ctx.nodeId() + "' could not be made: " + e));
      return f.result;
    }
    submit(f, body, 1);
    return f.result;
  }

  /**
   * Follows an attempt a previous engine started: by its stored reference, or, without one,
   * by submitting it again under its old idempotency key, which the remote engine answers with
   * the task it already has. Never blocks.
   */
  public Optional<CompletableFuture<NodeResult>> reattach(NodeContext ctx) {
    if (closed) {
      return Optional.empty();
    }
    Optional<String> ref = ctx.engineRef();
    if (ref.isEmpty()) {
      return Optional.of(execute(ctx));
    }
    Follow f = new Follow(ctx);
    register(f);
    attach(f, ref.get());
    return Optional.of(f.result);
  }

  /** Stops following the attempt and asks the engine to stop its task. */
  public void cancel(NodeContext ctx) {
    Follow f = byKey.get(ctx.idempotencyKey());
    if (f == null) {
      return;
    }
    f.cancelled = true;
    end(f, NodeResult.failure("ENGINE_TASK_CANCELLED", "the attempt was cancelled"));
    stopRemote(f); // else the submit's answer sends it
  }

  /**
   * Sends the attempt's task its new config, after the submit answered, updates in order.
   *
   * @throws IllegalStateException if no remote task runs the attempt here
   */
  public void update(NodeContext ctx, ObjectNode newConfig) {
    Follow f = byKey.get(ctx.idempotencyKey());
    if (f == null || f.ended()) {
      throw new IllegalStateException("no remote task runs attempt " + ctx.idempotencyKey()
          + " on this executor");
    }
    ObjectNode body = config.updateBody().apply(ctx, newConfig.deepCopy());
    if (body == null) {
      throw new IllegalStateException("the update body function returned null for attempt "
          + f.key);
    }
    synchronized (f) {
      if (f.taskId == null) {
        f.pendingUpdate = body; // the latest wins: each is the whole merged config
        return;
      }
    }
    sendUpdate(f, body);
  }

  /** A pushed status (a verified webhook); false if no task with its id is followed here. */
  public boolean pushed(TaskStatus status) {
    return poller.pushed(status);
  }

  /** Ends every attempt followed here as failed and stops the poller's threads. */
  @Override
  public void close() {
    closed = true;
    poller.close();
    for (Follow f : byKey.values()) {
      end(f, closedResult());
    }
    config.shutdown();
  }

  boolean isClosed() {
    return closed;
  }

  private void register(Follow f) {
    Follow old = byKey.put(f.key, f);
    if (old != null && old != f) { // followed again (a second reattach): the old one is moot
      end(old, NodeResult.failure("ENGINE_FOLLOWED_AGAIN", "attempt " + f.key
          + " is followed again"));
    }
  }

  private void submit(Follow f, ObjectNode body, int tryNo) {
    config.client().submit(body, f.key).whenComplete((id, error) ->
        onCallbackThread(f, () -> submitted(f, body, tryNo, id, unwrap(error))));
  }

  private void submitted(Follow f, ObjectNode body, int tryNo, String id, Throwable error) {
    if (closed) {
      return; // as after a crash: the next engine re-attaches under the key
    }
    if (error != null) {
      if (f.ended()) {
        return;
      }
      if (error instanceof EngineUnavailableException u) {
        if (tryNo == 1) {
          f.ctx.log(LogLevel.WARN, "the remote engine did not take the submit yet; it is sent "
              + "again under the same idempotency key: {}", u.getMessage());
        }
        long nanos = backoffNanos(tryNo, u.retryAfter());
        schedule(f, nanos, () -> {
          if (!f.ended()) {
            submit(f, body, tryNo + 1);
          }
        });
      } else if (error instanceof EngineRequestException) { // a 404 here is a wrong path
        end(f, NodeResult.permanentFailure(REFUSED, error.getMessage()));
      } else {
        end(f, failureOf(error));
      }
      return;
    }
    try {
      f.ctx.reportEngineRef(id); // returns once stored: a crash from now on re-attaches by it
    } catch (RuntimeException e) {
      f.taskId = id;
      end(f, NodeResult.permanentFailure("ENGINE_REF_REFUSED", "the engine reference '" + id
          + "' could not be stored: " + e.getMessage()));
      stopRemote(f);
      return;
    }
    attach(f, id);
  }

  /** Starts polling {@code f} as task {@code id}; sends what waited for the id. */
  private void attach(Follow f, String id) {
    ObjectNode update;
    synchronized (f) {
      f.taskId = id;
      update = f.pendingUpdate;
      f.pendingUpdate = null;
    }
    if (f.cancelled) {
      stopRemote(f);
      return;
    }
    byTask.put(id, f);
    if (f.ended()) {
      byTask.remove(id, f);
      return;
    }
    poller.follow(f);
    if (update != null) {
      sendUpdate(f, update);
    }
  }

  private void sendUpdate(Follow f, ObjectNode body) {
    synchronized (f) {
      f.updates = f.updates.thenCompose(v -> config.client().update(f.taskId, body)
          .handle((ok, error) -> {
            if (error != null) {
              onCallbackThread(f, () -> f.ctx.log(LogLevel.ERROR, "the live config update did "
                  + "not reach the remote engine: {}", unwrap(error).getMessage()));
            }
            return null;
          }));
    }
  }

  /** Asks the engine once to stop {@code f}'s task, if it has one. */
  void stopRemote(Follow f) {
    String id = f.taskId;
    if (id == null || !f.stopSent.compareAndSet(false, true)) {
      return;
    }
    config.client().stop(id).whenComplete((ok, error) -> {
      if (error != null) {
        onCallbackThread(f, () -> f.ctx.log(LogLevel.WARN, "could not stop engine task '{}': "
            + "{}", id, unwrap(error).getMessage()));
      }
    });
  }

  /** Completes the attempt with {@code result} unless it ended; stops following it. */
  void end(Follow f, NodeResult result) {
    if (f.result.complete(result)) {
      byKey.remove(f.key, f);
      String id = f.taskId;
      if (id != null) {
        byTask.remove(id, f);
      }
    }
  }

  /** The result of an attempt whose call failed with {@code error} (not a transient one). */
  static NodeResult failureOf(Throwable error) {
    if (error instanceof EngineRequestException r && r.status() == 404) {
      return NodeResult.failure(NOT_FOUND, error.getMessage());
    }
    if (error instanceof EngineRequestException) {
      return NodeResult.permanentFailure(REFUSED, error.getMessage());
    }
    if (error instanceof EngineProtocolException) {
      return NodeResult.permanentFailure(PROTOCOL, error.getMessage());
    }
    return NodeResult.permanentFailure(CLIENT_ERROR, String.valueOf(error));
  }

  /** The wait before try {@code tryNo + 1}: doubling from the poll interval, capped. */
  long backoffNanos(int tryNo, Optional<Duration> retryAfter) {
    long cap = config.maxPollBackoff().toNanos();
    long d = config.pollInterval().toNanos();
    for (int i = 1; i < tryNo && d < cap; i++) {
      d = d > cap / 2 ? cap : d * 2;
    }
    d = Math.min(d, cap);
    return retryAfter.map(r -> Math.max(r.toNanos(), 0)).filter(r -> r > 0).orElse(d);
  }

  /** Runs {@code task} on the callback executor; if it is gone, the attempt is closed. */
  void onCallbackThread(Follow f, Runnable task) {
    try {
      config.callbacks().execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.error("following attempt {} failed", f.key, e);
          end(f, NodeResult.permanentFailure(CLIENT_ERROR, "following the remote task "
              + "failed: " + e));
        }
      });
    } catch (RejectedExecutionException e) {
      end(f, closedResult());
    }
  }

  void schedule(Follow f, long nanos, Runnable task) {
    try {
      config.timer().schedule(task, nanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      end(f, closedResult());
    }
  }

  private static NodeResult closedResult() {
    return NodeResult.failure("ENGINE_EXECUTOR_CLOSED", "the HTTP engine executor was closed");
  }

  static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
