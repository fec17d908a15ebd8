package dev.dagflow.jdbc.internal;

import com.google.common.cache.Cache;
import com.google.common.cache.CacheBuilder;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.CommandOutcome;
import dev.dagflow.store.DuplicateStartException;
import dev.dagflow.store.EndedRuns;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunCommand;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.StoreException;
import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The {@link RunStore} over JDBC. Reads and lease operations take a connection of the host's
 * data source each; writes go through {@link RunWriter}, which commits the changes of many runs
 * in one transaction. Leases are judged on the database's clock, read in the statement's own
 * transaction. Thread-safe: all state is in the database, but for a bounded cache of the specs
 * of runs written lately (a spec never changes), used to check the node ids of writes.
 */
public final class JdbcRunStore implements RunStore {
  /** The version of the spec JSON this store writes; {@link #spec} reads every older one. */
  static final int SPEC_FORMAT = 1;
  private static final int CONFLICT_RETRIES = 5;
  /** The most leases one transaction renews or releases: a lock statement's parameters. */
  private static final int LOCK_CHUNK = 1_000;
  /** The host this JVM runs on, as the engine instances table names it. */
  private static final String HOST = hostName();

  private final JdbcContext db;
  private final RunSql sql;
  private final RunWriter writer;
  private final Cache<String, DagSpec> specs =
      CacheBuilder.newBuilder().maximumSize(10_000).build();

  public JdbcRunStore(JdbcContext db) {
    this.db = Objects.requireNonNull(db, "db");
    this.sql = new RunSql(db.dialect().kind(), db.tables(), db.dialect().nowMillis());
    this.writer = new RunWriter(db, sql, this::spec);
  }

  // ---- create and write ----------------------------------------------------------------

  @Override
  public Lease create(RunRecord run, String owner, Duration leaseTime) {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(owner, "owner");
    long lease = Objects.requireNonNull(leaseTime, "leaseTime").toMillis();
    String operation = "create run " + run.runId();
    String spec = run.spec().toJson();
    String params = Rows.json(run.params());
    try {
      Lease created = db.transaction(operation, c -> {
        long now = now(c);
        try (PreparedStatement st = c.prepareStatement(sql.insertRun)) {
          st.setString(1, run.runId());
          st.setString(2, run.spec().id());
          st.setInt(3, SPEC_FORMAT);
          st.setString(4, spec);
          st.setString(5, params);
          st.setString(6, run.scopeKey());
          Rows.setString(st, 7, run.project());
          Rows.setString(st, 8, run.template());
          st.setInt(9, run.templateVersion());
          st.setInt(10, run.priority());
          Rows.setMillis(st, 11, run.createdAt());
          Rows.setString(st, 12, run.cause());
          st.setInt(13, run.chainDepth());
          Rows.setString(st, 14, run.startKey());
          st.executeUpdate();
        } catch (SQLException e) {
          if (db.dialect().isDuplicateKey(e)) {
            throw new Duplicate(e);
          }
          throw e;
        }
        try (PreparedStatement st = c.prepareStatement(sql.insertStatus)) {
          st.setString(1, run.runId());
          st.setString(2, run.state().name());
          Rows.setMillis(st, 3, run.startedAt());
          Rows.setMillis(st, 4, run.endedAt());
          Rows.setMillis(st, 5, run.createdAt());
          st.setString(6, run.scopeKey());
          st.setString(7, owner);
          st.setLong(8, now + lease);
          st.setBoolean(9, false);
          st.executeUpdate();
        }
        return new Lease(run.runId(), owner, 1, Instant.ofEpochMilli(now + lease));
      });
      specs.put(run.runId(), run.spec());
      return created;
    } catch (Duplicate e) {
      throw duplicate(operation, run, e.getCause());
    } catch (IllegalArgumentException e) { // a time out of range
      throw new StoreException(operation, e.getMessage(), e);
    }
  }

