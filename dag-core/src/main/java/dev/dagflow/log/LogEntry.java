package dev.dagflow.log;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One log line of a run: written by a node's executor through its context, or by the engine
 * (then without a node).
 *
 * @param attempt the node's attempt that wrote it, 0 for the engine
 */
public record LogEntry(String runId, Optional<String> nodeId, int attempt, LogLevel level,
    String message, Instant time) {

  public LogEntry {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(time, "time");
  }
}
