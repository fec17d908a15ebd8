package dev.dagflow.eval;

import java.util.Objects;

/** One condition a waiting node still needs before it can start. Immutable. */
public final class Gate {
  /** The kinds of gate. */
  public enum Kind {
    /** An incoming edge not yet satisfied. */
    EDGE,
    /** The parent container is not running yet. */
    CONTAINER,
    /** The node's not-before time (or retry backoff) has not come. */
    NOT_BEFORE,
    /** The activation condition is not evaluated yet (it is, once every other gate is open). */
    ACTIVATION,
    /** A concurrency limit of the policy (reported by the engine). */
    CONCURRENCY,
    /** The run is paused (reported by the engine). */
    PAUSED
  }

  private final Kind kind;
  private final String description;

  public Gate(Kind kind, String description) {
    this.kind = Objects.requireNonNull(kind, "kind");
    this.description = Objects.requireNonNull(description, "description");
  }

  public Kind kind() {
    return kind;
  }

  /** What the gate waits for, for people: {@code waits for 'build' to be COMPLETED (it is RUNNING)}. */
  public String description() {
    return description;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Gate g && kind == g.kind && description.equals(g.description);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, description);
  }

  @Override
  public String toString() {
    return kind + ": " + description;
  }
}
