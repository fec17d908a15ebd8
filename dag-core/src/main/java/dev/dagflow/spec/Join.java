package dev.dagflow.spec;

/** How a node combines its incoming edges. */
public enum Join {
  /** Every edge must be satisfied; one edge that can never be satisfied skips the node. */
  ALL,
  /** The first satisfied edge opens the node; it is skipped only if no edge can be satisfied. */
  ONE
}
