package dev.dagflow.state;

/** What caused a state transition. */
public enum TriggerType {
  /** The engine's own progress: a run started, a node was dispatched or succeeded. */
  SYSTEM,
  /** A person or a host service: stop, retry, restart. */
  USER,
  /** Dependency evaluation: gates opened, or an edge became unsatisfiable. */
  DEPENDENCY,
  /** An attempt exceeded its timeout. */
  TIMEOUT,
  /** An attempt or a container set-up failed. */
  ERROR
}
