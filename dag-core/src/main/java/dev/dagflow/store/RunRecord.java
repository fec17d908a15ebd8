package dev.dagflow.store;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.IdempotencyKeys;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A stored run: its definition, written once at {@link RunStore#create} (the full snapshot of
 * the spec it started from, its parameters, template, cause, creation time), and its {@link
 * RunStatus}, which changes as it runs (state, start and end times).
 *
 * @param scopeKey the worker key of its scope (per run for a project that does not reuse
 *     workers)
 * @param project the project of its scope, if it has one
 * @param template the template it was started from, if any
 * @param templateVersion that template's version, 0 without one
 * @param cause what started the run: the id of the event whose trigger started it; empty for
 *     a run submitted directly
 * @param chainDepth how many trigger-started runs led to this one: 0 for a run submitted
 *     directly or started by an outside event, the event's depth otherwise
 * @param startKey what makes the start that created this run happen once: unique across a
 *     {@link RunStore}, which refuses a second run with the same key ({@link
 *     DuplicateStartException}). A trigger's firing has {@code trigger:<triggerId>/<eventId>};
 *     empty for a run that may be started any number of times. Not blank, at most {@link
 *     #MAX_START_KEY_LENGTH} characters.
 * @param idempotencyKey the key the run was submitted with, to be started once in its project
 *     (a run without a project: in the global scope); empty for none. Unlike a start key it is
 *     claimed in a record of its own that points at the key's current run (see {@link
 *     RunStore#create(RunRecord, String, java.time.Duration, KeyReuse)}). 1 to {@link
 *     #MAX_IDEMPOTENCY_KEY_LENGTH} visible ASCII characters.
 */
public record RunRecord(String runId, DagSpec spec, ObjectNode params, RunState state,
    String scopeKey, Optional<String> project, Optional<String> template, int templateVersion,
    int priority, Instant createdAt, Optional<Instant> startedAt, Optional<Instant> endedAt,
    Optional<String> cause, int chainDepth, Optional<String> startKey,
    Optional<String> idempotencyKey) {

  /**
   * The longest start key: room for a trigger's, {@code trigger:} with a 128-character trigger id
   * and a 256-character event id.
   */
  public static final int MAX_START_KEY_LENGTH = 512;

  /** The longest idempotency key. */
  public static final int MAX_IDEMPOTENCY_KEY_LENGTH = IdempotencyKeys.MAX_LENGTH;

  public RunRecord {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(params, "params");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(scopeKey, "scopeKey");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(template, "template");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
    Objects.requireNonNull(cause, "cause");
    if (chainDepth < 0) {
      throw new IllegalArgumentException("chainDepth must not be negative, got " + chainDepth);
    }
    Objects.requireNonNull(startKey, "startKey");
    startKey.ifPresent(key -> {
      if (key.isBlank() || key.length() > MAX_START_KEY_LENGTH) {
        throw new IllegalArgumentException("startKey must be non-blank and at most "
            + MAX_START_KEY_LENGTH + " characters, was " + key.length() + " long");
      }
    });
    Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    idempotencyKey.ifPresent(key -> {
      if (!IdempotencyKeys.isValid(key)) {
        throw new IllegalArgumentException("idempotencyKey must be " + IdempotencyKeys.RULE
            + ", was '" + key + "'");
      }
    });
  }

  /** What changes as the run runs: what a step writes of the run itself. */
  public RunStatus status() {
    return new RunStatus(runId, state, startedAt, endedAt);
  }

  /** The definition with {@code status} (of this run): what the store reads back. */
  public RunRecord withStatus(RunStatus status) {
    if (!status.runId().equals(runId)) {
      throw new IllegalArgumentException("the status of run " + status.runId()
          + " is not run " + runId + "'s");
    }
    return new RunRecord(runId, spec, params, status.state(), scopeKey, project, template,
        templateVersion, priority, createdAt, status.startedAt(), status.endedAt(), cause,
        chainDepth, startKey, idempotencyKey);
  }

  /** This run as a listing shows it, without its spec and params. */
  public RunSummary summary() {
    return new RunSummary(runId, spec.id(), state, scopeKey, project, template,
        templateVersion, priority, createdAt, startedAt, endedAt, cause, chainDepth, startKey,
        idempotencyKey);
  }

  /** This run in {@code newState}; the start and end times follow. */
  public RunRecord withState(RunState newState, Instant at) {
    Optional<Instant> started = startedAt.isEmpty() && newState != RunState.PENDING
        ? Optional.of(at) : startedAt;
    Optional<Instant> ended = newState.isTerminal() ? Optional.of(at) : Optional.empty();
    return new RunRecord(runId, spec, params, newState, scopeKey, project, template,
        templateVersion, priority, createdAt, started, ended, cause, chainDepth, startKey,
        idempotencyKey);
  }
}
