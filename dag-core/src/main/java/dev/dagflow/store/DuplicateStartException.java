package dev.dagflow.store;

import java.util.Objects;

/**
 * A run was not created because a stored run has its start key already (see {@link
 * RunRecord#startKey()}): the start it stands for has happened. Nothing of the refused run is
 * stored. Never worth retrying with the same key.
 */
public final class DuplicateStartException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String startKey;
  private final String existingRunId;

  /**
   * @param startKey the key both runs have
   * @param existingRunId the stored run that has it
   */
  public DuplicateStartException(String operation, String startKey, String existingRunId) {
    super(operation, "start key '" + startKey + "' is taken by run " + existingRunId);
    this.startKey = Objects.requireNonNull(startKey, "startKey");
    this.existingRunId = Objects.requireNonNull(existingRunId, "existingRunId");
  }

  /** The start key of the refused run, and of the stored one. */
  public String startKey() {
    return startKey;
  }

  /** The id of the stored run that has the key. */
  public String existingRunId() {
    return existingRunId;
  }
}
