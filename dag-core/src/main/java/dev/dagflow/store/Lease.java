package dev.dagflow.store;

import java.time.Instant;
import java.util.Objects;

/**
 * An engine instance's hold on one run, as the store granted it: the instance writes the run
 * with {@link #fence()} and renews the lease before {@link #expiresAt()}, a time on the
 * store's clock. Once it has expired, another instance may claim the run, which raises the
 * epoch and so fences the former owner's writes off.
 *
 * @param runId the run
 * @param owner the id of the engine instance that holds it
 * @param epoch raised by every claim of the run, from 1 at its creation
 * @param expiresAt when the lease expires unless renewed, on the store's clock
 */
public record Lease(String runId, String owner, long epoch, Instant expiresAt) {
  public Lease {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(expiresAt, "expiresAt");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be at least 1, got " + epoch);
    }
  }

  /** What the holder writes the run with. */
  public Fence fence() {
    return new Fence(owner, epoch);
  }
}
