package dev.dagflow.state;

import java.util.EnumSet;
import java.util.Set;

/**
 * The state of a run: {@code PENDING → RUNNING ⇄ PAUSED → COMPLETED | FAILED | STOPPED}, and
 * {@code FAILED | STOPPED → RUNNING} on a manual retry.
 */
public enum RunState {
  /** Created, not started. */
  PENDING,
  /** Nodes are dispatched as they become ready. */
  RUNNING,
  /** No new dispatch; running nodes finish. */
  PAUSED,
  /** Every node completed or was skipped. */
  COMPLETED,
  /** Every node ended and at least one failed or timed out. */
  FAILED,
  /** Stopped by a user. */
  STOPPED;

  /** Whether the run has ended in this state. */
  public boolean isTerminal() {
    return this == COMPLETED || this == FAILED || this == STOPPED;
  }

  /** The states this one may move to. */
  public Set<RunState> next() {
    return switch (this) {
      case PENDING -> EnumSet.of(RUNNING, STOPPED);
      case RUNNING -> EnumSet.of(PAUSED, COMPLETED, FAILED, STOPPED);
      case PAUSED -> EnumSet.of(RUNNING, COMPLETED, FAILED, STOPPED);
      case COMPLETED -> EnumSet.noneOf(RunState.class);
      case FAILED, STOPPED -> EnumSet.of(RUNNING);
    };
  }

  /**
   * The state of a run whose nodes have all ended: {@link #STOPPED} if the run was stopped;
   * else {@link #FAILED} if a node failed or timed out; else {@link #STOPPED} if a node was
   * stopped; else {@link #COMPLETED} (every node completed or was skipped).
   */
  public static RunState ended(boolean runStopped, boolean anyFailed, boolean anyStopped) {
    if (runStopped) {
      return STOPPED;
    }
    if (anyFailed) {
      return FAILED;
    }
    return anyStopped ? STOPPED : COMPLETED;
  }

  /** Whether moving from this state to {@code next} is legal. */
  public boolean canBecome(RunState next) {
    return next().contains(next);
  }
}
