package dev.dagflow.store.memory;

import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.DuplicateStartException;
import dev.dagflow.store.EndedRuns;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.IdempotencyKeyTakenException;
import dev.dagflow.store.KeyReuse;
import dev.dagflow.store.Lease;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * The in-memory {@link RunStore}. Thread-safe: each run's data has a lock of its own (see
 * {@link RunData}); the maps of runs, start keys and idempotency keys are concurrent. Runs are
 * kept until the JVM ends or a purge, and so their keys stay taken. Leases expire on the clock it
 * is given, the store's clock.
 */
final class MemoryRunStore implements RunStore {
  /** Orders runs newest first: creation time descending, then id descending. */
  private record Key(Instant createdAt, String runId) implements Comparable<Key> {
    static Key of(RunRecord run) {
      return new Key(run.createdAt(), run.runId());
    }

    @Override
    public int compareTo(Key other) {
      int byTime = other.createdAt.compareTo(createdAt);
      return byTime != 0 ? byTime : other.runId.compareTo(runId);
    }
  }

  private final ConcurrentHashMap<String, RunData> runs = new ConcurrentHashMap<>();
  private final ConcurrentSkipListMap<Key, RunData> newestFirst = new ConcurrentSkipListMap<>();
  private final ConcurrentSkipListMap<Key, String> unfinished = new ConcurrentSkipListMap<>();
  /** The run of each start key; a key is put once its run is in {@code runs}. */
  private final ConcurrentHashMap<String, String> startKeys = new ConcurrentHashMap<>();
  /** The current run of each idempotency key in its project; put once its run is in runs. */
  private final KeyTable idempotencyKeys = new KeyTable();
  private final InstantSource clock;
  private final ConcurrentHashMap<String, RunData> commandRuns = new ConcurrentHashMap<>();
  /** The runs with a command that waits. */
  private final Set<RunData> withPending = ConcurrentHashMap.newKeySet();
  /**
   * Per scope key, the unfinished runs that hold a place in it (see {@link #admit}); each set
   * guarded by itself, taken before a run's lock.
   */
  private final ConcurrentHashMap<String, Set<String>> places = new ConcurrentHashMap<>();

