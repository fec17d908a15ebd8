package dev.dagflow.jdbc.internal;

import dev.dagflow.schedule.InvalidScheduleException;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleJson;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.schedule.ScheduleState.Outcome;
import dev.dagflow.schedule.UnknownScheduleException;
import dev.dagflow.store.ScheduleStore;
import dev.dagflow.store.StoreException;
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
 * The JDBC {@link ScheduleStore}: a row per schedule with its definition ({@link ScheduleJson}),
 * its counters, last and next fire times and cursor. Every atomic operation is one UPDATE, so
 * atomic across the instances sharing the database (see {@link ScheduleSql}). Thread-safe; holds
 * no state but its context.
 */
public final class JdbcScheduleStore implements ScheduleStore {
  private final JdbcContext context;
  private final ScheduleSql sql;

  public JdbcScheduleStore(JdbcContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.sql = new ScheduleSql(context.tables());
  }

  @Override
  public void save(Schedule schedule) {
    Objects.requireNonNull(schedule, "schedule");
    String json = JsonCodec.write(ScheduleJson.toJson(schedule));
    context.transactionRetried("save schedule " + schedule.id(), c -> {
      boolean exists = locked(c, schedule.id());
      try (PreparedStatement write = c.prepareStatement(exists ? sql.update : sql.insert)) {
        write.setString(1, schedule.project().orElse(null));
        write.setString(2, json);
        write.setString(3, schedule.id());
        write.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<Schedule> get(String id) {
    Objects.requireNonNull(id, "id");
    return context.autoCommit("get schedule " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.get)) {
        st.setString(1, id);
        List<Schedule> found = schedules(st);
        return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
      }
    });
  }

  @Override
  public List<Schedule> list() {
    return context.autoCommit("list schedules", c -> {
      try (PreparedStatement st = c.prepareStatement(sql.list)) {
        return schedules(st);
      }
    });
  }

  @Override
  public List<Schedule> list(Optional<String> project) {
    Objects.requireNonNull(project, "project");
    return context.autoCommit("list the schedules of " + project.orElse("no project"), c -> {
      try (PreparedStatement st = c.prepareStatement(
          project.isPresent() ? sql.listProject : sql.listGlobal)) {
        if (project.isPresent()) {
          st.setString(1, project.get());
        }
        return schedules(st);
      }
    });
  }

  @Override
  public boolean delete(String id) {
    Objects.requireNonNull(id, "id");
    return context.autoCommit("delete schedule " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.delete)) {
        st.setString(1, id);
        return st.executeUpdate() > 0;
      }
    });
  }

  @Override
  public ScheduleState state(String id) {
    Objects.requireNonNull(id, "id");
    return context.autoCommit("read the state of schedule " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.state)) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            throw new UnknownScheduleException(id);
          }
          return new ScheduleState(id, rs.getLong(1), rs.getLong(2), rs.getLong(3),
              Rows.optionalInstant(rs, "last_fire"), Rows.optionalInstant(rs, "next_fire"),
              Optional.ofNullable(rs.getString(6)));
        }
      }
    });
  }

  @Override
  public Optional<Instant> cursor(String id) {
    Objects.requireNonNull(id, "id");
    return context.autoCommit("read the cursor of schedule " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.cursor)) {
        st.setString(1, id);
        try (ResultSet rs = st.executeQuery()) {
          if (!rs.next()) {
            throw new UnknownScheduleException(id);
          }
          return Rows.optionalInstant(rs, "handled_until");
        }
      }
    });
  }

  @Override
  public boolean record(String id, Instant fireTime, Outcome outcome, Optional<String> error) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(fireTime, "fireTime");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(error, "error");
    if ((outcome == Outcome.FAILED) != error.isPresent()) {
      throw new IllegalArgumentException(outcome == Outcome.FAILED
          ? "a failed start needs an error" : "only a failed start has an error");
    }
    long at = Rows.millis(fireTime);
    return context.autoCommit("count fire time " + fireTime + " of schedule " + id, c -> {
      String statement = switch (outcome) {
        case FIRED -> sql.recordFired;
        case SKIPPED -> sql.recordSkipped;
        case FAILED -> sql.recordFailed;
      };
      int changed;
      try (PreparedStatement st = c.prepareStatement(statement)) {
        int i = 1;
        st.setLong(i++, at);
        st.setLong(i++, at);
        st.setLong(i++, at);
        if (outcome == Outcome.FIRED) {
          st.setLong(i++, at);
          st.setString(i, id);
        } else {
          if (outcome == Outcome.FAILED) {
            st.setString(i++, error.get());
          }
          st.setString(i++, id);
          st.setLong(i, at);
        }
        changed = st.executeUpdate();
      }
      if (changed == 0 && !exists(c, id)) {
        throw new UnknownScheduleException(id);
      }
      return changed > 0;
    });
  }

  @Override
  public void handled(String id, Instant through) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(through, "through");
    long at = Rows.millis(through);
    context.autoCommit("move the cursor of schedule " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.handled)) {
        st.setLong(1, at);
        st.setLong(2, at);
        st.setString(3, id);
        if (st.executeUpdate() == 0) {
          throw new UnknownScheduleException(id);
        }
      }
      return null;
    });
  }

  @Override
  public void nextFireTime(String id, Optional<Instant> next) {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(next, "next");
    context.autoCommit("set the next fire time of schedule " + id, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.nextFire)) {
        Rows.setMillis(st, 1, next);
        st.setString(2, id);
        if (st.executeUpdate() == 0) {
          throw new UnknownScheduleException(id);
        }
      }
      return null;
    });
  }

  private boolean exists(Connection c, String id) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.cursor)) {
      st.setString(1, id);
      try (ResultSet rs = st.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Locks the row of schedule {@code id} for the transaction; whether there is one. */
  private boolean locked(Connection c, String id) throws SQLException {
    try (PreparedStatement lock = c.prepareStatement(sql.lock)) {
      lock.setString(1, id);
      try (ResultSet rs = lock.executeQuery()) {
        return rs.next();
      }
    }
  }

  private List<Schedule> schedules(PreparedStatement st) throws SQLException {
    List<Schedule> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        String json = rs.getString(1);
        try {
          out.add(ScheduleJson.fromJson(JsonCodec.readObject(json, "schedule")));
        } catch (InvalidScheduleException e) { // written by us: a row changed by hand
          throw new StoreException("read a schedule at " + context.url(),
              "a stored schedule is not valid: " + e.getMessage(), e);
        }
      }
    }
    return List.copyOf(out);
  }

  @Override
  public String toString() {
    return "JdbcScheduleStore{" + context + "}";
  }
}
