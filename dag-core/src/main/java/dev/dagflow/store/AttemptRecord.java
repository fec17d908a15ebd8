package dev.dagflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

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
 */
public record AttemptRecord(String runId, String nodeId, int attempt, Instant startedAt,
    Optional<Instant> endedAt, AttemptOutcome outcome, Optional<JsonNode> result,
    Optional<String> errorCode, Optional<String> errorMessage, Optional<String> engineRef) {

  /** The longest engine reference an executor may report, in characters. */
  public static final int MAX_ENGINE_REF_LENGTH = 512;

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
  }

  /** A running attempt. */
  public static AttemptRecord started(String runId, String nodeId, int attempt, Instant at) {
    return new AttemptRecord(runId, nodeId, attempt, at, Optional.empty(), AttemptOutcome.RUNNING,
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
  }

  /** This attempt, ended at {@code at} with {@code outcome}, result or error. */
  public AttemptRecord ended(Instant at, AttemptOutcome outcome, JsonNode result, String errorCode,
      String errorMessage) {
    return new AttemptRecord(runId, nodeId, attempt, startedAt, Optional.of(at), outcome,
        Optional.ofNullable(result), Optional.ofNullable(errorCode),
        Optional.ofNullable(errorMessage), engineRef);
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
        errorCode, errorMessage, Optional.of(ref));
  }

  /** How long it ran; empty while it runs. */
  public Optional<Duration> duration() {
    return endedAt.map(end -> Duration.between(startedAt, end));
  }
}
