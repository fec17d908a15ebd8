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
import dev.dagflow.store.EndedRuns;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.KeyReuse;
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
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * The {@link RunStore} over JDBC: reads, admissions and purges here; creates (with their
 * idempotency keys) in {@link JdbcCreates}; writes through {@link RunWriter}, which commits the
 * changes of many runs in one transaction; leases in {@link JdbcLeases} and commands in {@link
 * JdbcCommands}. Each operation takes a connection of the host's data source. Leases are judged
 * on the database's clock, read in the statement's own transaction. Thread-safe: all state is in
 * the database, but for a bounded cache of the specs of runs written lately (a spec never
 * changes), used to check the node ids of writes.
 */
public final class JdbcRunStore implements RunStore {
  /** The version of the spec JSON this store writes; {@link #spec} reads every older one. */
  static final int SPEC_FORMAT = 1;
  private static final int CONFLICT_RETRIES = 5;

  private final JdbcContext db;
  private final RunSql sql;
  private final RunWriter writer;
  private final JdbcLeases leases;
  private final JdbcCommands commands;
  private final JdbcCreates creates;
  private final Cache<String, DagSpec> specs =
      CacheBuilder.newBuilder().maximumSize(10_000).build();

  public JdbcRunStore(JdbcContext db) {
    this.db = Objects.requireNonNull(db, "db");
    this.sql = new RunSql(db.dialect().kind(), db.tables(), db.dialect().nowMillis());
    this.writer = new RunWriter(db, sql, this::spec);
    this.leases = new JdbcLeases(db, sql);
    this.commands = new JdbcCommands(db, sql);
    this.creates = new JdbcCreates(db, sql);
  }

  // ---- create and write ----------------------------------------------------------------

  @Override
  public Lease create(RunRecord run, String owner, Duration leaseTime, KeyReuse reuse) {
    Lease created = creates.create(run, owner, leaseTime, reuse);
    specs.put(run.runId(), run.spec());
    return created;
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
    return db.readCommitted(operation, c -> {
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

  // ---- leases: JdbcLeases -------------------------------------------------------------

  @Override
  public List<Lease> claim(String owner, int limit, Duration leaseTime) {
    return leases.claim(owner, limit, leaseTime);
  }

  @Override
  public Optional<Lease> claim(String runId, String owner, Duration leaseTime) {
    return leases.claim(runId, owner, leaseTime);
  }

  @Override
  public Set<String> renew(Collection<Lease> held, Duration leaseTime) {
    return leases.renew(held, leaseTime);
  }

  @Override
  public void release(Collection<Lease> held) {
    leases.release(held);
  }

  @Override
  public Optional<Lease> lease(String runId) {
    return leases.lease(runId);
  }

  @Override
  public void heartbeat(String instanceId, Instant startedAt) {
    leases.heartbeat(instanceId, startedAt);
  }

  // ---- commands: JdbcCommands ---------------------------------------------------------

  @Override
  public void addCommand(RunCommand command) {
    commands.add(command);
  }

  @Override
  public List<RunCommand> pendingCommands(String owner) {
    return commands.pending(owner);
  }

  @Override
  public Optional<RunCommand> command(String commandId) {
    return commands.get(commandId);
  }

  @Override
  public boolean takeCommand(String commandId, String owner) {
    return commands.take(commandId, owner);
  }

  @Override
  public Optional<RunCommand> cancelCommand(String commandId, Instant at) {
    return commands.cancel(commandId, at);
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
        Rows.string(rs, "cause"), rs.getInt("chain_depth"), Rows.string(rs, "start_key"),
        Rows.string(rs, "idempotency_key"));
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
                Rows.string(rs, "engine_ref"), Rows.optionalInstant(rs, "ready_at"),
                Rows.usage(rs, "usage_figures", "an attempt of node " + node)));
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
                  rs.getInt("chain_depth"), Rows.string(rs, "start_key"),
                  Rows.string(rs, "idempotency_key")));
            }
          }
        }
      }
      return new Page<>(items, query.page(), query.size(), total);
    });
  }

  @Override
  public String toString() {
    return "JdbcRunStore{" + db + "}";
  }
}
