package dev.dagflow.jdbc.internal;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.CommandOutcome;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunStatus;
import dev.dagflow.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: the changes of many runs written in one transaction. Writes queue up while the
 * writer thread ({@code dagflow-jdbc-writer}, started on demand and ended when idle) commits the
 * batch before them, and go into the next one: the busier the engine, the more runs per commit.
 *
 * <p>In a batch, the status rows of its runs are locked first, in id order, and each run's
 * epoch checked against its fence; a run whose lease was lost, or whose changes do not fit it
 * (a node not in its spec, a command not its own), fails alone and the rest are written with
 * JDBC batches. A batch the database refuses as a whole is tried again on a conflict (a
 * deadlock), and otherwise run by run, so that one bad run never fails another's write. A
 * write completes once its transaction has committed. Writes of one run stay in order: a second
 * write of a run waits for the next batch. Thread-safe.
 */
final class RunWriter {
  private static final Logger LOG = LoggerFactory.getLogger(RunWriter.class);
  /** The most runs one transaction writes. */
  static final int MAX_BATCH = 200;
  private static final int CONFLICT_RETRIES = 3;

  /** Reads the spec of a run on a connection (cached); null if there is no such run. */
  interface Specs {
    DagSpec spec(Connection c, String runId) throws SQLException;
  }

  private final JdbcContext db;
  private final RunSql sql;
  private final Specs specs;
  private final ConcurrentLinkedQueue<Pending> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean draining = new AtomicBoolean();
  private final ThreadPoolExecutor thread;
  /**
   * Where writes are completed: never the writer thread, as what a completed write sets off
   * (dispatches, listeners, triggers, an operation that waits for a write of its own) would
   * then hold up every write behind it, or wait for itself. A thread per completion at once,
   * so that one that blocks holds up no other.
   */
  private final ThreadPoolExecutor completer;
  private final AtomicLong commits = new AtomicLong();
  private final AtomicLong written = new AtomicLong();

