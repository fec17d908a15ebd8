package dev.dagflow.state;

/** The state of one node in one run. The last five are terminal. */
public enum NodeState {
  /** Created; the run has not started. */
  PENDING(false),
  /** Waiting for its gates: edges, container, not-before time, activation. */
  WAITING(false),
  /** Every gate is open; queued for dispatch. */
  READY(false),
  /** A container whose environment is being set up. */
  INITIALIZING(false),
  /** An attempt is running (a container: its children may run). */
  RUNNING(false),
  /** Succeeded. */
  COMPLETED(true),
  /** Failed with no attempt left. */
  FAILED(true),
  /** Its last attempt exceeded the timeout. */
  TIMED_OUT(true),
  /** Stopped by a user. */
  STOPPED(true),
  /** Never ran: an edge could not be satisfied, or its activation was false. */
  SKIPPED(true);

  private final boolean terminal;

  NodeState(boolean terminal) {
    this.terminal = terminal;
  }

  /** Whether the node has ended in this state. */
  public boolean isTerminal() {
    return terminal;
  }
}
