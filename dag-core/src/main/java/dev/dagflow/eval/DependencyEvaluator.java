package dev.dagflow.eval;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.eval.internal.IncrementalEvaluator;
import dev.dagflow.spec.DagSpec;
import java.time.Instant;

/**
 * SPI: decides when the nodes of a run may start, from the states of the nodes they depend on,
 * their containers, their not-before times and their activation conditions.
 *
 * <p>The engine calls {@link #newRun} once per run, on the thread that serialises the run's state
 * changes, and then drives the returned {@link RunEvaluation} from that thread only.
 * Implementations must be thread-safe (several runs start at once); the evaluations they return
 * need not be.
 */
public interface DependencyEvaluator {

  /**
   * Prepares the evaluation of one run; nothing happens until {@link RunEvaluation#start()}.
   *
   * @param params the run's parameters, read by activation conditions as {@code params.…}
   * @param startTime when the run starts: the origin of node delays and the evaluation's clock
   * @param listener told of every state change, on the calling thread, as it happens
   */
  RunEvaluation newRun(DagSpec spec, ObjectNode params, Instant startTime,
      TransitionListener listener);

  /**
   * The default evaluator: incremental, so a whole run costs O(nodes + edges + containment
   * links), never a scan of the graph per event. Thread-safe; caches one compiled plan per spec
   * instance while the spec is reachable.
   */
  static DependencyEvaluator incremental() {
    return IncrementalEvaluator.INSTANCE;
  }
}
