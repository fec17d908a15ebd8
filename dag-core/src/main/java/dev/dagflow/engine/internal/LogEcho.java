package dev.dagflow.engine.internal;

import dev.dagflow.log.LogLevel;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Echoes a run's WARN and ERROR log lines to SLF4J, so they reach the host's own logs: a line of
 * the run under the logger {@value #RUN_LOGGER}, a line of a node under
 * {@code dagflow.node.<taskType>} ({@value #NODE_LOGGER} for a node without a task type), at
 * the line's level. Around each line the MDC holds {@value #RUN_ID}, {@value #PROJECT} (if the
 * run has one) and, for a node's line, {@value #NODE_ID} and {@value #ATTEMPT}; each key gets
 * back the value it had before. Every line, of every level, goes to the {@code LogStore} too.
 * Called on the thread that writes the line, before it is buffered: the echo is never delayed by
 * the log store.
 */
final class LogEcho {
  static final String RUN_LOGGER = "dagflow.run";
  static final String NODE_LOGGER = "dagflow.node";
  static final String RUN_ID = "dagflow.runId";
  static final String PROJECT = "dagflow.project";
  static final String NODE_ID = "dagflow.nodeId";
  static final String ATTEMPT = "dagflow.attempt";

  private static final Logger RUN = LoggerFactory.getLogger(RUN_LOGGER);

  private LogEcho() {
  }

  /**
   * Echoes a line of run {@code runId} of {@code project} ({@code nodeId} empty for the run's
   * own), from attempt {@code attempt} of a node of {@code taskType}.
   */
  static void echo(String runId, Optional<String> nodeId, int attempt, LogLevel level,
      String message, Optional<String> project, Optional<String> taskType) {
    if (level != LogLevel.WARN && level != LogLevel.ERROR) {
      return;
    }
    Logger logger = nodeId.isEmpty() ? RUN : LoggerFactory.getLogger(
        taskType.map(t -> NODE_LOGGER + "." + t).orElse(NODE_LOGGER));
    boolean error = level == LogLevel.ERROR;
    if (error ? !logger.isErrorEnabled() : !logger.isWarnEnabled()) {
      return;
    }
    String node = nodeId.orElse(null);
    String attemptText = node == null || attempt == 0 ? null : Integer.toString(attempt);
    String run = put(RUN_ID, runId);
    String proj = put(PROJECT, project.orElse(null));
    String nodeBefore = put(NODE_ID, node);
    String att = put(ATTEMPT, attemptText);
    try {
      String where = "run " + runId
          + (node == null ? "" : " node " + node)
          + (attemptText == null ? "" : " attempt " + attemptText);
      if (error) {
        logger.error("{}: {}", where, message);
      } else {
        logger.warn("{}: {}", where, message);
      }
    } finally {
      put(RUN_ID, run);
      put(PROJECT, proj);
      put(NODE_ID, nodeBefore);
      put(ATTEMPT, att);
    }
  }

  /** Sets {@code key} to {@code value} (removes it for null); returns the value it had. */
  private static String put(String key, String value) {
    String before = MDC.get(key);
    if (value == null) {
      MDC.remove(key);
    } else {
      MDC.put(key, value);
    }
    return before;
  }
}
