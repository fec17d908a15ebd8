package dev.dagflow.http.engine.internal;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.SubtreeNode;
import dev.dagflow.http.engine.AgentStatus;
import dev.dagflow.http.engine.RemoteError;
import dev.dagflow.http.engine.RemoteStatus;
import dev.dagflow.log.LogLevel;
import dev.dagflow.spec.NodeSpec;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The agents of a container's remote task mapped onto the task nodes inside it: each agent's
 * {@code node_id} names the node, reported through {@link NodeContext#child}. An agent's
 * reference (its {@code engine_agent_id}) is reported once it runs, its progress when it
 * changes, its end once, after its last log lines. An agent without a {@code node_id}, or
 * naming no task node inside, changes no node: its log lines go to the container's log, and the
 * first sight of it is a WARN line there.
 *
 * <p>After a re-attach a new instance reports every agent again; the engine ignores a report on
 * a node that already ended. Not thread-safe: one follow-up step uses it at a time.
 */
final class SubtreeReports {
  private static final String STOPPED = "ENGINE_AGENT_STOPPED";
  private static final String FAILED = "ENGINE_AGENT_FAILED";

  /** What was reported for one agent. */
  private static final class Reported {
    boolean ref;
    int progress = -1;
    boolean ended;
  }

  private final NodeContext ctx;
  private final Set<String> tasks = new HashSet<>();
  private final Map<String, Reported> reported = new HashMap<>();
  private final Map<String, SubtreeNode> nodes = new HashMap<>();
  private final Set<String> unmapped = new HashSet<>();

  SubtreeReports(NodeContext ctx) {
    this.ctx = ctx;
    for (NodeSpec n : ctx.subtree()) {
      if (!n.isContainer()) {
        tasks.add(n.id());
      }
    }
  }

  /**
   * The default submit body of a container: itself as the root box, then every node inside in
   * spec order, boxes with their {@code father}, task nodes with their task type as {@code
   * agentLoad} and their effective config as {@code agentConfig}.
   */
  static ArrayNode body(NodeContext ctx) {
    ArrayNode nodes = Protocol.MAPPER.createArrayNode();
    ObjectNode root = nodes.addObject();
    root.put("id", ctx.nodeId());
    root.put("isBox", true);
    root.putNull("father");
    root.put("isRoot", true);
    root.set("containerConfig", ctx.config());
    for (NodeSpec n : ctx.subtree()) {
      ObjectNode node = nodes.addObject();
      node.put("id", n.id());
      node.put("isBox", n.isContainer());
      node.put("father", n.parent().orElseThrow());
      node.put("isRoot", false);
      if (n.isContainer()) {
        node.set("containerConfig", n.config());
      } else {
        node.put("agentLoad", n.taskType().orElseThrow());
        node.set("agentConfig", ctx.child(n.id()).config());
      }
    }
    return nodes;
  }

  /** The node {@code agent} runs; empty (with a WARN line the first time) if none inside. */
  Optional<SubtreeNode> nodeOf(AgentStatus agent) {
    Optional<String> id = agent.nodeId().filter(tasks::contains);
    if (id.isEmpty()) {
      if (unmapped.add(agent.agentId())) {
        ctx.log(LogLevel.WARN, "engine agent '{}' names no task node inside container '{}' "
            + "(node_id {}): its state is not mapped, its logs go to the container",
            agent.agentId(), ctx.nodeId(), agent.nodeId().map(n -> "'" + n + "'")
                .orElse("missing"));
      }
      return Optional.empty();
    }
    return Optional.of(nodes.computeIfAbsent(id.get(), ctx::child));
  }

  /** Reports the agent's reference and progress once it runs (before its log lines). */
  void running(AgentStatus agent) {
    Optional<SubtreeNode> node = nodeOf(agent);
    if (node.isEmpty() || agent.status() == RemoteStatus.PENDING) {
      return;
    }
    Reported r = reported.computeIfAbsent(agent.agentId(), k -> new Reported());
    if (r.ended) {
      return;
    }
    if (!r.ref) {
      r.ref = true;
      guarded(agent, () -> node.get().reportEngineRef(agent.agentId()));
    }
    if (agent.progress().isPresent() && agent.progress().get() != r.progress) {
      r.progress = agent.progress().get();
      guarded(agent, () -> node.get().progress(r.progress));
    }
  }

  /** Ends the agent's node if the agent ended (after its last log lines). */
  void ended(AgentStatus agent) {
    if (!agent.status().isTerminal()) {
      return;
    }
    Optional<SubtreeNode> node = nodeOf(agent);
    Reported r = reported.computeIfAbsent(agent.agentId(), k -> new Reported());
    if (node.isEmpty() || r.ended) {
      return;
    }
    r.ended = true;
    guarded(agent, () -> node.get().ended(resultOf(agent)));
  }

  /** Makes a report; one the engine refuses is an ERROR line, and the next agents go on. */
  private void guarded(AgentStatus agent, Runnable report) {
    try {
      report.run();
    } catch (RuntimeException e) {
      ctx.log(LogLevel.ERROR, "the state of engine agent '{}' could not be reported: {}",
          agent.agentId(), e.toString());
    }
  }

  /** Where the agent's log lines go: its node's log, else the container's. */
  void log(AgentStatus agent, LogLevel level, String message) {
    Optional<SubtreeNode> node = nodeOf(agent);
    if (node.isPresent()) {
      node.get().log(level, "{}", message); // "{}": the text is not a pattern
    } else {
      ctx.log(level, "[{}] {}", agent.agentId(), message);
    }
  }

  private static NodeResult resultOf(AgentStatus agent) {
    switch (agent.status()) {
      case COMPLETED -> {
        return NodeResult.success(agent.result().orElse(null));
      }
      case FAILED -> {
        Optional<String> remote = agent.error().flatMap(RemoteError::code);
        String code = remote.filter(Poller::fitsCode).orElse(FAILED);
        return NodeResult.failure(code, Poller.cut("engine agent '" + agent.agentId()
            + "' failed" + agent.error().map(e -> ": " + e.message()).orElse("")
            + (remote.isPresent() && !remote.get().equals(code)
                ? " [engine code " + Protocol.cut(remote.get()) + "]" : "")));
      }
      default -> {
        return NodeResult.failure(STOPPED, "engine agent '" + agent.agentId()
            + "' was stopped on the engine");
      }
    }
  }
}
