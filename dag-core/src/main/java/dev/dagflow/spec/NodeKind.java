package dev.dagflow.spec;

/** What a node is: a unit of work, or a group whose state is derived from its children. */
public enum NodeKind {
  /** A node executed by the executor registered for its task type. */
  TASK,
  /**
   * A node that groups children. Its children start only once it is running, and it ends when
   * they have all ended. It may have a task type, whose executor then sets up its environment.
   */
  CONTAINER
}
