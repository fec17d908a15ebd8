package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.TaskHandler;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a {@link TaskHandler} on the calling worker thread; cancelling interrupts that thread,
 * and only while the handler still runs. Exceptions are turned into results by {@link Guard}.
 */
final class HandlerExecutor implements NodeExecutor {
  private final TaskHandler handler;
  private final ConcurrentHashMap<String, Running> running = new ConcurrentHashMap<>();

  HandlerExecutor(TaskHandler handler) {
    this.handler = handler;
  }

  @Override
  public CompletionStage<NodeResult> execute(NodeContext context) {
    String key = context.idempotencyKey();
    Running r = new Running(Thread.currentThread());
    running.put(key, r);
    try {
      JsonNode result = handler.handle(context);
      return CompletableFuture.completedFuture(NodeResult.success(result));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      running.remove(key, r);
      r.finish();
    }
  }

  @Override
  public void cancel(NodeContext context) {
    Running r = running.get(context.idempotencyKey());
    if (r != null) {
      r.interrupt();
    }
  }

  /** One handler call: interrupting it is possible only until it finishes. */
  private static final class Running {
    private final Thread thread;
    private boolean done;

    Running(Thread thread) {
      this.thread = thread;
    }

    synchronized void interrupt() {
      if (!done) {
        thread.interrupt();
      }
    }

    void finish() {
      synchronized (this) {
        done = true;
      }
      Thread.interrupted(); // a cancel that came as the handler returned must not hit the next
    }
  }
}