  RunWriter(JdbcContext db, RunSql sql, Specs specs) {
    this.db = db;
    this.sql = sql;
    this.specs = specs;
    this.thread = new ThreadPoolExecutor(0, 1, 2, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        daemon("dagflow-jdbc-writer"));
    this.completer = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 2, TimeUnit.SECONDS,
        new SynchronousQueue<>(), daemon("dagflow-jdbc-completer"));
  }

  private static ThreadFactory daemon(String name) {
    AtomicLong n = new AtomicLong();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** One write waiting to be committed. */
  private static final class Pending {
    final RunChanges changes;
    final CompletableFuture<Void> done = new CompletableFuture<>();
    /** Why the batch under way refuses it; null while it does not. */
    RuntimeException refused;
    /** Whether its outcome is known (completed, or handed to the completer). */
    boolean settled;

    Pending(RunChanges changes) {
      this.changes = changes;
    }

    String runId() {
      return changes.runId();
    }
  }

  /** Queues {@code changes}; the stage completes once they are committed, or fails. */
  CompletableFuture<Void> submit(RunChanges changes) {
    Pending p = new Pending(changes);
    queue.add(p);
    if (draining.compareAndSet(false, true)) {
      thread.execute(this::drain);
    }
    return p.done;
  }

  /** How many transactions have committed writes, and how many writes they held. */
  long commits() {
    return commits.get();
  }

  long written() {
    return written.get();
  }

  private void drain() {
    List<Pending> deferred = new ArrayList<>();
    while (true) {
      List<Pending> batch = new ArrayList<>();
      Set<String> runs = new HashSet<>();
      List<Pending> later = new ArrayList<>();
      for (Pending p : deferred) { // in order: a run's first deferred write now, the rest later
        (runs.add(p.runId()) ? batch : later).add(p);
      }
      deferred.clear();
      deferred.addAll(later);
      Pending next;
      while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
        if (runs.add(next.runId())) {
          batch.add(next);
        } else {
          deferred.add(next); // a later write of a run in this batch: in the next, in order
        }
      }
      if (batch.isEmpty() && deferred.isEmpty()) {
        draining.set(false);
        if (queue.isEmpty() || !draining.compareAndSet(false, true)) {
          return;
        }
        continue;
      }
      try {
        write(batch);
      } catch (RuntimeException | Error e) {
        LOG.error("the run writer failed", e);
        batch.stream().filter(p -> !p.settled).forEach(p -> fail(p, e));
      }
    }
  }

  private void write(List<Pending> batch) {
    SQLException failure = null;
    for (int attempt = 0; attempt <= CONFLICT_RETRIES; attempt++) {
      try {
        writeAll(batch);
        return;
      } catch (SQLException e) {
        failure = e;
        if (!Conflicts.isConflict(e)) {
          break;
        }
      }
    }
    if (batch.size() == 1) {
      Pending p = batch.get(0);
      fail(p, db.failure("apply run " + p.runId(), failure));
      return;
    }
    // refused whole: each run on its own, so that only the run at fault fails
    for (Pending p : batch) {
      if (!p.settled) {
        write(List.of(p));
      }
    }
  }

  private void succeed(Pending p) {
    p.settled = true;
    completer.execute(() -> p.done.complete(null));
  }

  private void fail(Pending p, Throwable why) {
    p.settled = true;
    completer.execute(() -> p.done.completeExceptionally(why));
  }

  /** A locked status row, as the batch found it. */
  private record Status(String state, Long startedAt, Long endedAt, String owner, long epoch,
      long leaseExpires, boolean admitted, long transitions, long history, long lastWrite) {}

  /**
   * Writes {@code batch} in one transaction and completes each write: written, or failed for
   * its own sake. Throws, completing nothing that was to be written, if the database fails.
   */
  private void writeAll(List<Pending> batch) throws SQLException {
    List<Pending> open = batch.stream().filter(p -> !p.settled).toList();
    List<Pending> accepted = new ArrayList<>(open.size());
    try (Connection c = db.connect("apply " + open.size() + " runs' changes")) {
      JdbcContext.inTransaction(c, connection -> {
        accepted.clear();
        Map<String, Status> statuses = lockStatuses(connection, open);
        for (Pending p : open) {
          Status status = statuses.get(p.runId());
          p.refused = check(connection, p, status);
          if (p.refused == null && !appliedAlready(p, status)) {
            accepted.add(p);
          }
        }
        checkCommands(connection, accepted);
        writeRecords(connection, accepted, statuses);
        return null;
      });
    }
    // told only now, with the batch's locks given back: a refused run's owner may write to
    // the same rows at once (to give its lease back, say)
    commits.incrementAndGet();
    written.addAndGet(accepted.size());
    for (Pending p : open) {
      if (p.refused != null) {
        fail(p, p.refused);
      } else {
        succeed(p);
      }
    }
  }

  private Map<String, Status> lockStatuses(Connection c, List<Pending> batch)
      throws SQLException {
    List<String> ids = batch.stream().map(Pending::runId).sorted().toList();
    Map<String, Status> statuses = new HashMap<>();
    try (PreparedStatement st = c.prepareStatement(sql.lockStatuses(ids.size()))) {
      for (int i = 0; i < ids.size(); i++) {
        st.setString(i + 1, ids.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          statuses.put(rs.getString("run_id"), new Status(rs.getString("state"),
              nullableLong(rs, "started_at"), nullableLong(rs, "ended_at"),
              rs.getString("owner"), rs.getLong("epoch"), rs.getLong("lease_expires"),
              rs.getBoolean("admitted"), rs.getLong("transitions"), rs.getLong("history"),
              rs.getLong("last_write")));
        }
      }
    }
    return statuses;
  }

  /**
   * Whether {@code p} is the write the run's row says was applied last, under the same epoch:
   * the same write retried because the answer to its commit was lost. It is done already.
   */
  private static boolean appliedAlready(Pending p, Status status) {
    return status.lastWrite == p.changes.writeId()
        && status.epoch == p.changes.fence().epoch();
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long value = rs.getLong(column);
    return rs.wasNull() ? null : value;
  }

  /** Why {@code p} cannot be written to a run in {@code status}; null if it can. */
  private RuntimeException check(Connection c, Pending p, Status status) throws SQLException {
    RunChanges changes = p.changes;
    String operation = "apply run " + p.runId();
    if (status == null) {
      return new StoreException(operation, "no run with this id");
    }
    if (status.epoch != changes.fence().epoch()) {
      return new LeaseLostException(operation, p.runId(), changes.fence(), status.epoch,
          Optional.ofNullable(status.owner));
    }
    DagSpec spec;
    try {
      spec = specs.spec(c, p.runId());
    } catch (RuntimeException e) { // a spec this dagflow cannot read: only this run fails
      return new StoreException(operation, e.getMessage(), e);
    }
    try {
      if (changes.status().isPresent()) {
        RunStatus s = changes.status().get();
        time(s.startedAt(), "run startedAt");
        time(s.endedAt(), "run endedAt");
      }
      for (NodeRecord r : changes.nodes()) {
        node(spec, "node record", r.nodeId());
        time(r.startedAt(), r.nodeId() + " startedAt");
        time(r.endedAt(), r.nodeId() + " endedAt");
        time(r.waitUntil(), r.nodeId() + " waitUntil");
      }
      for (AttemptRecord a : changes.attempts()) {
        node(spec, "attempt", a.nodeId());
        time(Optional.of(a.startedAt()), a.nodeId() + " attempt startedAt");
        time(a.endedAt(), a.nodeId() + " attempt endedAt");
      }
      for (StateTransition t : changes.transitions()) {
        node(spec, "transition", t.nodeId());
        time(Optional.of(t.time()), t.nodeId() + " transition time");
      }
      for (HistoryEntry h : changes.history()) {
        if (h.nodeId().isPresent()) {
          node(spec, "history entry", h.nodeId().get());
        }
        time(Optional.of(h.time()), "history time");
      }
    } catch (IllegalArgumentException e) {
      return new StoreException(operation, e.getMessage());
    }
    return null;
  }

  private static void node(DagSpec spec, String what, String nodeId) {
    if (spec.indexOf(nodeId) < 0) {
      throw new IllegalArgumentException(what + " names node '" + nodeId
          + "', which is not in spec " + spec.id());
    }
  }

  private static void time(Optional<Instant> time, String what) {
    if (time.isPresent()) {
      try {
        Rows.millis(time.get());
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(what + " " + time.get() + " is out of range");
      }
    }
  }

  /**
   * Refuses, and takes out of {@code accepted}, each write whose command outcomes name a
   * command that is not its run's or has an outcome already.
   */
  private void checkCommands(Connection c, List<Pending> accepted) throws SQLException {
    List<String> ids = new ArrayList<>();
    for (Pending p : accepted) {
      p.changes.commandOutcomes().forEach(o -> ids.add(o.commandId()));
    }
    if (ids.isEmpty()) {
      return;
    }
    Map<String, String[]> found = new HashMap<>(); // id -> {run, outcome}
    List<String> sorted = ids.stream().distinct().sorted().toList();
    try (PreparedStatement st = c.prepareStatement(sql.lockCommands(sorted.size()))) {
      for (int i = 0; i < sorted.size(); i++) {
        st.setString(i + 1, sorted.get(i));
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), new String[] {rs.getString(2), rs.getString(3)});
        }
      }
    }
    Set<String> answered = new HashSet<>();
    accepted.removeIf(p -> {
      for (CommandOutcome done : p.changes.commandOutcomes()) {
        String[] command = found.get(done.commandId());
        boolean own = command != null && command[0].equals(p.runId());
        if (!own || command[1] != null || !answered.add(done.commandId())) {
          p.refused = new StoreException("apply run " + p.runId(), "command "
              + done.commandId() + (own ? " has an outcome already"
                  : " is not a command of this run"));
          return true;
        }
      }
      return false;
    });
  }

  private void writeRecords(Connection c, List<Pending> accepted, Map<String, Status> statuses)
      throws SQLException {
    // a node's or an attempt's last record in a write is the one kept, as a put would
    Map<List<Object>, NodeRecord> nodes = new LinkedHashMap<>();
    Map<List<Object>, AttemptRecord> attempts = new LinkedHashMap<>();
    for (Pending p : accepted) {
      for (NodeRecord r : p.changes.nodes()) {
        nodes.remove(List.of(r.runId(), r.nodeId()));
        nodes.put(List.of(r.runId(), r.nodeId()), r);
      }
      for (AttemptRecord a : p.changes.attempts()) {
        attempts.put(List.of(a.runId(), a.nodeId(), a.attempt()), a);
      }
    }
    List<Object[]> rows = new ArrayList<>(nodes.size());
    for (NodeRecord r : nodes.values()) {
      rows.add(new Object[] {r.runId(), r.nodeId(), r.state().name(), r.attempt(),
          r.attemptBase(), r.progress(), Rows.millisOrNull(r.startedAt()),
          Rows.millisOrNull(r.endedAt()), Rows.millisOrNull(r.waitUntil()),
          Rows.jsonOrNull(r.result()), Rows.text(r.errorCode()), Rows.text(r.errorMessage()),
          Rows.jsonOrNull(r.config())});
    }
    sql.upsertNode.write(c, rows);
    rows = new ArrayList<>(attempts.size());
    for (AttemptRecord a : attempts.values()) {
      rows.add(new Object[] {a.runId(), a.nodeId(), a.attempt(), Rows.millis(a.startedAt()),
          Rows.millisOrNull(a.endedAt()), a.outcome().name(), Rows.jsonOrNull(a.result()),
          Rows.text(a.errorCode()), Rows.text(a.errorMessage()), Rows.text(a.engineRef()),
          Rows.millisOrNull(a.readyAt()), Rows.text(Rows.usage(a.usage()))});
    }
    sql.upsertAttempt.write(c, rows);
    rows = new ArrayList<>();
    for (Pending p : accepted) {
      long seq = statuses.get(p.runId()).transitions;
      for (StateTransition t : p.changes.transitions()) {
        rows.add(new Object[] {t.runId(), seq++, t.nodeId(), t.attempt(), t.from().name(),
            t.to().name(), t.reason(), t.trigger().name(), Rows.text(t.operator()),
            Rows.millis(t.time())});
      }
    }
    sql.insertTransition.write(c, rows);
    rows = new ArrayList<>();
    for (Pending p : accepted) {
      long seq = statuses.get(p.runId()).history;
      for (HistoryEntry h : p.changes.history()) {
        rows.add(new Object[] {h.runId(), seq++, Rows.text(h.nodeId()), h.action(),
            h.operator(), Rows.json(h.oldValue()), Rows.json(h.newValue()),
            Rows.millis(h.time())});
      }
    }
    sql.insertHistory.write(c, rows);
    boolean anyCommand = accepted.stream().anyMatch(p -> !p.changes.commandOutcomes().isEmpty());
    if (anyCommand) {
      try (PreparedStatement st = c.prepareStatement(sql.updateCommandOutcome)) {
        for (Pending p : accepted) {
          for (CommandOutcome done : p.changes.commandOutcomes()) {
            st.setString(1, done.result().name());
            Rows.setString(st, 2, done.state());
            Rows.setString(st, 3, done.message());
            Rows.setMillis(st, 4, done.at());
            st.setString(5, done.commandId());
            st.setString(6, p.runId());
            st.addBatch();
          }
        }
        st.executeBatch();
      }
    }
    if (!accepted.isEmpty()) {
      try (PreparedStatement st = c.prepareStatement(sql.updateStatus)) {
        for (Pending p : accepted) {
          bindStatus(st, p.changes, statuses.get(p.runId()));
          st.addBatch();
        }
        st.executeBatch();
      }
    }
  }

  /** The run's status row after {@code changes}: counters on, the lease gone with an end. */
  private static void bindStatus(PreparedStatement st, RunChanges changes, Status old)
      throws SQLException {
    RunStatus status = changes.status().orElse(null);
    boolean ended = status != null ? status.state().isTerminal()
        : RunState.valueOf(old.state).isTerminal();
    st.setString(1, status != null ? status.state().name() : old.state);
    if (status != null) {
      Rows.setMillis(st, 2, status.startedAt());
      Rows.setMillis(st, 3, status.endedAt());
    } else {
      setLong(st, 2, old.startedAt);
      setLong(st, 3, old.endedAt);
    }
    boolean endsNow = status != null && ended;
    if (endsNow || old.owner == null) {
      st.setNull(4, Types.VARCHAR);
    } else {
      st.setString(4, old.owner);
    }
    st.setLong(5, endsNow ? 0 : old.leaseExpires);
    st.setBoolean(6, !endsNow && old.admitted);
    st.setLong(7, old.transitions + changes.transitions().size());
    st.setLong(8, old.history + changes.history().size());
    st.setLong(9, changes.writeId());
    st.setString(10, changes.runId());
  }

  private static void setLong(PreparedStatement st, int i, Long value) throws SQLException {
    if (value == null) {
      st.setNull(i, Types.BIGINT);
    } else {
      st.setLong(i, value);
    }
  }
}
