package dev.dagflow.engine.internal;

import java.time.Instant;

/**
 * A node waiting in a pool's queue: first by run priority, then node priority (both higher
 * first), then the order it became ready; {@code readyAt} is when, on the engine's time source.
 */
record ReadyNode(ActiveRun run, int node, int runPriority, int nodePriority, long seq,
    Instant readyAt)
    implements Comparable<ReadyNode> {

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
