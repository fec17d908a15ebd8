package dev.dagflow.jdbc.internal;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.Fence;
import dev.dagflow.store.LogBatch;
import dev.dagflow.store.LogStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The JDBC {@link LogStore}: a row per line, keyed by run and number, and a row per run in
 * {@code log_fences} holding the epoch its log is fenced at and the highest number it has held
 * (which purges leave alone). One call of {@link #append} is one transaction: it locks the fence
 * rows of its runs (in run id order, so that two calls never deadlock), refuses the batches of a
 * lower epoch, inserts the lines not stored yet and raises the highest numbers; {@link #fence}
 * raises the epoch under the same row lock, so the two never interleave, across every instance
 * sharing the database. Thread-safe; holds no state but its context.
 */
public final class JdbcLogStore implements LogStore {
  /** Lines deleted per transaction by {@link #purgeBefore}. */
  static final int PURGE_CHUNK = 10_000;

  private static final LogLevel[] LEVELS = LogLevel.values();

  private final JdbcContext context;
  private final LogSql sql;

  public JdbcLogStore(JdbcContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.sql = new LogSql(context.tables(), context.dialect());
  }

  @Override
  public List<LogBatch> append(List<LogBatch> batches) {
    Objects.requireNonNull(batches, "batches");
    for (LogBatch b : batches) {
      Objects.requireNonNull(b, "batches must not hold null");
    }
    if (batches.isEmpty()) {
      return List.of();
    }
    return context.transactionRetried("append log lines of " + runIds(batches), c -> {
      Map<String, long[]> fences = new TreeMap<>();
      for (LogBatch b : batches) {
        fences.put(b.runId(), null);
      }
      for (Map.Entry<String, long[]> run : fences.entrySet()) {
        run.setValue(lockFence(c, run.getKey()));
      }
      List<LogBatch> refused = new ArrayList<>();
      try (PreparedStatement insert = c.prepareStatement(sql.insertLine)) {
        for (LogBatch b : batches) {
          long[] fence = fences.get(b.runId());
          if (b.fence().epoch() < fence[0]) {
            refused.add(b);
            continue;
          }
          Set<Long> stored = b.firstSeq() <= fence[1] ? existing(c, b) : Set.of();
          for (LogEntry line : b.lines()) {
            if (stored.contains(line.seq())) {
              continue;
            }
            bind(insert, line);
            insert.addBatch();
          }
          fence[1] = Math.max(fence[1], b.lastSeq());
          fence[2] = 1;
        }
        insert.executeBatch();
      }
      try (PreparedStatement update = c.prepareStatement(sql.updateLastSeq)) {
        for (Map.Entry<String, long[]> run : fences.entrySet()) {
          if (run.getValue()[2] == 1) {
            update.setLong(1, run.getValue()[1]);
            update.setString(2, run.getKey());
            update.addBatch();
          }
        }
        update.executeBatch();
      }
      return List.copyOf(refused);
    });
  }

  @Override
  public long fence(String runId, Fence fence) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(fence, "fence");
    return context.transactionRetried("fence the log of run " + runId + " at " + fence, c -> {
      long[] row = lockFence(c, runId);
      if (fence.epoch() > row[0]) {
        try (PreparedStatement raise = c.prepareStatement(sql.raiseFence)) {
          raise.setLong(1, fence.epoch());
          raise.setString(2, runId);
          raise.setLong(3, fence.epoch());
          raise.executeUpdate();
        }
      }
      return row[1];
    });
  }

  @Override
  public List<LogEntry> query(LogQuery query) {
    Objects.requireNonNull(query, "query");
    int node = query.nodeId().isPresent() ? 1 : 0;
    int since = query.since().isPresent() ? 1 : 0;
    return context.autoCommit("read the log of run " + query.runId(), c -> {
      try (PreparedStatement st = c.prepareStatement(sql.query[node][since])) {
        int i = 1;
        st.setString(i++, query.runId());
        st.setLong(i++, query.afterSequence());
        st.setInt(i++, code(query.minLevel()));
        if (query.nodeId().isPresent()) {
          st.setString(i++, query.nodeId().get());
        }
        if (query.since().isPresent()) {
          st.setLong(i++, query.since().get().toEpochMilli());
        }
        st.setInt(i, query.limit());
        List<LogEntry> lines = new ArrayList<>();
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            lines.add(new LogEntry(query.runId(), rs.getLong(1),
                Optional.ofNullable(rs.getString(2)), rs.getInt(3), level(rs.getInt(4)),
                rs.getString(6), Instant.ofEpochMilli(rs.getLong(5))));
          }
        }
        return List.copyOf(lines);
      }
    });
  }

  @Override
  public long deleteRuns(Collection<String> runIds) {
    Objects.requireNonNull(runIds, "runIds");
    long total = 0;
    for (String runId : List.copyOf(runIds)) { // a transaction per run keeps each one short
      total += context.transaction("delete the log of run " + runId, c -> {
        int deleted;
        try (PreparedStatement st = c.prepareStatement(sql.deleteRunLines)) {
          st.setString(1, runId);
          deleted = st.executeUpdate();
        }
        try (PreparedStatement st = c.prepareStatement(sql.deleteRunFence)) {
          st.setString(1, runId);
          st.executeUpdate();
        }
        return deleted;
      });
    }
    return total;
  }

  @Override
  public long purgeBefore(Instant time) {
    Objects.requireNonNull(time, "time");
    long total = 0;
    while (true) {
      int deleted = context.autoCommit("purge log lines before " + time, c -> {
        try (PreparedStatement st = c.prepareStatement(sql.purgeChunk)) {
          st.setLong(1, Rows.bound(time));
          st.setInt(2, PURGE_CHUNK);
          return st.executeUpdate();
        }
      });
      total += deleted;
      if (deleted < PURGE_CHUNK) {
        return total;
      }
    }
  }

  /**
   * Locks run {@code runId}'s fence row, made first if it has none (a racing maker of the same
   * row makes the transaction run again); returns {epoch, highest number, changed = 0}.
   */
  private long[] lockFence(Connection c, String runId) throws SQLException {
    for (int pass = 0; pass < 2; pass++) {
      try (PreparedStatement lock = c.prepareStatement(sql.lockFence)) {
        lock.setString(1, runId);
        try (ResultSet rs = lock.executeQuery()) {
          if (rs.next()) {
            return new long[] {rs.getLong(1), rs.getLong(2), 0};
          }
        }
      }
      try (PreparedStatement insert = c.prepareStatement(sql.insertFence)) {
        insert.setString(1, runId);
        insert.executeUpdate();
      }
    }
    throw new SQLException("the log fence row of run " + runId + " vanished as it was made");
  }

  private Set<Long> existing(Connection c, LogBatch b) throws SQLException {
    Set<Long> seqs = new HashSet<>();
    try (PreparedStatement st = c.prepareStatement(sql.existing)) {
      st.setString(1, b.runId());
      st.setLong(2, b.firstSeq());
      st.setLong(3, b.lastSeq());
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          seqs.add(rs.getLong(1));
        }
      }
    }
    return seqs;
  }

  private static void bind(PreparedStatement insert, LogEntry line) throws SQLException {
    insert.setString(1, line.runId());
    insert.setLong(2, line.seq());
    if (line.nodeId().isPresent()) {
      insert.setString(3, line.nodeId().get());
    } else {
      insert.setNull(3, Types.VARCHAR);
    }
    insert.setInt(4, line.attempt());
    insert.setInt(5, code(line.level()));
    insert.setLong(6, line.time().toEpochMilli());
    insert.setString(7, line.message());
  }

  /** The stored code of {@code level}: 10, 20, 30, 40 from DEBUG to ERROR, so they order. */
  private static int code(LogLevel level) {
    return (level.ordinal() + 1) * 10;
  }

  private static LogLevel level(int code) {
    int index = code / 10 - 1;
    if (index < 0 || index >= LEVELS.length || code % 10 != 0) {
      throw new IllegalStateException("a stored log line has level code " + code);
    }
    return LEVELS[index];
  }

  private static String runIds(List<LogBatch> batches) {
    Set<String> ids = new java.util.TreeSet<>();
    batches.forEach(b -> ids.add(b.runId()));
    return ids.size() <= 3 ? "runs " + ids : ids.size() + " runs";
  }

  @Override
  public String toString() {
    return "JdbcLogStore{" + context + "}";
  }
}
