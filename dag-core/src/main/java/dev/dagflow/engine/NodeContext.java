package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.log.LogLevel;
import dev.dagflow.store.AttemptRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What an executor gets for one attempt of one node. Values are copies the executor may keep
 * and change. Thread-safe: {@link #progress}, {@link #reportEngineRef} and {@link #log} may be
 * called from any thread, {@code execute} and {@code reattach} included; progress and references
 * reported after the attempt ended are ignored, log lines are kept. Implemented by the engine
 * only.
 */
public interface NodeContext {

  String runId();

  String nodeId();

  /** The node as the spec describes it. */
  NodeSpec node();

  /** The node's task type: the key its executor was found by. */
  String taskType();

  /**
   * The config to use: the policy's default config for the task type, with the node's own
   * config merged over it, and live updates merged over that.
   */
  ObjectNode config();

  /** The run's parameters. */
  ObjectNode params();

  /** The results of the upstream nodes this node has edges from that have completed, by id. */
  Map<String, JsonNode> upstreamResults();

  /**
   * How each upstream node this node has edges from stands, by id in the spec's edge order:
   * state, result, and the error it ended with. A notify on a FINISH edge says from it why
   * deploy ended. Read when called; results are copies.
   */
  Map<String, UpstreamOutcome> upstreams();

  /** The attempt's number, from 1. */
  int attempt();

  /**
   * A key unique to this attempt, {@code runId:nodeId:attempt}: an executor that submits work
   * elsewhere sends it along so a repeated submission is recognised.
   */
  String idempotencyKey();

  /**
   * The reference stored for this attempt ({@link #reportEngineRef}): empty in a fresh attempt
   * until the executor reports one; in a {@link NodeExecutor#reattach} context the one the
   * previous engine stored, empty if it stopped before that report was stored.
   */
  Optional<String> engineRef();

  /**
   * Reports the executor's reference for this attempt, such as the id of a task it submitted to
   * a remote engine, and returns once it is stored with the attempt ({@link
   * AttemptRecord#engineRef()}), in a write of its own: an engine that takes the attempt over
   * after a crash hands it to {@link NodeExecutor#reattach} with the attempt's old idempotency
   * key. Shown in the node's attempts ({@link NodeView#attempts()}). Reporting the stored
   * reference again does nothing.
   *
   * <p>A report after the attempt ended (it timed out, or its node or run was stopped) is not
   * stored: it is ignored with a WARN line in the run's log, naming the reference. Nor is one
   * made after the engine gave the run up (it closed, or lost the run's lease or a write): the
   * next owner's {@code reattach} then finds the attempt without it, under its idempotency key.
   *
   * @param ref at most {@link AttemptRecord#MAX_ENGINE_REF_LENGTH} characters, not blank, with
   *     no control characters
   * @throws NullPointerException if {@code ref} is null
   * @throws IllegalArgumentException naming {@code engineRef}, if {@code ref} breaks the rules
   * @throws IllegalStateException if the attempt has a different reference stored already: an
   *     attempt has one reference, which a re-attaching executor relies on
   */
  void reportEngineRef(String ref);

  /**
   * The nodes inside this container, in spec order, when its executor {@link
   * NodeExecutor#runsSubtree() runs its subtree}; empty for any other attempt. Unmodifiable.
   */
  List<NodeSpec> subtree();

  /**
   * How the executor that runs this container's subtree reports the state of task node {@code
   * nodeId} inside it. Reports are applied in the order they are made, under the run's lock,
   * and ignored once this attempt has ended. When the stage {@code execute} returned ends, the
   * subtree ends with it: with a success, a node that could run but whose end was not reported
   * fails ({@code NO_OUTCOME}) and one still waiting is skipped, so the container follows its
   * children; with a failure, the container fails and so does every node inside that could
   * run.
   *
   * @throws NullPointerException if {@code nodeId} is null
   * @throws IllegalArgumentException naming the node, if it is not a task node inside this
   *     container
   * @throws IllegalStateException if this attempt's executor does not run the subtree
   */
  SubtreeNode child(String nodeId);

  /**
   * Reports a usage figure of this attempt, such as {@code cpu_percent} or {@code memory_mb}
   * (any name matching {@link AttemptRecord#USAGE_NAME}): stored with the attempt, in a write
   * of its own, and shown in its {@link AttemptRecord#usage()}; a later report of the same
   * name replaces it. At most {@link AttemptRecord#MAX_USAGE_FIGURES} names per attempt: a
   * report of one more is ignored with a WARN line in the run's log, as is any report after
   * the attempt ended.
   *
   * @throws NullPointerException if {@code name} is null
   * @throws IllegalArgumentException naming the figure, if the name breaks the rule or the
   *     value is not finite
   */
  void reportUsage(String name, double value);

  /** Reports progress from 0 to 100; values outside are clamped. */
  void progress(int percent);

  /**
   * Writes a line to the run's log. {@code {}} in the message is replaced by the next
   * argument, as in SLF4J. The line is numbered and buffered, and reaches the log store within
   * 200 ms (see {@link DagEngine#logs}); while the engine's log buffer is full (the store is
   * slow or failing) this waits until there is room, so no line is dropped. May be called
   * from any thread, also after the attempt has ended.
   */
  void log(LogLevel level, String message, Object... args);
}
