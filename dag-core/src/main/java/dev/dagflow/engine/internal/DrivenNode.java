package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.engine.SubtreeNode;
import dev.dagflow.engine.UpstreamOutcome;
import dev.dagflow.log.LogLevel;
import java.util.Map;
import java.util.Objects;
import org.slf4j.helpers.MessageFormatter;

/**
 * A node inside a container whose executor runs the subtree, as one attempt of that container
 * reports it; each report is a step of the run. Thread-safe.
 */
final class DrivenNode implements SubtreeNode {
  private final Attempt container;
  private final int node;

  DrivenNode(Attempt container, int node) {
    this.container = container;
    this.node = node;
  }

  @Override
  public String nodeId() {
    return container.run.id(node);
  }

  @Override
  public ObjectNode config() {
    ActiveRun run = container.run;
    run.lock.lock();
    try {
      return run.effectiveConfig(node).deepCopy();
    } finally {
      run.lock.unlock();
    }
  }

  @Override
  public Map<String, JsonNode> upstreamResults() {
    return container.run.upstreamResults(node);
  }

  @Override
  public Map<String, UpstreamOutcome> upstreams() {
    return container.run.upstreams(node);
  }

  @Override
  public void running() {
    report(Subtrees.Held.RUNNING);
  }

  @Override
  public void progress(int percent) {
    report(new Subtrees.Held(Math.max(0, Math.min(100, percent)), null, null));
  }

  @Override
  public void reportEngineRef(String ref) {
    Attempt.checkEngineRef(ref);
    report(new Subtrees.Held(-1, ref, null));
  }

  @Override
  public void ended(NodeResult result) {
    Objects.requireNonNull(result, "result");
    report(new Subtrees.Held(-1, null, result));
  }

  @Override
  public void log(LogLevel level, String message, Object... args) {
    String text = MessageFormatter.arrayFormat(String.valueOf(message), args).getMessage();
    ActiveRun run = container.run;
    // the attempt number read without the lock, as a log line may be written at any time: at
    // worst the number of the attempt just before
    run.services.log(run, run.spec.nodes().get(node), Math.max(1, run.nodes.attempt(node)),
        level == null ? LogLevel.INFO : level, text);
  }

  private void report(Subtrees.Held report) {
    ActiveRun run = container.run;
    run.internalStep(() -> run.subtrees.report(container, node, report));
  }

  @Override
  public String toString() {
    return container + "/" + nodeId();
  }
}
