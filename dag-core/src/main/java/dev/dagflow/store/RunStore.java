package dev.dagflow.store;

import dev.dagflow.state.StateTransition;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * SPI: where runs live. The engine writes a run's record once with {@link #create} and then
 * every step's changes with {@link #apply}; it reads runs back for views, listings, manual
 * retries of ended runs and recovery.
 *
 * <p><b>Ownership.</b> Several engine instances may share one store. An instance owns a run
 * through a {@link Lease}: it gets one when it creates the run or {@link #claim claims} it,
 * {@link #renew renews} it well before it expires, and {@link #release releases} it when it
 * stops. Expiry is judged on the store's own clock (a database's {@code now()}), never on the
 * caller's, so that clock skew between hosts never takes a run from a live owner. Every claim
 * raises the run's epoch, and every {@link #apply} carries the writer's {@link Fence}: a write
 * whose epoch is not the run's current one throws {@link LeaseLostException}. Writes are fenced
 * on the epoch alone: a write on an expired lease that nobody has claimed yet succeeds. A write
 * that ends the run (a terminal state) releases its lease in the same operation.
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
   * Stores a new run, held by {@code owner} at epoch 1 for {@code leaseTime} from the store's
   * now, whatever its state (the engine creates runs PENDING).
   *
   * <p>A run's {@link RunRecord#startKey() start key} is unique across the store: a run whose key
   * a stored run has already is refused, and the check and the creation are one atomic step, so
   * of concurrent creates with one key exactly one stores its run. A refused create stores
   * nothing (neither the run nor its key). Keys are compared exactly, case included; runs
   * without a key never collide. A key stays taken as long as its run is stored (until {@link
   * #purgeEnded} deletes it).
   *
   * <p>A run's {@link RunRecord#idempotencyKey() idempotency key} is claimed in its project (a
   * run without a project: in the global scope) in the same atomic step: the store keeps one
   * record per project and key that points at the key's current run. With no record yet, the
   * run is created and the record points at it; with one, {@code reuse} decides: {@link
   * KeyReuse#NEVER} refuses the run, {@link KeyReuse#AFTER_END} refuses it while the current run
   * is unfinished and otherwise creates it and points the record at it (the ended run keeps
   * its key in its definition). Of concurrent creates with one key, one stores its run and the
   * others are refused, on every instance sharing the store. Keys are compared exactly; the
   * same key in two projects are two keys. A record lives as long as its current run: {@link
   * #purgeEnded} deletes it with that run, and the key is free again.
   *
   * @param reuse what to do when the run's idempotency key points at a stored run already;
   *     ignored for a run without one
   * @return the creator's lease
   * @throws DuplicateStartException naming the key and the stored run, if a run with the same
   *     start key exists
   * @throws IdempotencyKeyTakenException naming the key and its current run, if {@code reuse}
   *     refuses the run
   * @throws StoreException if a run with the same id exists
   */
  Lease create(RunRecord run, String owner, Duration leaseTime, KeyReuse reuse);

  /**
   * {@link #create(RunRecord, String, Duration, KeyReuse)} with {@link KeyReuse#NEVER}: an
   * idempotency key that points at a run already refuses this one.
   */
  default Lease create(RunRecord run, String owner, Duration leaseTime) {
    return create(run, owner, leaseTime, KeyReuse.NEVER);
  }

  /**
   * Writes one step's changes at once: all of them, or none when it throws. The engine gives a
   * write whose outcome it did not hear (the store failed) to the store again, the same object:
   * a store that may commit a write and then fail to say so should recognise it by its {@link
   * RunChanges#writeId()} under the same epoch and not apply it twice. Of the run itself
   * only its {@link RunStatus} is written: its definition is {@link #create}'s. A status in a
   * terminal state releases the run's lease with the same write; a command outcome consumes its
   * command with the same write.
   *
   * @throws LeaseLostException if the run's epoch is not the one of {@code changes.fence()}
   * @throws StoreException if a command outcome names a command that is not the run's or has an
   *     outcome already
   * @throws StoreException if the run does not exist; or if a node record, attempt,
   *     transition or history entry names a node that is not in the run's spec (the message
   *     names it)
   */
  void apply(RunChanges changes);

  /**
   * {@link #apply}, completed later: a store may write the changes of many runs in one
   * transaction and complete each once it commits, on any thread. The stage fails with what
   * {@code apply} would throw. The engine never has two writes of one run in flight, and acts
   * on a write (dispatches what it made ready, tells listeners) only once its stage completes.
   * The default applies at once, on the calling thread.
   */
  default CompletionStage<Void> applyAsync(RunChanges changes) {
    try {
      apply(changes);
      return CompletableFuture.completedFuture(null);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /**
   * Gives run {@code runId} a place among the runs of its scope ({@link
   * RunRecord#scopeKey()}) if fewer than {@code limit} hold one, atomically across the store: of
   * the instances sharing it, together never more than {@code limit} runs of a scope hold a place
   * at once (the policies' {@code maxConcurrentRunsPerScope}). An unfinished run holds a place
   * from its admission, or from the write that moves it out of PENDING, until the write that
   * ends it. Runs with different limits share one count: a run is admitted if the count is below
   * its own.
   *
   * @return true if the run holds a place now, having held one already or not; false, writing
   *     nothing, if the scope is full or the run has ended
   * @throws LeaseLostException if the run's epoch is not the fence's
   * @throws StoreException if the run does not exist
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  boolean admit(String runId, Fence fence, int limit);

  /**
   * Claims up to {@code limit} unfinished runs (PENDING, RUNNING or PAUSED) for {@code owner}:
   * runs nobody holds and runs whose lease has expired, oldest first (by creation time, then
   * id), never one with a live lease; a run whose lease {@code owner} itself let expire (an
   * instance restarted under the same id) is claimed like any other.
   * Each claimed run's epoch goes up by one and its lease lasts {@code leaseTime} from the
   * store's now. Atomic per run: of concurrent claims, exactly one gets a given run.
   *
   * @return the new leases, oldest run first
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  List<Lease> claim(String owner, int limit, Duration leaseTime);

  /**
   * Claims run {@code runId}, in any state, for {@code owner} if nobody holds a live lease on
   * it (a run whose end was written has none): its epoch goes up by one. What a manual retry
   * of an ended run, or an operation on a run nobody owns, does before it writes.
   *
   * @return the new lease; empty if the run does not exist or somebody holds a live lease on
   *     it, {@code owner} included
   */
  Optional<Lease> claim(String runId, String owner, Duration leaseTime);

  /**
   * Renews {@code leases} for {@code leaseTime} from the store's now, in one operation. A lease
   * is renewed if the run's epoch and owner are still the lease's, expired or not.
   *
   * @return the ids of the runs whose lease could not be renewed: claimed by another instance
   *     since, released, ended or gone
   */
  Set<String> renew(Collection<Lease> leases, Duration leaseTime);

  /**
   * Gives {@code leases} up, so that any instance may claim their runs at once; a lease whose
   * owner and epoch are no longer the run's is skipped.
   */
  void release(Collection<Lease> leases);

  /**
   * The lease on run {@code runId} as stored, expired or not; empty if nobody holds the run
   * (never claimed since it was released or ended) or if there is no such run.
   */
  Optional<Lease> lease(String runId);

  /**
   * Records that engine instance {@code instanceId}, started at {@code startedAt}, is alive now
   * (on the store's clock): what an operator reads to see the instances sharing a store. Called
   * on the claims thread every third of the lease time. The default keeps nothing.
   */
  default void heartbeat(String instanceId, Instant startedAt) {}

  /**
   * Stores {@code command} for the owner of its run to apply; see {@link #pendingCommands}.
   *
   * @throws IllegalArgumentException if the command has an outcome already
   * @throws StoreException if its run does not exist, or a command with its id does
   */
  void addCommand(RunCommand command);

  /**
   * The commands waiting for an outcome of every run {@code owner} holds (its lease expired or
   * not), oldest first by creation time then id.
   */
  List<RunCommand> pendingCommands(String owner);

  /** The command {@code commandId}, with its outcome once its owner has written one. */
  Optional<RunCommand> command(String commandId);

  /**
   * Takes command {@code commandId} for {@code owner} to apply, atomically: true unless it has
   * an outcome (withdrawn, or applied already). A taken command can no longer be withdrawn; it
   * stays pending until a write consumes it, so that the run's next owner takes it again if
   * this one's write is lost.
   */
  boolean takeCommand(String commandId, String owner);

  /**
   * Withdraws command {@code commandId} unless it has an outcome or has been taken: atomically
   * gives it the outcome {@link CommandOutcome.Result#CANCELLED} at {@code at}, so that no owner
   * applies it. What the sender of a command whose owner did not answer in time does.
   *
   * @return the command as it stands now: cancelled, taken by its owner, or with the outcome its
   *     owner wrote; empty if there is none with this id
   */
  Optional<RunCommand> cancelCommand(String commandId, Instant at);

  /**
   * Deletes up to {@code limit} of the ended runs {@code which} names, the earliest ended first,
   * with everything stored of them: status, nodes, attempts, transitions, history and commands,
   * and the records of the idempotency keys whose current run they are. Their start keys and
   * those idempotency keys are free again. An unfinished run is never deleted, nor an ended one an
   * instance holds (it claimed the run to re-open it). One short operation:
   * a purge of many runs calls it again until it returns fewer than {@code limit}.
   *
   * @return the ids of the runs deleted
   * @throws IllegalArgumentException if {@code limit} is not positive
   */
  List<String> purgeEnded(EndedRuns which, int limit);

  /** The run; empty if there is none with this id. */
  Optional<RunRecord> run(String runId);

  /**
   * The records of the nodes that have one, in no particular order; a node without a record
   * is PENDING. Empty for an unknown run.
   */
  List<NodeRecord> nodes(String runId);

  /**
   * The run's attempts, keyed by node id and attempt number: each node's together, by attempt
   * number; the nodes in no particular order (not tied to the spec's). Empty for an unknown
   * run.
   */
  List<AttemptRecord> attempts(String runId);

  /**
   * Up to {@code limit} of the run's transitions, in the order they were applied, after the
   * first {@code skip}; empty for an unknown run or past the end.
   *
   * @throws IllegalArgumentException if {@code skip} is negative or {@code limit} not positive
   */
  List<StateTransition> transitions(String runId, long skip, int limit);

  /** How many transitions the run has; 0 for an unknown run. */
  long transitionCount(String runId);

  /**
   * Up to {@code limit} of the run's history entries, in the order they were applied, after
   * the first {@code skip}; empty for an unknown run or past the end.
   *
   * @throws IllegalArgumentException if {@code skip} is negative or {@code limit} not positive
   */
  List<HistoryEntry> history(String runId, long skip, int limit);

  /** Every transition of the run, in order: {@link #transitions(String, long, int)} paged. */
  default List<StateTransition> transitions(String runId) {
    return Pages.all((skip, limit) -> transitions(runId, skip, limit));
  }

  /** Every history entry of the run, in order: {@link #history(String, long, int)} paged. */
  default List<HistoryEntry> history(String runId) {
    return Pages.all((skip, limit) -> history(runId, skip, limit));
  }

  /**
   * One page of the runs {@code query} asks for, newest first: by creation time descending, then
   * by run id descending; {@link Page#total()} counts every match. Summaries: no spec, no
   * params.
   */
  Page<RunSummary> list(RunQuery query);
}
