package dev.dagflow.store;

import dev.dagflow.state.RunState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A run as a listing shows it: a {@link RunRecord} without its spec snapshot and params, which
 * {@link RunStore#run} reads for one run. The fields mean what they mean there.
 *
 * @param specId the id of the spec the run started from
 */
public record RunSummary(String runId, String specId, RunState state, String scopeKey,
    Optional<String> project, Optional<String> template, int templateVersion, int priority,
    Instant createdAt, Optional<Instant> startedAt, Optional<Instant> endedAt,
    Optional<String> cause, int chainDepth, Optional<String> startKey,
    Optional<String> idempotencyKey) {

  public RunSummary {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(specId, "specId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(scopeKey, "scopeKey");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(cause, "cause");
    Objects.requireNonNull(startKey, "startKey");
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
  }
}
