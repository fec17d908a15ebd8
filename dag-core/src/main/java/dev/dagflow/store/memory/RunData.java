package dev.dagflow.store.memory;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.CommandOutcome;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStatus;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Everything stored of one run. Thread-safe: changes are checked in full, then written under
 * the run's write lock, and reads take the read lock, so a reader sees each change whole.
 */
final class RunData {
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final String runId;
  /** The operation named by this run's store errors, made once: apply runs for every step. */
  private final String applyOperation;
  private final DagSpec spec;
  private volatile RunRecord record;
  private final NodeTable nodes;
  private final TransitionLog transitions = new TransitionLog();
  private final List<HistoryEntry> history = new ArrayList<>();
  // ---- the lease, guarded by the write lock ----
  /** Who holds the run; null once released or ended. */
  private String owner;
  private long epoch;
  private Instant expiresAt;
  /** Whether it was given a place in its scope while PENDING; guarded by the write lock. */
  private boolean admitted;
  // ---- commands, guarded by the write lock ----
  private final Map<String, RunCommand> commands = new LinkedHashMap<>();
  private int pending;

  RunData(RunRecord record) {
    this.runId = record.runId();
    this.applyOperation = "apply run " + this.runId;
    this.spec = record.spec();
    this.record = record;
    this.nodes = new NodeTable(spec.size());
  }

  RunRecord record() {
    return record;
  }

  /** Gives the run to its creator, at epoch 1. */
  Lease create(String creator, Instant expires) {
    return write(() -> {
      owner = creator;
      epoch = 1;
      expiresAt = expires;
      return lease();
    });
  }

  /**
   * Claims the run for {@code claimer} if nobody holds a live lease on it; null if not. With
   * {@code recovery} (a claim of unfinished runs), not if it has ended, nor if the claimer holds
   * it already with a live lease.
   */
  Lease claim(String claimer, Instant now, Duration leaseTime, boolean recovery) {
    return write(() -> {
      boolean live = owner != null && expiresAt.isAfter(now);
      if (live || recovery && record.state().isTerminal()) {
        return null;
      }
      owner = claimer;
      epoch++;
      expiresAt = now.plus(leaseTime);
      return lease();
    });
  }

  /** Renews {@code held} if it is still the run's lease; returns whether it was. */
  boolean renew(Lease held, Instant until) {
    return write(() -> {
      if (!holds(held)) {
        return false;
      }
      expiresAt = until;
      return true;
    });
  }

  /** Releases {@code held} if it is still the run's lease. */
  void release(Lease held) {
    write(() -> {
      if (holds(held)) {
        owner = null;
      }
      return null;
    });
  }

  /**
   * Admits the run under {@code fence} if it holds no place and {@code room} says there is one:
   * whether it holds a place now. Called under its scope's monitor.
   */
  boolean admit(Fence fence, BooleanSupplier room) {
    return write(() -> {
      if (fence.epoch() != epoch) {
        throw new LeaseLostException("admit run " + runId, runId, fence, epoch,
            Optional.ofNullable(owner));
      }
      if (holdsPlace(record, admitted)) {
        return true;
      }
      if (record.state().isTerminal() || !room.getAsBoolean()) {
        return false;
      }
      admitted = true;
      return true;
    });
  }

  /** Whether the run holds a place in its scope now. */
  boolean holdsPlace() {
    return read(() -> holdsPlace(record, admitted));
  }

  /** Whether {@code run} holds a place in its scope: unfinished, and admitted or started. */
  static boolean holdsPlace(RunRecord run, boolean admitted) {
    return !run.state().isTerminal() && (admitted || run.state() != RunState.PENDING);
  }

  Optional<Lease> currentLease() {
    return read(() -> Optional.ofNullable(lease()));
  }

  /**
   * Adds a waiting command; this run joins {@code withPending}, under the lock, so that a
   * command consumed at the same time never takes the run out of it wrongly.
   */
  void addCommand(RunCommand command, Set<RunData> withPending) {
    write(() -> {
      commands.put(command.id(), command);
      pending++;
      withPending.add(this);
      return null;
    });
  }

  /** The waiting commands, if {@code owner} holds the run. */
  List<RunCommand> pendingCommands(String owner) {
    return read(() -> {
      if (!owner.equals(this.owner) || pending == 0) {
        return List.of();
      }
      return commands.values().stream().filter(c -> c.outcome().isEmpty()).toList();
    });
  }

  /** The ids of the run's commands, for a purge. */
  List<String> commandIds() {
    return read(() -> List.copyOf(commands.keySet()));
  }

  Optional<RunCommand> command(String id) {
    return read(() -> Optional.ofNullable(commands.get(id)));
  }

  /** Takes command {@code id} for {@code taker} unless it has an outcome. */
  boolean takeCommand(String id, String taker) {
    return write(() -> {
      RunCommand command = commands.get(id);
      if (command.outcome().isPresent()) {
        return false;
      }
      commands.put(id, command.takenBy(taker));
      return true;
    });
  }

  /** Cancels command {@code id} unless it has an outcome or was taken; returns it as it is. */
  RunCommand cancelCommand(String id, Instant at, Set<RunData> withPending) {
    return write(() -> {
      RunCommand command = commands.get(id);
      if (command.outcome().isEmpty() && command.takenBy().isEmpty()) {
        command = command.withOutcome(new CommandOutcome(id, CommandOutcome.Result.CANCELLED,
            Optional.empty(), Optional.of("withdrawn by its sender"), at));
        commands.put(id, command);
        if (--pending == 0) {
          withPending.remove(this);
        }
      }
      return command;
    });
  }

  private boolean holds(Lease held) {
    return held.owner().equals(owner) && held.epoch() == epoch;
  }

