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
 *
 * <p>A store keeps times to the millisecond at least: an {@link java.time.Instant} may be read back
 * truncated to the millisecond. Lists handed out are unmodifiable and never {@code null}.
 */
public interface RunStore {

  /**
   * Stores a new run.
   *
   * @throws StoreException if a run with the same id exists
   */
  void create(RunRecord run);

  /**
   * Writes one step's changes at once: all of them, or none when it throws.
   *
   * @throws StoreException if the run does not exist; if a node record, attempt, transition or
   *     history entry names a node that is not in the run's spec (the message names it); or if
   *     the new run record has another spec or creation time than the stored one
   */
  void apply(RunChanges changes);

  /** The run; empty if there is none with this id. */
  Optional<RunRecord> run(String runId);

  /**
   * The records of the nodes that have one, in no particular order; a node without a record
   * is PENDING. Empty for an unknown run.
   */
  List<NodeRecord> nodes(String runId);

  /**
   * The run's attempts, ordered by node (in the order of the spec's nodes) then attempt number;
   * empty for an unknown run.
   */
  List<AttemptRecord> attempts(String runId);

  /** The run's transitions in the order they were applied; empty for an unknown run. */
  List<StateTransition> transitions(String runId);

  /** The run's history in the order it was applied; empty for an unknown run. */
  List<HistoryEntry> history(String runId);

  /**
   * One page of the runs {@code query} asks for, newest first: by creation time descending, then
   * by run id descending; {@link Page#total()} counts every match.
   */
  Page<RunRecord> list(RunQuery query);

  /**
   * The ids of every run that has not ended (PENDING, RUNNING or PAUSED), for recovery, oldest
   * first (the reverse of {@link #list} order). Reads run records only, never node data.
   */
  List<String> unfinished();
}
