package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.log.LogLevel;
import java.util.Map;

/**
 * A task node inside a container whose executor {@link NodeExecutor#runsSubtree() runs the
 * subtree}, as that executor reports it: from {@link NodeContext#child}. Each report becomes
 * the node's state and attempt record as if it had run here: {@link #running()} opens its
 * attempt (READY to RUNNING), {@link #ended} closes it (COMPLETED, or FAILED: the node is not
 * retried here). A report on a node whose gates are still closed is held until they open; a
 * report after the node ended, or after the container's attempt ended, is ignored with a line
 * in the run's log. Thread-safe; implemented by the engine only.
 */
public interface SubtreeNode {

  /** The node's id. */
  String nodeId();

  /**
   * The node's config to send: the policy's default config for its task type, the node's own
   * config over it, and updates made before the container started over that. A copy.
   */
  ObjectNode config();

  /** The results of the upstream nodes of this node that have completed, by id; copies. */
  Map<String, JsonNode> upstreamResults();

  /** How each upstream node of this node stands, as {@link NodeContext#upstreams()} gives it. */
  Map<String, UpstreamOutcome> upstreams();

  /**
   * The node has started; {@link #progress}, {@link #reportEngineRef} and {@link #ended} imply
   * it.
   */
  void running();

  /** The node's progress from 0 to 100; values outside are clamped. */
  void progress(int percent);

  /**
   * The reference of the node's work where it runs (a remote agent's id), stored with the
   * node's attempt with the run's next write; the first one reported for an attempt is kept,
   * a different one later is ignored. The characters allowed are those of {@link
   * NodeContext#reportEngineRef}.
   *
   * @throws IllegalArgumentException naming {@code engineRef}, if it breaks the rules
   */
  void reportEngineRef(String ref);

  /** The node ended: COMPLETED with a success's result, or FAILED with a failure's error. */
  void ended(NodeResult result);

  /** Writes a line to the node's log, as {@link NodeContext#log} does. */
  void log(LogLevel level, String message, Object... args);
}
