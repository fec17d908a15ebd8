package dev.dagflow.jdbc.internal;

import dev.dagflow.store.CommandOutcome;
import dev.dagflow.store.RunCommand;
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
 * The commands of {@link JdbcRunStore}: operations sent to the owner of a run, stored until it
 * takes and applies them (their outcome is written by the run's own writes, see {@link
 * RunWriter}). Stateless but for its context; thread-safe.
 */
final class JdbcCommands {
  private final JdbcContext db;
  private final RunSql sql;

  JdbcCommands(JdbcContext db, RunSql sql) {
    this.db = db;
    this.sql = sql;
  }

  void add(RunCommand command) {
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

  List<RunCommand> pending(String owner) {
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

  Optional<RunCommand> get(String commandId) {
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

  boolean take(String commandId, String owner) {
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

  Optional<RunCommand> cancel(String commandId, Instant at) {
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
}
