package dev.dagflow.engine.internal;

import java.time.Instant;

/**
 * A node waiting in a pool's queue: first by run priority, then node priority (both higher
 * first), then the order it became ready; {@code readyAt} is when, on the engine's time source.
 * {@code begun} is null for a node to start, or its attempt begun already, queued again once its
 * RUNNING record is durable.
 */
record ReadyNode(ActiveRun run, int node, int runPriority, int nodePriority, long seq,
    Instant readyAt, Attempt begun)
    implements Comparable<ReadyNode> {

  ReadyNode(ActiveRun run, int node, int runPriority, int nodePriority, long seq,
      Instant readyAt) {
    this(run, node, runPriority, nodePriority, seq, readyAt, null);
  }

  /** This entry again, for {@code attempt} begun from it: in the same place of the order. */
  ReadyNode resuming(Attempt attempt) {
    return new ReadyNode(run, node, runPriority, nodePriority, seq, readyAt, attempt);
  }

  @Override
  public int compareTo(ReadyNode o) {
    if (runPriority != o.runPriority) {
      return Integer.compare(o.runPriority, runPriority);
    }
    if (nodePriority != o.nodePriority) {
      return Integer.compare(o.nodePriority, nodePriority);
    }
    return Long.compare(seq, o.seq);
  }
}
