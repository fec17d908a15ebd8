package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.NodeFailureException;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.Json;
import dev.dagflow.log.LogLevel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls user executors so that nothing they do can stick a run or kill an engine thread: a
 * throw, a null stage and a null result all become failed results with a clear error, and so
 * does a result that is not storable JSON ({@link #INVALID_RESULT}).
 *
 * <p>What an executor's {@code cancel}, {@code update} or {@code reattach} throws goes to the
 * run's log as its class and message, which the engine scrubs of the run's secrets, not as a
 * stack trace to SLF4J: an exception message may quote the config it was given.
 */
final class Guard {
  static final String EXECUTOR_THREW = "EXECUTOR_THREW";
  static final String NULL_STAGE = "EXECUTOR_RETURNED_NULL";
  static final String NULL_RESULT = "NULL_RESULT";
  static final String EXCEPTION = "EXCEPTION";
  static final String INVALID_RESULT = "INVALID_RESULT";

  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  private Guard() {
  }

  /** Starts an attempt; the stage returned is never null and never completes exceptionally. */
  static CompletionStage<NodeResult> execute(NodeExecutor executor, NodeContext context) {
    CompletionStage<NodeResult> stage;
    try {
      stage = executor.execute(context);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      return CompletableFuture.completedFuture(NodeResult.failure(EXECUTOR_THREW,
          "executor of task type '" + context.taskType() + "' threw " + describe(t)));
    }
    if (stage == null) {
      return CompletableFuture.completedFuture(NodeResult.failure(NULL_STAGE,
          "executor of task type '" + context.taskType() + "' returned null instead of a stage"));
    }
    return stage.handle((result, error) -> safeResult(context, result, error));
  }

  /** Asks the executor to re-attach to a lost attempt; a throw counts as "cannot". */
  static java.util.Optional<CompletionStage<NodeResult>> reattach(NodeExecutor executor,
      NodeContext context) {
    try {
      java.util.Optional<CompletionStage<NodeResult>> stage = executor.reattach(context);
      return stage == null ? java.util.Optional.empty() : stage;
    } catch (Throwable t) {
      rethrowIfFatal(t);
      context.log(LogLevel.WARN, "re-attaching threw {}; a new attempt starts", describe(t));
      return java.util.Optional.empty();
    }
  }

  /** Guards a stage the executor handed over: the result is never null, never exceptional. */
  static CompletionStage<NodeResult> attach(CompletionStage<NodeResult> stage,
      NodeContext context) {
    return stage.handle((result, error) -> safeResult(context, result, error));
  }

  private static NodeResult safeResult(NodeContext context, NodeResult result,
      Throwable error) {
    try {
      return result(context, result, error);
    } catch (RuntimeException e) {
      return NodeResult.failure(EXCEPTION, describe(e));
    }
  }

  private static NodeResult result(NodeContext context, NodeResult result, Throwable error) {
    if (error != null) {
      Throwable cause = unwrap(error);
      if (cause instanceof NodeFailureException f) {
        String message = f.getMessage() == null ? f.code() : f.getMessage();
        return f.isRetryable() ? NodeResult.failure(f.code(), message)
            : NodeResult.permanentFailure(f.code(), message);
      }
      return NodeResult.failure(EXCEPTION, describe(cause));
    }
    if (result == null) {
      return NodeResult.failure(NULL_RESULT, "executor of task type '" + context.taskType()
          + "' completed with null instead of a NodeResult");
    }
    return result.isSuccess() ? checked(context, result) : result;
  }

  /**
   * A success with its result as a canonical copy, which the executor can no longer change; or,
   * for a result no store could write and read back (NaN, a POJO, nesting too deep, …), a
   * permanent failure: the same executor would most likely return it again.
   */
  private static NodeResult checked(NodeContext context, NodeResult result) {
    JsonNode value = result.result().orElseThrow();
    if (value.isNull()) {
      return result;
    }
    try {
      return NodeResult.success(Json.canonical(value, "result", NativeDepths.RESULT_DEPTH));
    } catch (InvalidJsonException e) {
      return NodeResult.permanentFailure(INVALID_RESULT, "executor of task type '"
          + context.taskType() + "' returned a result that cannot be stored: " + e.getMessage());
    }
  }

  static void cancel(NodeExecutor executor, NodeContext context) {
    try {
      executor.cancel(context);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      context.log(LogLevel.WARN, "cancel by the executor of task type '{}' threw {}",
          context.taskType(), describe(t));
    }
  }

  static void update(NodeExecutor executor, NodeContext context, ObjectNode config) {
    try {
      executor.update(context, config);
    } catch (Throwable t) {
      rethrowIfFatal(t);
      context.log(LogLevel.ERROR, "live config update failed: {}", describe(t));
    }
  }

  /** Whether {@code executor} runs a container's subtree; a throw counts as no, logged. */
  static boolean runsSubtree(NodeExecutor executor) {
    try {
      return executor.runsSubtree();
    } catch (Throwable t) {
      rethrowIfFatal(t);
      LOG.warn("runsSubtree() of executor {} threw; taken as false", executor, t);
      return false;
    }
  }

  /** Calls a host's listener or other callback; a throw is logged. */
  static void run(String what, Runnable callback) {
    try {
      callback.run();
    } catch (Throwable t) {
      rethrowIfFatal(t);
      LOG.warn("{} threw", what, t);
    }
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  static String describe(Throwable t) {
    return t.getMessage() == null ? t.getClass().getName()
        : t.getClass().getName() + ": " + t.getMessage();
  }

  private static void rethrowIfFatal(Throwable t) {
    if (t instanceof VirtualMachineError) {
      throw (VirtualMachineError) t;
    }
  }
}
