package dev.dagflow.jdbc.internal;

import dev.dagflow.store.Lease;
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

/**
 * The lease operations of {@link JdbcRunStore}: claims (locked with {@code SKIP LOCKED} where the
 * database has it, optimistic on H2), renewals and releases (locking their rows in the writer's
 * order), reads of a lease, and the instances' heartbeats; all on the database's clock.
 * Stateless but for its context; thread-safe.
 */
final class JdbcLeases {
  /** The most leases one transaction renews or releases: a lock statement's parameters. */
  private static final int LOCK_CHUNK = 1_000;
  /** The host this JVM runs on, as the engine instances table names it. */
  private static final String HOST = hostName();

  private final JdbcContext db;
  private final RunSql sql;

  JdbcLeases(JdbcContext db, RunSql sql) {
    this.db = db;
    this.sql = sql;
  }

  List<Lease> claim(String owner, int limit, Duration leaseTime) {
    Objects.requireNonNull(owner, "owner");
    long lease = Objects.requireNonNull(leaseTime, "leaseTime").toMillis();
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    String operation = "claim runs for " + owner;
    if (sql.skipLocked()) {
      // read committed: on MariaDB repeatable read's gap locks make two claims deadlock
      return db.readCommitted(operation, c -> {
        long now = sql.now(c);
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
      long now = sql.now(c);
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

  Optional<Lease> claim(String runId, String owner, Duration leaseTime) {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(owner, "owner");
    long lease = Objects.requireNonNull(leaseTime, "leaseTime").toMillis();
    return db.transaction("claim run " + runId + " for " + owner, c -> {
      long now = sql.now(c);
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

  Set<String> renew(Collection<Lease> leases, Duration leaseTime) {
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
        long until = sql.now(c) + lease;
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

  void release(Collection<Lease> leases) {
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

  Optional<Lease> lease(String runId) {
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

  void heartbeat(String instanceId, Instant startedAt) {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(startedAt, "startedAt");
    db.transaction("record the heartbeat of " + instanceId, c -> {
      long now = sql.now(c);
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
}
