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
  /** By context: the engine cancels with the same context it executed with. */
  private final ConcurrentHashMap<NodeContext, Running> running = new ConcurrentHashMap<>();

  HandlerExecutor(TaskHandler handler) {
    this.handler = handler;
  }

  @Override
  public CompletionStage<NodeResult> execute(NodeContext context) {
    Running r = new Running(Thread.currentThread());
    running.put(context, r);
    try {
      JsonNode result = handler.handle(context);
      return CompletableFuture.completedFuture(NodeResult.success(result));
    } catch (Exception e) {
      return CompletableFuture.failedFuture(e);
    } finally {
      running.remove(context, r);
      r.finish();
    }
  }

  @Override
  public void cancel(NodeContext context) {
    Running r = running.get(context);
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
