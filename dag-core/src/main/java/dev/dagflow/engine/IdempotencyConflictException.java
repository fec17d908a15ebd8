package dev.dagflow.engine;

import dev.dagflow.DagflowException;
import java.util.Objects;
import java.util.Optional;

/**
 * A submit was refused because its idempotency key names a run already and its {@link
 * IdempotencyStrategy} is {@link IdempotencyStrategy#FAIL FAIL}, or {@link
 * IdempotencyStrategy#FAIL_ON_RUNNING FAIL_ON_RUNNING} and that run has not ended. Nothing was
 * stored. Carries the key, its project and the existing run's id.
 */
public final class IdempotencyConflictException extends DagflowException {
  private static final long serialVersionUID = 1L;

  private final String idempotencyKey;
  private final String project;
  private final String existingRunId;
  private final IdempotencyStrategy strategy;

  /**
   * Creates the exception.
   *
   * @param idempotencyKey the request's key
   * @param project the project the key belongs to; empty for the global scope
   * @param existingRunId the run the key names
   * @param strategy the request's strategy, {@code FAIL} or {@code FAIL_ON_RUNNING}
   */
  public IdempotencyConflictException(String idempotencyKey, Optional<String> project,
      String existingRunId, IdempotencyStrategy strategy) {
    super("idempotency key '" + idempotencyKey + "' of "
        + project.map(p -> "project " + p).orElse("the global scope") + " names run "
        + existingRunId + (strategy == IdempotencyStrategy.FAIL_ON_RUNNING
            ? ", which has not ended (strategy FAIL_ON_RUNNING)"
            : " (strategy " + strategy + ")"));
    this.idempotencyKey = Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    this.project = project.orElse(null);
    this.existingRunId = Objects.requireNonNull(existingRunId, "existingRunId");
    this.strategy = Objects.requireNonNull(strategy, "strategy");
  }

  /** The request's idempotency key. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** The project the key belongs to; empty for the global scope. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** The id of the run the key names. */
  public String existingRunId() {
    return existingRunId;
  }

  /** The request's strategy. */
  public IdempotencyStrategy strategy() {
    return strategy;
  }
}
