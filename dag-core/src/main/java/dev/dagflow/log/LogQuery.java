package dev.dagflow.log;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which log lines of one run to read: optionally one node, a least level, lines at or after a
 * time, at most a number of lines (oldest first). Immutable.
 */
public final class LogQuery {
  /** The most lines one query returns. */
  public static final int MAX_LIMIT = 10_000;

  private final String runId;
  private final String nodeId;
  private final LogLevel minLevel;
  private final Instant since;
  private final int limit;

  private LogQuery(String runId, String nodeId, LogLevel minLevel, Instant since, int limit) {
    this.runId = runId;
    this.nodeId = nodeId;
    this.minLevel = minLevel;
    this.since = since;
    this.limit = limit;
  }

  /** Every line of the run, up to {@link #MAX_LIMIT}. */
  public static LogQuery of(String runId) {
    return new LogQuery(Objects.requireNonNull(runId, "runId"), null, LogLevel.DEBUG, null,
        MAX_LIMIT);
  }

  /** Only the lines of {@code nodeId}. */
  public LogQuery node(String nodeId) {
    return new LogQuery(runId, Objects.requireNonNull(nodeId, "nodeId"), minLevel, since, limit);
  }

  /** Only lines of {@code level} or more severe. */
  public LogQuery minLevel(LogLevel level) {
    return new LogQuery(runId, nodeId, Objects.requireNonNull(level, "level"), since, limit);
  }

  /** Only lines written at or after {@code time}. */
  public LogQuery since(Instant time) {
    return new LogQuery(runId, nodeId, minLevel, Objects.requireNonNull(time, "since"), limit);
  }

  /** @throws IllegalArgumentException unless 1 to {@link #MAX_LIMIT} */
  public LogQuery limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
    return new LogQuery(runId, nodeId, minLevel, since, limit);
  }

  public String runId() {
    return runId;
  }

  public Optional<String> nodeId() {
    return Optional.ofNullable(nodeId);
  }

  public LogLevel minLevel() {
    return minLevel;
  }

  public Optional<Instant> since() {
    return Optional.ofNullable(since);
  }

  public int limit() {
    return limit;
  }

  /** Whether {@code entry} is one this query asks for (the limit aside). */
  public boolean matches(LogEntry entry) {
    return entry.runId().equals(runId)
        && (nodeId == null || entry.nodeId().filter(nodeId::equals).isPresent())
        && entry.level().compareTo(minLevel) >= 0
        && (since == null || !entry.time().isBefore(since));
  }

  @Override
  public String toString() {
    return "LogQuery{run=" + runId + (nodeId == null ? "" : " node=" + nodeId)
        + " minLevel=" + minLevel + (since == null ? "" : " since=" + since)
        + " limit=" + limit + "}";
  }
}
