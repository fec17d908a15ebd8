package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.log.LogLevel;
import java.util.Map;

/**
 * What an executor gets for one attempt of one node. Values are copies the executor may keep
 * and change. Thread-safe: {@link #progress} and {@link #log} may be called from any thread;
 * progress reported after the attempt ended is ignored, log lines are kept.
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

  /** The attempt's number, from 1. */
  int attempt();

  /**
   * A key unique to this attempt, {@code runId:nodeId:attempt}: an executor that submits work
   * elsewhere sends it along so a repeated submission is recognised.
   */
  String idempotencyKey();

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
