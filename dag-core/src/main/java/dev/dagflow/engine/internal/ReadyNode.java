package dev.dagflow.engine.internal;

/**
 * A node waiting in a pool's queue: first by run priority, then node priority (both higher
 * first), then the order it became ready.
 *
 * @param recovered whether it was running when a previous engine stopped, so its attempt is
 *     re-attached or started again without a new dispatch
 */
record ReadyNode(ActiveRun run, int node, int runPriority, int nodePriority, long seq,
    boolean recovered) implements Comparable<ReadyNode> {

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
