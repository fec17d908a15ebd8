package dev.dagflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * One attempt of a node: when it started and ended, its result or error, and the reference its
 * executor reported for it. The engine stores an attempt RUNNING before it calls the executor,
 * so every execution is on record under its {@link #idempotencyKey()}; a reference the executor
 * reports is stored in a write of its own as soon as it arrives, and later writes of the attempt
 * keep it.
 *
 * @param attempt the attempt's number, from 1
 * @param engineRef the executor's reference for it (a remote task id), if it reported one: at
 *     most {@link #MAX_ENGINE_REF_LENGTH} characters, which every store keeps
 * @param readyAt when its node became READY for it, if known (not for a node inside a subtree
 *     another executor runs, nor for attempts stored before dagflow recorded it): {@link
 *     #queueTime()} is the wait from there to {@link #startedAt}
 * @param usage the figures its executor reported ({@code cpu_percent}, {@code memory_mb}, any
 *     name): at most {@link #MAX_USAGE_FIGURES}, each name following {@link #USAGE_NAME}, each
 *     value finite; sorted by name, unmodifiable
 */
public record AttemptRecord(String runId, String nodeId, int attempt, Instant startedAt,
    Optional<Instant> endedAt, AttemptOutcome outcome, Optional<JsonNode> result,
    Optional<String> errorCode, Optional<String> errorMessage, Optional<String> engineRef,
    Optional<Instant> readyAt, Map<String, Double> usage) {

  /** The longest engine reference an executor may report, in characters. */
  public static final int MAX_ENGINE_REF_LENGTH = 512;

  /** The most usage figures one attempt keeps. */
  public static final int MAX_USAGE_FIGURES = 32;

  /** What a usage figure's name looks like. */
  public static final Pattern USAGE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.]{0,63}");

  /** An attempt without a ready time or usage figures, as stored before they were recorded. */
  public AttemptRecord(String runId, String nodeId, int attempt, Instant startedAt,
      Optional<Instant> endedAt, AttemptOutcome outcome, Optional<JsonNode> result,
      Optional<String> errorCode, Optional<String> errorMessage, Optional<String> engineRef) {
    this(runId, nodeId, attempt, startedAt, endedAt, outcome, result, errorCode, errorMessage,
        engineRef, Optional.empty(), Map.of());
  }

  public AttemptRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1, got " + attempt);
    }
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(errorCode, "errorCode");
    Objects.requireNonNull(errorMessage, "errorMessage");
    Objects.requireNonNull(engineRef, "engineRef");
    Objects.requireNonNull(readyAt, "readyAt");
    usage = checkedUsage(usage);
  }

  private static Map<String, Double> checkedUsage(Map<String, Double> usage) {
    Objects.requireNonNull(usage, "usage");
    if (usage.isEmpty()) {
      return Map.of();
    }
    if (usage.size() > MAX_USAGE_FIGURES) {
      throw new IllegalArgumentException("usage has " + usage.size() + " figures; at most "
          + MAX_USAGE_FIGURES);
    }
    TreeMap<String, Double> sorted = new TreeMap<>();
    usage.forEach((name, value) -> {
      checkUsage(name, value);
      sorted.put(name, value);
    });
    return Collections.unmodifiableSortedMap(sorted);
  }

  /**
   * Checks one usage figure.
   *
   * @throws NullPointerException if either is null
   * @throws IllegalArgumentException naming the figure, if the name breaks {@link #USAGE_NAME}
   *     or the value is not finite
   */
  public static void checkUsage(String name, Double value) {
    Objects.requireNonNull(name, "usage name");
    Objects.requireNonNull(value, "usage value");
    if (!USAGE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("usage name '" + name + "' must match "
          + USAGE_NAME.pattern());
    }
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("usage." + name + " must be a finite number, got "
          + value);
    }
  }

  /** A running attempt. */
  public static AttemptRecord started(String runId, String nodeId, int attempt, Instant at) {
    return new AttemptRecord(runId, nodeId, attempt, at, Optional.empty(), AttemptOutcome.RUNNING,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This attempt, its node READY since {@code at}. */
  public AttemptRecord withReadyAt(Instant at) {
    return new AttemptRecord(runId, nodeId, attempt, startedAt, endedAt, outcome, result,
        errorCode, errorMessage, engineRef, Optional.of(at), usage);
  }

  /** This attempt with usage figure {@code name} set to {@code value}. */
  public AttemptRecord withUsage(String name, double value) {
    checkUsage(name, value);
    Map<String, Double> more = new TreeMap<>(usage);
    more.put(name, value);
    return new AttemptRecord(runId, nodeId, attempt, startedAt, endedAt, outcome, result,
        errorCode, errorMessage, engineRef, readyAt, more);
  }

  /** How long its node waited from READY to this attempt's start; empty if not known. */
  public Optional<Duration> queueTime() {
    return readyAt.map(ready -> Duration.between(ready, startedAt));
  }

  /** This attempt, ended at {@code at} with {@code outcome}, result or error. */
  public AttemptRecord ended(Instant at, AttemptOutcome outcome, JsonNode result, String errorCode,
      String errorMessage) {
    return new AttemptRecord(runId, nodeId, attempt, startedAt, Optional.of(at), outcome,
        Optional.ofNullable(result), Optional.ofNullable(errorCode),
        Optional.ofNullable(errorMessage), engineRef, readyAt, usage);
  }

  /**
   * The attempt's idempotency key, {@code runId:nodeId:attempt}: the one its executor was given
   * ({@code NodeContext.idempotencyKey()}).
   */
  public String idempotencyKey() {
    return runId + ":" + nodeId + ":" + attempt;
  }

  /** This attempt with the executor's reference. */
  public AttemptRecord withEngineRef(String ref) {
    return new AttemptRecord(runId, nodeId, attempt, startedAt, endedAt, outcome, result,
        errorCode, errorMessage, Optional.of(ref), readyAt, usage);
  }

  /** How long it ran; empty while it runs. */
  public Optional<Duration> duration() {
    return endedAt.map(end -> Duration.between(startedAt, end));
  }
}
