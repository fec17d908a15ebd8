package dev.dagflow.log;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which log lines of one run to read, in sequence order ({@link LogEntry#seq}): optionally one
 * node, a least level, lines at or after a time, lines after a cursor, at most a number of
 * lines. Immutable and thread-safe; every method that narrows the query returns a new one.
 *
 * <p>To read a long log in pages, or to follow a log as it grows, pass the {@code seq} of the
 * last line read to {@link #afterSequence} for the next query: no line is missed or read twice,
 * across restarts and takeovers of the run, since a line's number never changes and lines are
 * stored in the order of their numbers.
 */
public final class LogQuery {
  /** The most lines one query returns. */
  public static final int MAX_LIMIT = 10_000;

  private final String runId;
  private final String nodeId;
  private final LogLevel minLevel;
  private final Instant since;
  private final long afterSequence;
  private final int limit;

  private LogQuery(String runId, String nodeId, LogLevel minLevel, Instant since,
      long afterSequence, int limit) {
    this.runId = runId;
    this.nodeId = nodeId;
    this.minLevel = minLevel;
    this.since = since;
    this.afterSequence = afterSequence;
    this.limit = limit;
  }

  /**
   * Every line of the run, up to {@link #MAX_LIMIT}.
   *
   * @throws NullPointerException if {@code runId} is {@code null}
   */
  public static LogQuery of(String runId) {
    return new LogQuery(Objects.requireNonNull(runId, "runId"), null, LogLevel.DEBUG, null, 0,
        MAX_LIMIT);
  }

  /** Only the lines of {@code nodeId}. @throws NullPointerException if it is {@code null} */
  public LogQuery node(String nodeId) {
    return new LogQuery(runId, Objects.requireNonNull(nodeId, "nodeId"), minLevel, since,
        afterSequence, limit);
  }

  /** Only lines of {@code level} or more severe. @throws NullPointerException for null */
  public LogQuery minLevel(LogLevel level) {
    return new LogQuery(runId, nodeId, Objects.requireNonNull(level, "level"), since,
        afterSequence, limit);
  }

  /** Only lines written at or after {@code time}. @throws NullPointerException for null */
  public LogQuery since(Instant time) {
    return new LogQuery(runId, nodeId, minLevel, Objects.requireNonNull(time, "since"),
        afterSequence, limit);
  }

  /**
   * Only lines numbered above {@code seq}: a cursor, the {@link LogEntry#seq} of the last line
   * read (0, the default, reads from the first line).
   *
   * @throws IllegalArgumentException naming {@code afterSequence} if {@code seq} is negative
   */
  public LogQuery afterSequence(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("afterSequence must not be negative, got " + seq);
    }
    return new LogQuery(runId, nodeId, minLevel, since, seq, limit);
  }

  /**
   * At most {@code limit} lines, the lowest numbered that match.
   *
   * @throws IllegalArgumentException naming {@code limit} unless 1 to {@link #MAX_LIMIT}
   */
  public LogQuery limit(int limit) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_LIMIT + ", got " + limit);
    }
    return new LogQuery(runId, nodeId, minLevel, since, afterSequence, limit);
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

  /** The cursor: only lines numbered above it are read; 0 for every line. */
  public long afterSequence() {
    return afterSequence;
  }

  public int limit() {
    return limit;
  }

  /** Whether {@code entry} is one this query asks for (the limit aside). */
  public boolean matches(LogEntry entry) {
    return entry.runId().equals(runId)
        && entry.seq() > afterSequence
        && (nodeId == null || entry.nodeId().filter(nodeId::equals).isPresent())
        && entry.level().compareTo(minLevel) >= 0
        && (since == null || !entry.time().isBefore(since));
  }

  @Override
  public String toString() {
    return "LogQuery{run=" + runId + (nodeId == null ? "" : " node=" + nodeId)
        + " minLevel=" + minLevel + (since == null ? "" : " since=" + since)
        + (afterSequence == 0 ? "" : " afterSequence=" + afterSequence) + " limit=" + limit + "}";
  }
}
