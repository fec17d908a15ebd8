package dev.dagflow.log;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One log line of a run: written by a node's executor through its context, or by the engine
 * (then without a node). Immutable.
 *
 * <p>{@code seq} numbers the lines of one run, node lines and the run's own alike: from 1,
 * strictly increasing in the order they were written, given by the engine that owns the run; an
 * engine that takes the run over goes on after the highest number stored. A reader resumes a
 * run's log after the last line it has seen with {@link LogQuery#afterSequence}.
 *
 * @param runId the run
 * @param seq the line's number in the run's log, from 1
 * @param nodeId the node that wrote it; empty for a line of the run itself
 * @param attempt the node's attempt that wrote it, 0 for the engine
 * @param level how severe it is
 * @param message the text, secret values of the run's config replaced by {@code ***}
 * @param time when it was written, on the engine's time source
 * @throws NullPointerException if an argument is {@code null}
 * @throws IllegalArgumentException naming {@code seq} if it is below 1, or {@code attempt} if
 *     negative
 */
public record LogEntry(String runId, long seq, Optional<String> nodeId, int attempt,
    LogLevel level, String message, Instant time) {

  public LogEntry {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(time, "time");
    if (seq < 1) {
      throw new IllegalArgumentException("seq must be at least 1, got " + seq);
    }
    if (attempt < 0) {
      throw new IllegalArgumentException("attempt must not be negative, got " + attempt);
    }
  }
}
