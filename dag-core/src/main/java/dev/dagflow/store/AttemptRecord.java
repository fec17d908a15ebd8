package dev.dagflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One attempt of a node: when it started and ended, and its result or error.
 *
 * @param attempt the attempt's number, from 1
 * @param engineRef the executor's reference for it (a remote task id), if it gave one
 */
public record AttemptRecord(String runId, String nodeId, int attempt, Instant startedAt,
    Optional<Instant> endedAt, AttemptOutcome outcome, Optional<JsonNode> result,
    Optional<String> errorCode, Optional<String> errorMessage, Optional<String> engineRef) {

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
