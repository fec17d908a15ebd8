package dev.dagflow.jdbc.internal;

import dev.dagflow.store.TriggerStore;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerCounters;
import dev.dagflow.trigger.TriggerJson;
import dev.dagflow.trigger.UnknownTriggerException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JDBC {@link TriggerStore}: a row per trigger with its definition (JSON) and counters, a row
 * per processed event id (primary key trigger and event id, with the database's time, for
 * retention), and a row per queued event; the last two go with their trigger (foreign keys, on
 * delete cascade). Every atomic operation is atomic in the database, so across the instances
 * sharing it: counters are raised in one UPDATE, a processed id is taken by the primary key,
 * an event is queued under its trigger's row lock and unqueued by a conditional DELETE.
 * Thread-safe; holds no state but its context.
 */
public final class JdbcTriggerStore implements TriggerStore {
  private final JdbcContext context;
  private final TriggerSql sql;

  public JdbcTriggerStore(JdbcContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.sql = new TriggerSql(context.tables(), context.dialect());
  }

  @Override
  public void save(EventTrigger trigger) {
    Objects.requireNonNull(trigger, "trigger");
    String json = JsonCodec.write(TriggerJson.toJson(trigger));
    context.transactionRetried("save trigger " + trigger.id(), c -> {
      boolean exists = locked(c, trigger.id());
      try (PreparedStatement write = c.prepareStatement(exists ? sql.update : sql.insert)) {
        write.setString(1, trigger.project().orElse(null));
        write.setString(2, json);
        write.setString(3, trigger.id());
        write.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<EventTrigger> get(String id) {
    Objects.requireNonNull(id, "id");
    return context.autoCommit("get trigger " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.get)) {
        st.setString(1, id);
        List<EventTrigger> found = triggers(st);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public List<EventTrigger> list() {
    return context.autoCommit("list triggers", c -> {
      try (PreparedStatement st = c.prepareStatement(sql.list)) {
        return triggers(st);
      }
    });
  }

  @Override
  public List<EventTrigger> list(Optional<String> project) {
    Objects.requireNonNull(project, "project");
    return context.autoCommit("list the triggers of " + project.orElse("no project"), c -> {
      try (PreparedStatement st = c.prepareStatement(
          project.isPresent() ? sql.listProject : sql.listGlobal)) {
        if (project.isPresent()) {
          st.setString(1, project.get());
        }
        return triggers(st);
      }
    });
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    return context.autoCommit("delete trigger " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.delete)) {
        st.setString(1, id);
        return st.executeUpdate() > 0;
      }
    });
  }

  @Override
  public TriggerCounters counters(String id) {
    Objects.requireNonNull(id, "id");
    return context.autoCommit("read the counters of trigger " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.counters)) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            throw new UnknownTriggerException(id);
          }
          long fired = rs.getLong(4);
          Optional<Instant> lastFired = rs.wasNull() ? Optional.empty()
              : Optional.of(Instant.ofEpochMilli(fired));
          return new TriggerCounters(id, rs.getLong(1), rs.getLong(2), rs.getLong(3), lastFired,
              Optional.ofNullable(rs.getString(5)));
        }
      }
    });
  }

  @Override
  public void recordStart(String id, boolean success, Optional<String> error, Instant at) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(error, "error");
    Objects.requireNonNull(at, "at");
    TriggerCounters.zero(id).plus(success, error, at); // refuses a contradictory error
    context.autoCommit("count a start of trigger " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(
          success ? sql.recordSuccess : sql.recordFailure)) {
        int i = 1;
        st.setLong(i++, at.toEpochMilli());
        st.setLong(i++, at.toEpochMilli());
        if (!success) {
          st.setString(i++, error.get());
        }
        st.setString(i, id);
        if (st.executeUpdate() == 0) {
          throw new UnknownTriggerException(id);
        }
      }
      return null;
    });
  }

  @Override
  public boolean markProcessed(String triggerId, String eventId) {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(eventId, "eventId");
    String operation = "mark event " + eventId + " processed by trigger " + triggerId;
    return context.autoCommit(operation, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.markProcessed)) {
        st.setString(1, triggerId);
        st.setString(2, eventId);
        return st.executeUpdate() == 1;
      } catch (SQLException e) {
        if (context.dialect().isForeignKeyViolation(e)) {
          throw new UnknownTriggerException(triggerId);
        }
        if (!sql.markSkipsDuplicates && context.dialect().isDuplicateKey(e)) {
          return false;
        }
        throw e;
      }
    });
  }

  @Override
  public boolean isProcessed(String triggerId, String eventId) {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(eventId, "eventId");
    String operation = "check event " + eventId + " of trigger " + triggerId;
    return context.autoCommit(operation, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.isProcessed)) {
        st.setString(1, eventId);
        st.setString(2, triggerId);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            throw new UnknownTriggerException(triggerId);
          }
          return rs.getString(2) != null;
        }
      }
    });
  }

  @Override
  public Optional<Event> queue(String triggerId, Event event) {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(event, "event");
    String json = JsonCodec.write(TriggerJson.toJson(event));
    return context.transactionRetried("queue event " + event.id() + " for trigger " + triggerId,
        c -> {
          if (!locked(c, triggerId)) {
            throw new UnknownTriggerException(triggerId);
          }
          Optional<Event> before = queued(c, triggerId);
          try (PreparedStatement write = c.prepareStatement(
              before.isPresent() ? sql.queueUpdate : sql.queueInsert)) {
            write.setString(1, event.id());
            write.setString(2, json);
            write.setString(3, triggerId);
            write.executeUpdate();
          }
          return before;
        });
  }

  @Override
  public Optional<Event> queued(String triggerId) {
    Objects.requireNonNull(triggerId, "triggerId");
    return context.autoCommit("read the event queued for trigger " + triggerId,
        c -> queued(c, triggerId));
  }

  @Override
  public boolean unqueue(String triggerId, String eventId) {
    Objects.requireNonNull(triggerId, "triggerId");
    Objects.requireNonNull(eventId, "eventId");
    return context.autoCommit("unqueue event " + eventId + " of trigger " + triggerId, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.unqueue)) {
        st.setString(1, triggerId);
        st.setString(2, eventId);
        return st.executeUpdate() > 0;
      }
    });
  }

  @Override
  public int purgeProcessed(Instant processedBefore, int limit) {
    Objects.requireNonNull(processedBefore, "processedBefore");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive, got " + limit);
    }
    return context.transaction("forget events processed before " + processedBefore, c -> {
      List<String[]> old = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(sql.oldestProcessed)) {
        st.setLong(1, Rows.bound(processedBefore));
        st.setInt(2, limit);
        try (ResultSet rs = st.executeQuery()) {
          while (rs.next()) {
            old.add(new String[] {rs.getString(1), rs.getString(2)});
          }
        }
      }
      int forgotten = 0;
      try (PreparedStatement st = c.prepareStatement(sql.forgetProcessed)) {
        for (String[] key : old) {
          st.setString(1, key[0]);
          st.setString(2, key[1]);
          forgotten += st.executeUpdate();
        }
      }
      return forgotten;
    });
  }

  @Override
  public List<String> withQueued() {
    return context.autoCommit("list the triggers with a queued event", c -> {
      List<String> ids = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(sql.withQueued);
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
      return List.copyOf(ids);
    });
  }

  /** Locks the row of trigger {@code id} for the transaction; whether there is one. */
  private boolean locked(Connection c, String id) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(sql.lock)) {
      lock.setString(1, id);
      try (ResultSet rs = lock.executeQuery()) {
        return rs.next();
      }
    }
  }

  private Optional<Event> queued(Connection c, String triggerId) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.queued)) {
      st.setString(1, triggerId);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next() ? Optional.of(TriggerJson.eventFromJson(
            JsonCodec.readObject(rs.getString(1), "event"))) : Optional.empty();
      }
    }
  }

  private static List<EventTrigger> triggers(PreparedStatement st) throws SQLException {
    List<EventTrigger> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(TriggerJson.fromJson(JsonCodec.readObject(rs.getString(1), "trigger")));
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "JdbcTriggerStore{" + context + "}";
  }
}
