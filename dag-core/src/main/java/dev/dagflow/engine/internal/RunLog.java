package dev.dagflow.engine.internal;

import dev.dagflow.store.Fence;
import dev.dagflow.store.Lease;
import java.util.Optional;

/**
 * One run's log as this engine writes it, under one lease: its lines are numbered after {@code
 * last} and carry {@code fence}. A run taken over again gets a new one. Made and used by {@link
 * LogWriter}, whose lock guards the mutable fields.
 */
final class RunLog {
  final String runId;
  final Fence fence;
  /** The run's project, for the echo of a line written after the run left the engine. */
  final Optional<String> project;
  /** The number last given out. */
  long last;
  /** The lines up to this number have been through the store: stored, refused or lost. */
  long written;
  /** Set once the store refused a batch: the run's log has a later owner. */
  boolean fencedOff;

  RunLog(Lease lease, Optional<String> project, long last) {
    this.runId = lease.runId();
    this.fence = lease.fence();
    this.project = project;
    this.last = last;
    this.written = last;
  }

  @Override
  public String toString() {
    return "RunLog{" + runId + " at " + fence + "}";
  }
}
