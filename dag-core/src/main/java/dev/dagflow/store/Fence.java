package dev.dagflow.store;

import java.util.Objects;

/**
 * What a writer of a run shows the store: the engine instance that owns the run and the epoch
 * of its lease. A store refuses a write whose epoch is not the run's current one (see {@link
 * LeaseLostException}); the owner is carried for the message.
 *
 * @param owner the id of the engine instance that writes
 * @param epoch the epoch of its lease, from 1: every claim of the run raises it
 */
public record Fence(String owner, long epoch) {
  public Fence {
    Objects.requireNonNull(owner, "owner");
    if (epoch < 1) {
      throw new IllegalArgumentException("epoch must be at least 1, got " + epoch);
    }
  }

  @Override
  public String toString() {
    return owner + "@" + epoch;
  }
}
