package dev.dagflow.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A run was not created because its idempotency key points at another stored run, which the
 * {@link KeyReuse} of the create did not let it take the key from (see {@link
 * RunStore#create(RunRecord, String, java.time.Duration, KeyReuse)}). Nothing of the refused run
 * is stored.
 */
public final class IdempotencyKeyTakenException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String project;
  private final String idempotencyKey;
  private final String existingRunId;

  /**
   * @param project the project the key is claimed in; empty for the global scope
   * @param idempotencyKey the key both runs have
   * @param existingRunId the key's current run
   */
  public IdempotencyKeyTakenException(String operation, Optional<String> project,
      String idempotencyKey, String existingRunId) {
    super(operation, "idempotency key '" + idempotencyKey + "' of "
        + project.map(p -> "project " + p).orElse("the global scope") + " is taken by run "
        + existingRunId);
    this.project = project.orElse(null);
    this.idempotencyKey = Objects.requireNonNull(idempotencyKey, "idempotencyKey");
    this.existingRunId = Objects.requireNonNull(existingRunId, "existingRunId");
  }

  /** The project the key is claimed in; empty for the global scope. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** The idempotency key of the refused run, and of the stored one. */
  public String idempotencyKey() {
    return idempotencyKey;
  }

  /** The id of the key's current run. */
  public String existingRunId() {
    return existingRunId;
  }
}
