package dev.dagflow.store;

import java.util.Objects;
import java.util.Optional;

/**
 * A write of a run was refused because the run has been claimed since the writer's lease was
 * granted (its epoch is no longer the run's): the writer must drop the run and write nothing
 * more of it. Never worth retrying.
 */
public final class LeaseLostException extends StoreException {
  private static final long serialVersionUID = 1L;

  private final String runId;
  private final Fence fence;
  private final long currentEpoch;
  private final String currentOwner;

  /**
   * @param fence what the refused writer showed
   * @param currentEpoch the run's epoch in the store
   * @param currentOwner the instance that holds the run now; empty if nobody does
   */
  public LeaseLostException(String operation, String runId, Fence fence, long currentEpoch,
      Optional<String> currentOwner) {
    super(operation, "the lease of run " + runId + " was lost: written by " + fence.owner()
        + " at epoch " + fence.epoch() + ", but the run is at epoch " + currentEpoch
        + currentOwner.map(o -> ", owned by " + o).orElse(", owned by nobody"));
    this.runId = Objects.requireNonNull(runId, "runId");
    this.fence = fence;
    this.currentEpoch = currentEpoch;
    this.currentOwner = currentOwner.orElse(null);
  }

  public String runId() {
    return runId;
  }

  /** What the refused writer showed. */
  public Fence fence() {
    return fence;
  }

  /** The run's epoch in the store when the write was refused. */
  public long currentEpoch() {
    return currentEpoch;
  }

  /** Who held the run when the write was refused; empty if nobody did. */
  public Optional<String> currentOwner() {
    return Optional.ofNullable(currentOwner);
  }
}
