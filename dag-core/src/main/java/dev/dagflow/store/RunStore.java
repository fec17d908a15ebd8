package dev.dagflow.store;

import dev.dagflow.state.StateTransition;
import java.util.List;
import java.util.Optional;

/**
 * SPI: where runs live. The engine writes a run's record once with {@link #create} and then
 * every step's changes with {@link #apply}; it reads runs back for views, listings, manual
 * retries of ended runs and recovery.
 *
 * <p>Implementations are thread-safe. The engine never applies two changes of one run at once,
 * but applies changes of different runs concurrently, and reads at any time; a read sees each
 * {@link #apply} whole or not at all.
 */
public interface RunStore {

  /**
   * Stores a new run.
   *
   * @throws StoreException if a run with the same id exists
   */
  void create(RunRecord run);

  /**
   * Writes one step's changes at once.
   *
   * @throws StoreException if the run does not exist
   */
  void apply(RunChanges changes);

  /** The run; empty if there is none with this id. */
  Optional<RunRecord> run(String runId);

  /**
   * The records of the nodes that have one, in no particular order; a node without a record
   * is PENDING. Empty for an unknown run.
   */
  List<NodeRecord> nodes(String runId);

  /** The run's attempts, ordered by node then attempt number; empty for an unknown run. */
  List<AttemptRecord> attempts(String runId);

  /** The run's transitions in the order they were applied; empty for an unknown run. */
  List<StateTransition> transitions(String runId);

  /** The run's history in the order it was applied; empty for an unknown run. */
  List<HistoryEntry> history(String runId);

  /** One page of the runs {@code query} asks for, newest first (by creation, then id). */
  Page<RunRecord> list(RunQuery query);

  /** The ids of every run that has not ended (PENDING, RUNNING or PAUSED), for recovery. */
  List<String> unfinished();
}
