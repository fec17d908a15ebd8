package dev.dagflow.spec;

/**
 * When an edge is satisfied, judged against the state of its upstream node.
 *
 * <table>
 *   <caption>Edge types</caption>
 *   <tr><th>type</th><th>satisfied when upstream is</th><th>never satisfiable when</th></tr>
 *   <tr><td>{@link #SUCCESS}</td><td>COMPLETED</td><td>any other terminal state</td></tr>
 *   <tr><td>{@link #FINISH}</td><td>any terminal state</td><td>never</td></tr>
 *   <tr><td>{@link #FAILURE}</td><td>FAILED or TIMED_OUT</td>
 *       <td>COMPLETED, SKIPPED, STOPPED</td></tr>
 *   <tr><td>{@link #ANY}</td><td>any state, even before it starts</td><td>never</td></tr>
 * </table>
 *
 * <p>An edge with a condition is decided when its upstream ends: an {@code ANY} edge with a
 * condition waits for that, as {@code FINISH} does, and is then satisfied if the condition
 * matches (see {@link Edge}).
 */
public enum EdgeType {
  /** The upstream completed successfully. The default. */
  SUCCESS,
  /** The upstream ended, whatever its outcome. */
  FINISH,
  /** The upstream failed or timed out. */
  FAILURE,
  /** Ordering and lineage only: always satisfied. */
  ANY
}
