package dev.dagflow.eval;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.state.RunState;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.TriggerType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

/**
 * The node states of one run, driven by the engine: it is told what happened to nodes (started,
 * completed, failed, timed out, stopped, time passed) and applies the node state machine, opening
 * gates and skipping what can no longer run. Each change is reported to the {@link
 * TransitionListener} at once; a change to READY is the cue to dispatch.
 *
 * <p>Nodes are named by their position in the spec's node list ({@code spec.indexOf(id)}); a
 * position outside it throws {@link IllegalArgumentException}.
 * Not thread-safe: the engine serialises all calls of one run. A call that asks for a transition
 * the state machine does not allow throws {@link dev.dagflow.state.IllegalTransitionException}
 * and changes nothing. The listener must not throw: the engine wraps user code before it gets
 * here.
 */
public interface RunEvaluation {

  /**
   * Moves every node from PENDING to WAITING and opens what can be opened. Once only. A spec
   * with {@link dev.dagflow.spec.DagSpec#targets() targets} has the nodes they do not need
   * SKIPPED first, before anything opens, and a retry never re-opens those.
   */
  void start();

  /** A READY node was handed to its executor: a task becomes RUNNING, a container INITIALIZING
   * (and at once RUNNING if it has no task type). */
  void dispatched(int node);

  /** An INITIALIZING container's set-up finished: it becomes RUNNING and its children may start. */
  void containerReady(int node);

  /** A RUNNING task succeeded with {@code result} (JSON null when it returned nothing). */
  void completed(int node, JsonNode result);

  /** A RUNNING task, or an INITIALIZING container, failed for good. */
  void failed(int node, String reason);

  /** A RUNNING task exceeded its timeout and has no attempt left. */
  void timedOut(int node, String reason);

  /**
   * The executor that ran the whole subtree of a container elsewhere has ended, and the
   * container is RUNNING: every node inside that has not ended ends now, a RUNNING task
   * FAILED, a READY one STOPPED, a WAITING one SKIPPED, each with {@code reason}. With {@code
   * failed} the container itself ends FAILED with {@code reason}, and so does every container
   * inside still running; without, their states follow their children, as always.
   *
   * @throws IllegalArgumentException if the node is not a RUNNING container
   * @throws UnsupportedOperationException by default: an evaluator of a host's that does not
   *     implement it cannot run containers whose executor runs the subtree
   */
  default void subtreeEnded(int node, boolean failed, String reason) {
    throw new UnsupportedOperationException("this evaluator cannot end a container's subtree");
  }

  /**
   * A RUNNING task's attempt failed or timed out and it will be tried again: it waits until
   * {@code at}.
   *
   * @param trigger {@link TriggerType#ERROR} or {@link TriggerType#TIMEOUT}
   */
  void retryAt(int node, Instant at, TriggerType trigger, String reason);

  /**
   * Stops a node that has not ended, and every node inside it if it is a container; a node that
   * has ended is left as it is.
   */
  void stop(int node, String reason);

  /**
   * As {@link #stop(int, String)}, reported with {@code trigger}: {@link TriggerType#USER} for a
   * stop someone asked for, {@link TriggerType#SYSTEM} for one the engine decides (fail-fast).
   *
   * @throws IllegalArgumentException if {@code trigger} is neither
   */
  void stop(int node, TriggerType trigger, String reason);

  /**
   * The run's deadline passed: every node that has not ended ends now, a RUNNING task
   * TIMED_OUT (trigger TIMEOUT), an INITIALIZING container FAILED, a WAITING or READY node
   * STOPPED (trigger SYSTEM), each with {@code reason}; running containers follow their
   * children. The run's outcome is FAILED, whatever the nodes' states. Does nothing once the
   * run ended.
   *
   * @throws UnsupportedOperationException by default: an evaluator of a host's that does not
   *     implement it cannot apply run deadlines
   */
  default void deadlinePassed(String reason) {
    throw new UnsupportedOperationException("this evaluator cannot apply a run deadline");
  }

  /**
   * Stops every node that has not ended, so the run ends STOPPED; before {@link #start()} every
   * node goes from PENDING to STOPPED and the run never starts. Does nothing once the run ended.
   */
  void stopRun(String reason);

  /**
   * Retries an ended node by hand: it goes back to WAITING, and so does every container above it
   * that ended (a still-open one counts it as open again), and, transitively, every node
   * downstream of those (by any edge, or inside a re-opened container) that was SKIPPED or
   * STOPPED. Nodes that ran keep their states. Each re-opened node's gates are derived afresh
   * from the current states (a retry's backoff is dropped), so it goes READY at once if they are
   * open, or SKIPPED again if it can never run. The run is no longer stopped, and has no outcome
   * until every node has ended again. Every change is reported with {@link TriggerType#USER} and
   * {@code reason}; the cost is that of the nodes re-opened, their edges and children.
   *
   * @throws dev.dagflow.state.IllegalTransitionException if the node is not FAILED, TIMED_OUT or
   *     STOPPED
   * @throws IllegalStateException if the run has not started, or a container above the node has
   *     COMPLETED (nothing is changed)
   */
  void reopen(int node, String reason);

  /**
   * Instead of {@link #start()}: takes up a run from the states a previous process stored, without
   * reporting them, re-derives every gate from them, and then reports and applies what they
   * imply (a waiting node whose gates are open goes READY, one that can never run SKIPPED, a
   * running container whose children have all ended completes or fails, …). READY, INITIALIZING
   * and RUNNING nodes keep their states: the engine dispatches them again. If every state is
   * PENDING the run never started, and this is {@link #start()}. The evaluation's clock stands at
   * the run's start time until {@link #advanceTo}.
   *
   * @param states the state of every node, by position
   * @param results the result of a COMPLETED node, or {@code null} if unknown or none; asked only
   *     for nodes whose result an edge condition reads
   * @param waitUntil for a WAITING task waiting out a retry's backoff, the time it may start
   *     again, else {@code null}; such a task waits for nothing else
   * @param runStopped whether the run was stopped (then every node must have ended)
   * @throws IllegalArgumentException if {@code states} does not have one non-null entry per node,
   *     holds a state the node's kind cannot have, or states that contradict each other (named in
   *     the message); nothing is changed
   * @throws IllegalStateException if the run was started or restored already
   */
  void restore(List<NodeState> states, IntFunction<JsonNode> results,
      IntFunction<Instant> waitUntil, boolean runStopped);

  /** Time is now {@code now}: opens the not-before gates that have come due. */
  void advanceTo(Instant now);

  /** The node's state. */
  NodeState state(int node);

  /** The run's state once every node has ended; empty before. */
  Optional<RunState> outcome();

  /** The earliest time a waiting node's not-before gate opens, if any node waits only on time. */
  Optional<Instant> nextWakeUp();

  /**
   * The node's state and every gate still closed, a not-before gate told against the
   * evaluation's own clock (the time of its last step).
   */
  NodeExplanation explain(int node);

  /**
   * The node's state and every gate still closed, a not-before gate told against {@code now},
   * the caller's current time.
   */
  NodeExplanation explain(int node, Instant now);

  /** Out-edges and containment links visited so far: a diagnostic of the evaluator's cost. */
  long edgeVisits();
}