  /** Why a create broke a unique key: its id, or its start key. */
  private RuntimeException duplicate(String operation, RunRecord run, Throwable cause) {
    boolean exists = db.autoCommit(operation, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.runExists)) {
        st.setString(1, run.runId());
        try (ResultSet rs = st.executeQuery()) {
          return rs.next();
        }
      }
    });
    if (exists || run.startKey().isEmpty()) {
      return new StoreException(operation, "a run with this id exists", cause);
    }
    Optional<String> holder = db.autoCommit(operation, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.runIdByStartKey)) {
        st.setString(1, run.startKey().get());
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(rs.getString(1)) : Optional.<String>empty();
        }
      }
    });
    if (holder.isEmpty()) { // the other run went meanwhile: a create again may succeed
      return new StoreException(operation, "a run with its start key existed", cause);
    }
    return new DuplicateStartException(operation, run.startKey().get(), holder.get());
  }

  /** A create that broke a unique key, carried out of its transaction. */
  private static final class Duplicate extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Duplicate(SQLException cause) {
      super(cause);
    }
  }

  @Override
  public void apply(RunChanges changes) {
    try {
      writer.submit(Objects.requireNonNull(changes, "changes")).toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  @Override
  public CompletionStage<Void> applyAsync(RunChanges changes) {
    return writer.submit(Objects.requireNonNull(changes, "changes"));
  }

  @Override
  public boolean admit(String runId, Fence fence, int limit) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(fence, "fence");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    String operation = "admit run " + runId;
    for (int attempt = 1; ; attempt++) {
      try {
        return admitOnce(operation, runId, fence, limit);
      } catch (StoreException e) {
        // two first admissions of a scope may deadlock on its new row: one gives way
        if (attempt == CONFLICT_RETRIES || !(e.getCause() instanceof SQLException cause)
            || !Conflicts.isConflict(cause)) {
          throw e;
        }
      }
    }
  }

  private boolean admitOnce(String operation, String runId, Fence fence, int limit) {
    // each count sees the admissions committed before the scope's lock was given
    return readCommitted(operation, c -> {
      String scope;
      try (PreparedStatement st = c.prepareStatement(sql.statusForAdmission)) {
        st.setString(1, runId);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            throw new StoreException(operation, "no run with this id");
          }
          long epoch = rs.getLong("epoch");
          if (epoch != fence.epoch()) {
            throw new LeaseLostException(operation, runId, fence, epoch,
                Rows.string(rs, "owner"));
          }
          RunState state = RunState.valueOf(rs.getString("state"));
          if (state.isTerminal()) {
            return false;
          }
          if (rs.getBoolean("admitted") || state != RunState.PENDING) {
            return true;
          }
          scope = rs.getString("scope_key");
        }
      }
      if (!lockScope(c, scope)) { // the scope's first admission: its row first
        try (PreparedStatement st = c.prepareStatement(sql.insertScope)) {
          st.setString(1, scope);
          st.executeUpdate();
        }
        lockScope(c, scope);
      }
      try (PreparedStatement st = c.prepareStatement(sql.placesTaken)) {
        st.setString(1, scope);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          if (rs.getLong(1) >= limit) {
            return false;
          }
        }
      }
      try (PreparedStatement st = c.prepareStatement(sql.admitRun)) {
        st.setString(1, runId);
        st.executeUpdate();
      }
      return true;
    });
  }

  /** Locks the row of {@code scope}; false if it has none yet. */
  private boolean lockScope(Connection c, String scope) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.lockScope)) {
      st.setString(1, scope);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  // ---- leases ----------------------------------------------------------------------------

  @Override
  public List<Lease> claim(String owner, int limit, Duration leaseTime) {
    Objects.requireNonNull(owner, "owner");
    long lease = Objects.requireNonNull(leaseTime, "leaseTime").toMillis();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    String operation = "claim runs for " + owner;
    if (sql.skipLocked()) {
      // read committed: on MariaDB repeatable read's gap locks make two claims deadlock
      return readCommitted(operation, c -> {
        long now = now(c);
        List<Candidate> free = freeRuns(c, now, limit);
        List<Lease> claimed = new ArrayList<>(free.size());
        for (Candidate run : free) {
          if (claimOne(c, run, owner, now, lease)) {
            claimed.add(new Lease(run.runId, owner, run.epoch + 1,
                Instant.ofEpochMilli(now + lease)));
          }
        }
        return List.copyOf(claimed);
      });
    }
    // no SKIP LOCKED (H2): candidates unlocked, each claimed by an update that checks that
    // nobody claimed it first, in a transaction of its own so that no claim waits long
    return db.autoCommit(operation, c -> {
      long now = now(c);
      List<Lease> claimed = new ArrayList<>();
      for (Candidate run : freeRuns(c, now, limit)) {
        boolean won;
        try {
          won = claimOne(c, run, owner, now, lease);
        } catch (SQLException e) {
          if (!Conflicts.isConflict(e)) {
            throw e;
          }
          won = false; // another claim holds or took it
        }
        if (won) {
          claimed.add(new Lease(run.runId, owner, run.epoch + 1,
              Instant.ofEpochMilli(now + lease)));
        }
      }
      return List.copyOf(claimed);
    });
  }

  private record Candidate(String runId, long epoch) {}

  private List<Candidate> freeRuns(Connection c, long now, int limit) throws SQLException {
    List<Candidate> free = new ArrayList<>();
    try (PreparedStatement st = c.prepareStatement(sql.freeRuns())) {
      st.setLong(1, now);
      st.setInt(2, limit);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          free.add(new Candidate(rs.getString(1), rs.getLong(2)));
        }
      }
    }
    return free;
  }

  private boolean claimOne(Connection c, Candidate run, String owner, long now, long lease)
      throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.claimOne)) {
      st.setString(1, owner);
      st.setLong(2, now + lease);
      st.setString(3, run.runId);
      st.setLong(4, run.epoch);
      st.setLong(5, now);
      return st.executeUpdate() == 1;
    }
  }

  @Override
  public Optional<Lease> claim(String runId, String owner, Duration leaseTime) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(owner, "owner");
    long lease = Objects.requireNonNull(leaseTime, "leaseTime").toMillis();
    return db.transaction("claim run " + runId + " for " + owner, c -> {
      long now = now(c);
      long epoch;
      try (PreparedStatement st = c.prepareStatement(sql.claimedEpoch)) {
        st.setString(1, runId);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            return Optional.<Lease>empty();
          }
          epoch = rs.getLong(1);
        }
      }
      if (!claimOne(c, new Candidate(runId, epoch), owner, now, lease)) {
        return Optional.<Lease>empty(); // a live lease, or claimed meanwhile
      }
      return Optional.of(new Lease(runId, owner, epoch + 1, Instant.ofEpochMilli(now + lease)));
    });
  }

  @Override
  public Set<String> renew(Collection<Lease> leases, Duration leaseTime) {
    Objects.requireNonNull(leases, "leases");
    long lease = Objects.requireNonNull(leaseTime, "leaseTime").toMillis();
    if (leases.isEmpty()) {
      return Set.of();
    }
    List<Lease> all = List.copyOf(leases);
    int[] counts = new int[all.size()];
    for (int from = 0; from < all.size(); from += LOCK_CHUNK) {
      List<Lease> chunk = all.subList(from, Math.min(all.size(), from + LOCK_CHUNK));
      int[] done = db.transaction("renew " + chunk.size() + " leases", c -> {
        lockInWriterOrder(c, chunk);
        long until = now(c) + lease;
        try (PreparedStatement st = c.prepareStatement(sql.renew)) {
          for (Lease l : chunk) {
            st.setLong(1, until);
            st.setString(2, l.runId());
            st.setString(3, l.owner());
            st.setLong(4, l.epoch());
            st.addBatch();
          }
          return st.executeBatch();
        }
      });
      System.arraycopy(done, 0, counts, from, done.length);
    }
    Set<String> lost = new LinkedHashSet<>();
    for (int i = 0; i < all.size(); i++) {
      Lease l = all.get(i);
      if (counts[i] == 0 || counts[i] == Statement.EXECUTE_FAILED) {
        lost.add(l.runId());
      } else if (counts[i] == Statement.SUCCESS_NO_INFO) { // a driver that batches blind
        Optional<Lease> now = lease(l.runId());
        if (now.isEmpty() || !now.get().owner().equals(l.owner())
            || now.get().epoch() != l.epoch()) {
          lost.add(l.runId());
        }
      }
    }
    return Set.copyOf(lost);
  }

  @Override
  public void release(Collection<Lease> leases) {
    Objects.requireNonNull(leases, "leases");
    if (leases.isEmpty()) {
      return;
    }
    List<Lease> all = List.copyOf(leases);
    for (int from = 0; from < all.size(); from += LOCK_CHUNK) {
      List<Lease> chunk = all.subList(from, Math.min(all.size(), from + LOCK_CHUNK));
      db.transaction("release " + chunk.size() + " leases", c -> {
        lockInWriterOrder(c, chunk);
        try (PreparedStatement st = c.prepareStatement(sql.release)) {
          for (Lease l : chunk) {
            st.setString(1, l.runId());
            st.setString(2, l.owner());
            st.setLong(3, l.epoch());
            st.addBatch();
          }
          return st.executeBatch();
        }
      });
    }
  }

  /**
   * Locks the status rows of {@code leases} with the statement the run writer locks its batch's
   * with, so in the same order (run id, as the database orders it): a renewal or release that
   * updated its rows in its own order held some while it waited for others, which a batch of
   * writes held while it waited for those: a deadlock (PostgreSQL breaks it only after its
   * deadlock_timeout, 1 s by default, long enough for short leases to expire meanwhile).
   */
  private void lockInWriterOrder(Connection c, List<Lease> leases) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.lockStatuses(leases.size()))) {
      for (int i = 0; i < leases.size(); i++) {
        st.setString(i + 1, leases.get(i).runId());
      }
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          rs.getString(1); // read to the end: every row locked, whatever the fetch size
        }
      }
    }
  }

  @Override
  public Optional<Lease> lease(String runId) {
    Objects.requireNonNull(runId, "runId");
    return db.autoCommit("read the lease of run " + runId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.lease)) {
        st.setString(1, runId);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(new Lease(runId, rs.getString(1), rs.getLong(2),
              Instant.ofEpochMilli(rs.getLong(3)))) : Optional.<Lease>empty();
        }
      }
    });
  }

  @Override
  public void heartbeat(String instanceId, Instant startedAt) {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(startedAt, "startedAt");
    db.transaction("record the heartbeat of " + instanceId, c -> {
      long now = now(c);
      try (PreparedStatement st = c.prepareStatement(sql.heartbeat)) {
        st.setString(1, instanceId);
        st.setString(2, HOST);
        Rows.setMillis(st, 3, startedAt);
        st.setLong(4, now);
        return st.executeUpdate();
      }
    });
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  // ---- commands --------------------------------------------------------------------------

  @Override
  public void addCommand(RunCommand command) {
    Objects.requireNonNull(command, "command");
    if (command.outcome().isPresent()) {
      throw new IllegalArgumentException("command " + command.id() + " has an outcome already");
    }
    String operation = "add command " + command.id() + " to run " + command.runId();
    try {
      db.autoCommit(operation, c -> {
        try (PreparedStatement st = c.prepareStatement(sql.insertCommand)) {
          st.setString(1, command.id());
          st.setString(2, command.runId());
          st.setString(3, command.kind().name());
          Rows.setString(st, 4, command.nodeId());
          Rows.setJson(st, 5, command.patch());
          st.setString(6, command.operator());
          Rows.setMillis(st, 7, command.createdAt());
          return st.executeUpdate();
        } catch (SQLException e) {
          if (db.dialect().isForeignKeyViolation(e)) {
            throw new StoreException(operation, "no run with this id", e);
          }
          if (db.dialect().isDuplicateKey(e)) {
            throw new StoreException(operation, "a command with this id exists", e);
          }
          throw e;
        }
      });
    } catch (IllegalArgumentException e) {
      throw new StoreException(operation, e.getMessage(), e);
    }
  }

  @Override
  public List<RunCommand> pendingCommands(String owner) {
    Objects.requireNonNull(owner, "owner");
    return db.autoCommit("read the commands for " + owner, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.waitingCommandsOf)) {
        st.setString(1, owner);
        try (ResultSet rs = st.executeQuery()) {
          List<RunCommand> commands = new ArrayList<>();
          while (rs.next()) {
            commands.add(command(rs));
          }
          return List.copyOf(commands);
        }
      }
    });
  }

  @Override
  public Optional<RunCommand> command(String commandId) {
    Objects.requireNonNull(commandId, "commandId");
    return db.autoCommit("read command " + commandId, c -> command(c, commandId));
  }

  private Optional<RunCommand> command(Connection c, String commandId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.commandById)) {
      st.setString(1, commandId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(command(rs)) : Optional.empty();
      }
    }
  }

  private static RunCommand command(ResultSet rs) throws SQLException {
    String id = rs.getString("id");
    Optional<CommandOutcome> outcome = Optional.empty();
    String result = rs.getString("outcome");
    if (result != null) {
      outcome = Optional.of(new CommandOutcome(id, CommandOutcome.Result.valueOf(result),
          Rows.string(rs, "outcome_state"), Rows.string(rs, "outcome_message"),
          Rows.instant(rs, "outcome_at")));
    }
    return new RunCommand(id, rs.getString("run_id"),
        RunCommand.Kind.valueOf(rs.getString("kind")), Rows.string(rs, "node_id"),
        Rows.optionalObject(rs, "patch", "command " + id), rs.getString("operator"),
        Rows.instant(rs, "created_at"), outcome, Rows.string(rs, "taken_by"));
  }

  @Override
  public boolean takeCommand(String commandId, String owner) {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(owner, "owner");
    return db.autoCommit("take command " + commandId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.takeCommand)) {
        st.setString(1, owner);
        st.setString(2, commandId);
        return st.executeUpdate() == 1;
      }
    });
  }

  @Override
  public Optional<RunCommand> cancelCommand(String commandId, Instant at) {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(at, "at");
    return db.transaction("withdraw command " + commandId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.cancelCommand)) {
        st.setString(1, "withdrawn by its sender");
        Rows.setMillis(st, 2, at);
        st.setString(3, commandId);
        st.executeUpdate();
      }
      return command(c, commandId);
    });
  }

  // ---- bounded growth ---------------------------------------------------------------------

  @Override
  public List<String> purgeEnded(EndedRuns which, int limit) {
    Objects.requireNonNull(which, "which");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    List<String> otherThan = List.copyOf(which.otherThan());
    return db.transaction("purge runs ended before " + which.endedBefore(), c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(
          sql.endedRuns(which.project().isPresent(), otherThan.size()))) {
        int i = 1;
        st.setLong(i++, Rows.bound(which.endedBefore()));
        if (which.project().isPresent()) {
          st.setString(i++, which.project().get());
        }
        for (String project : otherThan) {
          st.setString(i++, project);
        }
        st.setInt(i, limit);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            ids.add(rs.getString(1));
          }
        }
      }
      if (!ids.isEmpty()) {
        try (PreparedStatement st = c.prepareStatement(sql.deleteRun())) {
          for (String id : ids) {
            st.setString(1, id);
            st.addBatch();
          }
          st.executeBatch();
        }
      }
      ids.forEach(specs::invalidate);
      return List.copyOf(ids);
    });
  }

  // ---- reads -----------------------------------------------------------------------------

  @Override
  public Optional<RunRecord> run(String runId) {
    Objects.requireNonNull(runId, "runId");
    return db.autoCommit("read run " + runId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.runById)) {
        st.setString(1, runId);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? Optional.of(record(rs)) : Optional.<RunRecord>empty();
        }
      }
    });
  }

  private RunRecord record(ResultSet rs) throws SQLException {
    String runId = rs.getString("id");
    DagSpec spec = spec(runId, rs.getInt("spec_format"), rs.getString("spec"));
    return new RunRecord(runId, spec, Rows.object(rs.getString("params"), "run " + runId),
        RunState.valueOf(rs.getString("state")), rs.getString("scope_key"),
        Rows.string(rs, "project"), Rows.string(rs, "template"), rs.getInt("template_version"),
        rs.getInt("priority"), Rows.instant(rs, "created_at"),
        Rows.optionalInstant(rs, "started_at"), Rows.optionalInstant(rs, "ended_at"),
        Rows.string(rs, "cause"), rs.getInt("chain_depth"), Rows.string(rs, "start_key"));
  }

  /** The spec of run {@code runId} as stored in {@code format}, cached. */
  private DagSpec spec(String runId, int format, String json) {
    DagSpec cached = specs.getIfPresent(runId);
    if (cached != null) {
      return cached;
    }
    if (format < 1 || format > SPEC_FORMAT) {
      throw new StoreException("read run " + runId, "its spec is stored in format " + format
          + ", which this dagflow does not know (it knows 1 to " + SPEC_FORMAT + ")");
    }
    DagSpec spec = DagSpec.fromJson(json);
    specs.put(runId, spec);
    return spec;
  }

  /** The spec of run {@code runId}, read on {@code c} unless cached; null if no such run. */
  DagSpec spec(Connection c, String runId) throws SQLException {
    DagSpec cached = specs.getIfPresent(runId);
    if (cached != null) {
      return cached;
    }
    try (PreparedStatement st = c.prepareStatement(sql.specById)) {
      st.setString(1, runId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? spec(runId, rs.getInt(1), rs.getString(2)) : null;
      }
    }
  }

  @Override
  public List<NodeRecord> nodes(String runId) {
    Objects.requireNonNull(runId, "runId");
    return db.autoCommit("read the nodes of run " + runId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.nodesOfRun)) {
        st.setString(1, runId);
        try (ResultSet rs = st.executeQuery()) {
          List<NodeRecord> nodes = new ArrayList<>();
          while (rs.next()) {
            String node = rs.getString("node_id");
            String what = "node " + node + " of run " + runId;
            nodes.add(new NodeRecord(runId, node, NodeState.valueOf(rs.getString("state")),
                rs.getInt("attempt"), rs.getInt("attempt_base"), rs.getInt("progress"),
                Rows.optionalInstant(rs, "started_at"), Rows.optionalInstant(rs, "ended_at"),
                Rows.optionalInstant(rs, "wait_until"), Rows.optionalJson(rs, "result", what),
                Rows.string(rs, "error_code"), Rows.string(rs, "error_message"),
                Rows.optionalObject(rs, "config", what)));
          }
          return List.copyOf(nodes);
        }
      }
    });
  }

  @Override
  public List<AttemptRecord> attempts(String runId) {
    Objects.requireNonNull(runId, "runId");
    return db.autoCommit("read the attempts of run " + runId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.attemptsOfRun)) {
        st.setString(1, runId);
        try (ResultSet rs = st.executeQuery()) {
          List<AttemptRecord> attempts = new ArrayList<>();
          while (rs.next()) {
            String node = rs.getString("node_id");
            attempts.add(new AttemptRecord(runId, node, rs.getInt("attempt"),
                Rows.instant(rs, "started_at"), Rows.optionalInstant(rs, "ended_at"),
                AttemptOutcome.valueOf(rs.getString("outcome")),
                Rows.optionalJson(rs, "result", "an attempt of node " + node),
                Rows.string(rs, "error_code"), Rows.string(rs, "error_message"),
                Rows.string(rs, "engine_ref")));
          }
          return List.copyOf(attempts);
        }
      }
    });
  }

  @Override
  public List<StateTransition> transitions(String runId, long skip, int limit) {
    Objects.requireNonNull(runId, "runId");
    checkPage(skip, limit);
    return db.autoCommit("read the transitions of run " + runId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.transitionsOfRun)) {
        st.setString(1, runId);
        st.setLong(2, skip);
        st.setInt(3, limit);
        try (ResultSet rs = st.executeQuery()) {
          List<StateTransition> page = new ArrayList<>();
          while (rs.next()) {
            page.add(new StateTransition(runId, rs.getString(1), rs.getInt(2),
                NodeState.valueOf(rs.getString(3)), NodeState.valueOf(rs.getString(4)),
                rs.getString(5), TriggerType.valueOf(rs.getString(6)), rs.getString(7),
                Instant.ofEpochMilli(rs.getLong(8))));
          }
          return List.copyOf(page);
        }
      }
    });
  }

  @Override
  public long transitionCount(String runId) {
    return count(runId, 1);
  }

  private long count(String runId, int column) {
    Objects.requireNonNull(runId, "runId");
    return db.autoCommit("count the records of run " + runId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.counts)) {
        st.setString(1, runId);
        try (ResultSet rs = st.executeQuery()) {
          return rs.next() ? rs.getLong(column) : 0L;
        }
      }
    });
  }

  @Override
  public List<HistoryEntry> history(String runId, long skip, int limit) {
    Objects.requireNonNull(runId, "runId");
    checkPage(skip, limit);
    return db.autoCommit("read the history of run " + runId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.historyOfRun)) {
        st.setString(1, runId);
        st.setLong(2, skip);
        st.setInt(3, limit);
        try (ResultSet rs = st.executeQuery()) {
          List<HistoryEntry> page = new ArrayList<>();
          String what = "the history of run " + runId;
          while (rs.next()) {
            page.add(new HistoryEntry(runId, Rows.string(rs, "node_id"), rs.getString("action"),
                rs.getString("operator"), Rows.jsonNode(rs.getString("old_value"), what),
                Rows.jsonNode(rs.getString("new_value"), what), Rows.instant(rs, "at")));
          }
          return List.copyOf(page);
        }
      }
    });
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
    RunFilter filter = RunFilter.of(query);
    return db.autoCommit("list runs " + query, c -> {
      long total;
      try (PreparedStatement st = c.prepareStatement(sql.countRuns(filter.where()))) {
        filter.bind(st);
        try (ResultSet rs = st.executeQuery()) {
          rs.next();
          total = rs.getLong(1);
        }
      }
      List<RunSummary> items = new ArrayList<>();
      long offset = (long) query.page() * query.size();
      if (offset < total) {
        try (PreparedStatement st = c.prepareStatement(sql.pageOfRuns(filter.where()))) {
          int next = filter.bind(st);
          st.setInt(next, query.size());
          st.setLong(next + 1, offset);
          try (ResultSet rs = st.executeQuery()) {
            while (rs.next()) {
              items.add(new RunSummary(rs.getString("id"), rs.getString("spec_id"),
                  RunState.valueOf(rs.getString("state")), rs.getString("scope_key"),
                  Rows.string(rs, "project"), Rows.string(rs, "template"),
                  rs.getInt("template_version"), rs.getInt("priority"),
                  Rows.instant(rs, "created_at"), Rows.optionalInstant(rs, "started_at"),
                  Rows.optionalInstant(rs, "ended_at"), Rows.string(rs, "cause"),
                  rs.getInt("chain_depth"), Rows.string(rs, "start_key")));
            }
          }
        }
      }
      return new Page<>(items, query.page(), query.size(), total);
    });
  }

  /**
   * {@code work} in one transaction at READ COMMITTED, the connection's own level restored
   * after it: statements that must see what others committed while this one waited for a lock.
   */
  private <T> T readCommitted(String operation, JdbcContext.SqlWork<T> work) {
    try (Connection c = db.connect(operation)) {
      int level = c.getTransactionIsolation();
      c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
      try {
        return JdbcContext.inTransaction(c, work);
      } finally {
        c.setTransactionIsolation(level);
      }
    } catch (SQLException e) {
      throw db.failure(operation, e);
    }
  }

  /** The database's clock, in epoch milliseconds, read on {@code c}. */
  private long now(Connection c) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.now); ResultSet rs = st.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  @Override
  public String toString() {
    return "JdbcRunStore{" + db + "}";
  }
}