  private Lease lease() {
    return owner == null ? null : new Lease(runId, owner, epoch, expiresAt);
  }

  /**
   * Writes {@code changes} whole, or nothing when it throws.
   *
   * @param withPending the store's runs with a waiting command, which this one leaves once its
   *     last is consumed
   * @return the run's record before the changes
   * @throws StoreException if a change does not fit the run (see {@code RunStore.apply})
   */
  RunRecord apply(RunChanges changes, Set<RunData> withPending) {
    String operation = applyOperation;
    RunStatus status = changes.status().orElse(null);
    lock.writeLock().lock();
    try {
      Fence fence = changes.fence();
      if (fence.epoch() != epoch) {
        throw new LeaseLostException(operation, runId, fence, epoch, Optional.ofNullable(owner));
      }
      RunRecord old = record;
      if (status != null) {
        Millis.check(operation, runId, "run startedAt", status.startedAt());
        Millis.check(operation, runId, "run endedAt", status.endedAt());
      }
      int[] nodeIndex = nodeIndexes(operation, changes);
      int[] attemptIndex = attemptIndexes(operation, changes);
      int[] transitionIndex = transitionIndexes(operation, changes);
      for (HistoryEntry h : changes.history()) {
        h.nodeId().ifPresent(id -> indexOf(operation, "history entry", id));
      }
      Set<String> answered = changes.commandOutcomes().isEmpty() ? Set.of() : new HashSet<>();
      for (CommandOutcome done : changes.commandOutcomes()) {
        RunCommand command = commands.get(done.commandId());
        if (command == null || command.outcome().isPresent()
            || !answered.add(done.commandId())) {
          throw new StoreException(operation, "command " + done.commandId() + (command == null
              ? " is not a command of this run" : " has an outcome already"));
        }
      }

      for (int i = 0; i < nodeIndex.length; i++) {
        nodes.put(nodeIndex[i], changes.nodes().get(i));
      }
      for (int i = 0; i < attemptIndex.length; i++) {
        nodes.put(attemptIndex[i], changes.attempts().get(i));
      }
      for (int i = 0; i < transitionIndex.length; i++) {
        transitions.add(transitionIndex[i], changes.transitions().get(i));
      }
      history.addAll(changes.history());
      for (CommandOutcome done : changes.commandOutcomes()) {
        commands.computeIfPresent(done.commandId(), (id, c) -> c.withOutcome(done));
        pending--;
      }
      if (pending == 0 && !changes.commandOutcomes().isEmpty()) {
        withPending.remove(this); // under the lock, as addCommand adds it
      }
      if (status != null) {
        record = old.withStatus(status); // the definition stays as created
        if (status.state().isTerminal()) {
          owner = null; // an ended run is nobody's
          admitted = false; // nor holds a place: a retry that re-opens it takes one by running
        }
      }
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  List<NodeRecord> nodes() {
    return read(() -> nodes.records(runId, spec));
  }

  List<AttemptRecord> attempts() {
    return read(() -> nodes.attempts(runId, spec));
  }

  List<StateTransition> transitions(long skip, int limit) {
    return read(() -> page(transitions.view(runId, spec), skip, limit));
  }

  long transitionCount() {
    return read(transitions::size);
  }

  List<HistoryEntry> history(long skip, int limit) {
    return read(() -> page(history, skip, limit));
  }

  private static <T> List<T> page(List<T> all, long skip, int limit) {
    if (skip >= all.size()) {
      return List.of();
    }
    int from = (int) skip;
    return List.copyOf(all.subList(from, (int) Math.min(all.size(), (long) from + limit)));
  }

  RunSummary summary() {
    return record.summary();
  }

  private <T> T write(Supplier<T> writer) {
    lock.writeLock().lock();
    try {
      return writer.get();
    } finally {
      lock.writeLock().unlock();
    }
  }

  private <T> T read(Supplier<T> reader) {
    lock.readLock().lock();
    try {
      return reader.get();
    } finally {
      lock.readLock().unlock();
    }
  }

  private int[] nodeIndexes(String operation, RunChanges changes) {
    List<NodeRecord> list = changes.nodes();
    int[] index = new int[list.size()];
    for (int i = 0; i < index.length; i++) {
      NodeRecord r = list.get(i);
      index[i] = indexOf(operation, "node record", r.nodeId());
      Millis.check(operation, r.nodeId(), "startedAt", r.startedAt());
      Millis.check(operation, r.nodeId(), "endedAt", r.endedAt());
      Millis.check(operation, r.nodeId(), "waitUntil", r.waitUntil());
    }
    return index;
  }

  private int[] attemptIndexes(String operation, RunChanges changes) {
    List<AttemptRecord> list = changes.attempts();
    int[] index = new int[list.size()];
    for (int i = 0; i < index.length; i++) {
      AttemptRecord a = list.get(i);
      index[i] = indexOf(operation, "attempt", a.nodeId());
      Millis.check(operation, a.nodeId(), "attempt startedAt", a.startedAt());
      Millis.check(operation, a.nodeId(), "attempt endedAt", a.endedAt());
    }
    return index;
  }

  private int[] transitionIndexes(String operation, RunChanges changes) {
    List<StateTransition> list = changes.transitions();
    int[] index = new int[list.size()];
    for (int i = 0; i < index.length; i++) {
      StateTransition t = list.get(i);
      index[i] = indexOf(operation, "transition", t.nodeId());
      Millis.check(operation, t.nodeId(), "transition time", t.time());
    }
    return index;
  }

  private int indexOf(String operation, String what, String nodeId) {
    int i = spec.indexOf(nodeId);
    if (i < 0) {
      throw new StoreException(operation,
          what + " names node '" + nodeId + "', which is not in spec " + spec.id());
    }
    return i;
  }
}
