package dev.dagflow.engine.internal;

/**
 * A node waiting in a pool's queue: first by run priority, then node priority (both higher
 * first), then the order it became ready.
 */
record ReadyNode(ActiveRun run, int node, int runPriority, int nodePriority, long seq)
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