  MemoryRunStore(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public Lease create(RunRecord run, String owner, Duration leaseTime, KeyReuse reuse) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseTime, "leaseTime");
    Objects.requireNonNull(reuse, "reuse");
    RunData data = new RunData(run);
    Lease lease = data.create(owner, clock.instant().plus(leaseTime));
    if (runs.putIfAbsent(run.runId(), data) != null) {
      throw new StoreException("create run " + run.runId(), "a run with this id exists");
    }
    // the run first, then its key: a key always names a stored run, and a run refused for its
    // key leaves nothing behind (nobody else knows its new id, nor can list it yet)
    if (run.startKey().isPresent()) {
      String startKey = run.startKey().get();
      String holder = startKeys.putIfAbsent(startKey, run.runId());
      if (holder != null) {
        runs.remove(run.runId(), data);
        throw new DuplicateStartException("create run " + run.runId(), startKey, holder);
      }
    }
    Optional<String> keyHolder = idempotencyKeys.claim(run, reuse, this::hasEnded);
    if (keyHolder.isPresent()) {
      run.startKey().ifPresent(key -> startKeys.remove(key, run.runId()));
      runs.remove(run.runId(), data);
      throw new IdempotencyKeyTakenException("create run " + run.runId(), run.project(),
          run.idempotencyKey().orElseThrow(), keyHolder.get());
    }
    Key key = Key.of(run);
    newestFirst.put(key, data);
    if (!run.state().isTerminal()) {
      unfinished.put(key, run.runId());
    }
    if (RunData.holdsPlace(run, false)) {
      Set<String> holders = places(run.scopeKey());
      synchronized (holders) {
        holders.add(run.runId());
      }
    }
    return lease;
  }

  /** Whether run {@code runId} has ended, or is gone (purged). */
  private boolean hasEnded(String runId) {
    RunData data = runs.get(runId);
    return data == null || data.record().state().isTerminal();
  }

  @Override
  public void apply(RunChanges changes) {
    Objects.requireNonNull(changes, "changes");
    RunData data = runs.get(changes.runId());
    if (data == null) {
      throw new StoreException("apply run " + changes.runId(), "no run with this id");
    }
    RunRecord old;
    if (changes.status().isEmpty()) {
      old = data.apply(changes, withPending);
    } else { // it may take or give back a place: counted as admit counts
      Set<String> holders = places(data.record().scopeKey());
      synchronized (holders) {
        old = data.apply(changes, withPending);
        if (data.holdsPlace()) {
          holders.add(changes.runId());
        } else {
          holders.remove(changes.runId());
        }
      }
    }
    RunRecord now = data.record();
    if (old.state().isTerminal() != now.state().isTerminal()) {
      if (now.state().isTerminal()) {
        unfinished.remove(Key.of(now));
      } else {
        unfinished.put(Key.of(now), now.runId());
      }
    }
  }

  @Override
  public boolean admit(String runId, Fence fence, int limit) {
    Objects.requireNonNull(fence, "fence");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    if (data == null) {
      throw new StoreException("admit run " + runId, "no run with this id");
    }
    Set<String> holders = places(data.record().scopeKey());
    synchronized (holders) {
      boolean admitted = data.admit(fence, () -> holders.size() < limit);
      if (admitted) {
        holders.add(runId);
      }
      return admitted;
    }
  }

  private Set<String> places(String scopeKey) {
    return places.computeIfAbsent(scopeKey, k -> new HashSet<>());
  }

  @Override
  public void addCommand(RunCommand command) {
    Objects.requireNonNull(command, "command");
    if (command.outcome().isPresent()) {
      throw new IllegalArgumentException("command " + command.id() + " has an outcome already");
    }
    String operation = "add command " + command.id() + " to run " + command.runId();
    RunData data = runs.get(command.runId());
    if (data == null) {
      throw new StoreException(operation, "no run with this id");
    }
    if (commandRuns.putIfAbsent(command.id(), data) != null) {
      throw new StoreException(operation, "a command with this id exists");
    }
    data.addCommand(command, withPending);
  }

  @Override
  public List<RunCommand> pendingCommands(String owner) {
    Objects.requireNonNull(owner, "owner");
    List<RunCommand> pending = new ArrayList<>();
    for (RunData data : withPending) {
      pending.addAll(data.pendingCommands(owner));
    }
    pending.sort(Comparator.comparing(RunCommand::createdAt).thenComparing(RunCommand::id));
    return List.copyOf(pending);
  }

  @Override
  public Optional<RunCommand> command(String commandId) {
    RunData data = commandRuns.get(Objects.requireNonNull(commandId, "commandId"));
    return data == null ? Optional.empty() : data.command(commandId);
  }

  @Override
  public boolean takeCommand(String commandId, String owner) {
    Objects.requireNonNull(owner, "owner");
    RunData data = commandRuns.get(Objects.requireNonNull(commandId, "commandId"));
    return data != null && data.takeCommand(commandId, owner);
  }

  @Override
  public Optional<RunCommand> cancelCommand(String commandId, Instant at) {
    Objects.requireNonNull(at, "at");
    RunData data = commandRuns.get(Objects.requireNonNull(commandId, "commandId"));
    return data == null ? Optional.empty()
        : Optional.of(data.cancelCommand(commandId, at, withPending));
  }

  @Override
  public List<String> purgeEnded(EndedRuns which, int limit) {
    Objects.requireNonNull(which, "which");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    List<RunRecord> ended = new ArrayList<>();
    for (RunData data : newestFirst.values()) {
      RunRecord r = data.record();
      if (r.state().isTerminal() && which.matches(r.project(), r.endedAt().orElseThrow())) {
        ended.add(r);
      }
    }
    ended.sort(Comparator.comparing((RunRecord r) -> r.endedAt().orElseThrow())
        .thenComparing(RunRecord::runId));
    List<String> purged = new ArrayList<>();
    for (RunRecord r : ended.subList(0, Math.min(limit, ended.size()))) {
      RunData data = runs.get(r.runId());
      if (data == null || !data.record().state().isTerminal()
          || data.currentLease().isPresent()) {
        continue; // purged, or claimed to be re-opened, meanwhile
      }
      runs.remove(r.runId(), data);
      newestFirst.remove(Key.of(r));
      unfinished.remove(Key.of(r));
      r.startKey().ifPresent(key -> startKeys.remove(key, r.runId()));
      idempotencyKeys.release(r);
      data.commandIds().forEach(id -> commandRuns.remove(id, data));
      withPending.remove(data);
      purged.add(r.runId());
    }
    return List.copyOf(purged);
  }

  @Override
  public Optional<RunRecord> run(String runId) {
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? Optional.empty() : Optional.of(data.record());
  }

  @Override
  public List<NodeRecord> nodes(String runId) {
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? List.of() : data.nodes();
  }

  @Override
  public List<AttemptRecord> attempts(String runId) {
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? List.of() : data.attempts();
  }

  @Override
  public List<StateTransition> transitions(String runId, long skip, int limit) {
    checkPage(skip, limit);
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? List.of() : data.transitions(skip, limit);
  }

  @Override
  public long transitionCount(String runId) {
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? 0 : data.transitionCount();
  }

  @Override
  public List<HistoryEntry> history(String runId, long skip, int limit) {
    checkPage(skip, limit);
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? List.of() : data.history(skip, limit);
  }

  private static void checkPage(long skip, int limit) {
    if (skip < 0) {
      throw new IllegalArgumentException("skip must not be negative, got " + skip);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
  }

  @Override
  public Page<RunSummary> list(RunQuery query) {
    Objects.requireNonNull(query, "query");
    long first = (long) query.page() * query.size();
    long last = first + query.size();
    List<RunSummary> items = new ArrayList<>();
    long total = 0;
    for (RunData data : newestFirst.values()) {
      RunSummary run = data.summary();
      if (query.matches(run)) {
        if (total >= first && total < last) {
          items.add(run);
        }
        total++;
      }
    }
    return new Page<>(items, query.page(), query.size(), total);
  }

  @Override
  public List<Lease> claim(String owner, int limit, Duration leaseTime) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseTime, "leaseTime");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    Instant now = clock.instant();
    List<Lease> claimed = new ArrayList<>();
    for (String runId : unfinished.descendingMap().values()) { // oldest first
      Lease lease = runs.get(runId).claim(owner, now, leaseTime, true);
      if (lease != null) {
        claimed.add(lease);
        if (claimed.size() == limit) {
          break;
        }
      }
    }
    return List.copyOf(claimed);
  }

  @Override
  public Optional<Lease> claim(String runId, String owner, Duration leaseTime) {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(leaseTime, "leaseTime");
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? Optional.empty()
        : Optional.ofNullable(data.claim(owner, clock.instant(), leaseTime, false));
  }

  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseTime) {
    Objects.requireNonNull(leaseTime, "leaseTime");
    Instant until = clock.instant().plus(leaseTime);
    Set<String> lost = new LinkedHashSet<>();
    for (Lease lease : leases) {
      RunData data = runs.get(lease.runId());
      if (data == null || !data.renew(lease, until)) {
        lost.add(lease.runId());
      }
    }
    return Set.copyOf(lost);
  }

  @Override
  public void release(Collection<Lease> leases) {
    for (Lease lease : leases) {
      RunData data = runs.get(lease.runId());
      if (data != null) {
        data.release(lease);
      }
    }
  }

  @Override
  public Optional<Lease> lease(String runId) {
    RunData data = runs.get(Objects.requireNonNull(runId, "runId"));
    return data == null ? Optional.empty() : data.currentLease();
  }

  @Override
  public String toString() {
    return "MemoryRunStore{runs=" + runs.size() + ", unfinished=" + unfinished.size() + "}";
  }
}
