package dev.dagflow.jdbc.internal;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.PolicyJson;
import dev.dagflow.store.PolicyStore;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JDBC {@link PolicyStore}: one row per policy, its settings as JSON. The default is a
 * column, {@code default_of}, holding the policy's project ({@code ''} for a global policy)
 * while it is the default and NULL otherwise: its unique key keeps one default per project
 * across every instance sharing the database, and a save that makes a default clears the
 * previous one in the same transaction. Saves of defaults of one project queue on the locks of
 * that project's policies (two first ones racing meet on the unique key, and the loser saves
 * again). Thread-safe; holds no state but its context.
 */
public final class JdbcPolicyStore implements PolicyStore {
  private static final String GLOBAL = "";

  private final JdbcContext context;
  private final PolicySql sql;

  public JdbcPolicyStore(JdbcContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.sql = new PolicySql(context.tables());
  }

  @Override
  public void save(ExecutionPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    String json = JsonCodec.write(PolicyJson.toJson(policy));
    String defaultOf = policy.isProjectDefault() ? policy.project().orElse(GLOBAL) : null;
    context.transactionRetried("save policy " + policy.name(), c -> {
      if (defaultOf != null) {
        try (PreparedStatement lock = c.prepareStatement(
            policy.project().isPresent() ? sql.lockProject : sql.lockGlobal)) {
          if (policy.project().isPresent()) {
            lock.setString(1, policy.project().get());
          }
          lock.executeQuery().close();
        }
        try (PreparedStatement clear = c.prepareStatement(sql.clearDefault)) {
          clear.setString(1, defaultOf);
          clear.setString(2, policy.name());
          clear.executeUpdate();
        }
      }
      boolean exists;
      try (PreparedStatement lock = c.prepareStatement(sql.lock)) {
        lock.setString(1, policy.name());
        try (ResultSet rs = lock.executeQuery()) {
          exists = rs.next();
        }
      }
      try (PreparedStatement write = c.prepareStatement(exists ? sql.update : sql.insert)) {
        write.setString(1, policy.project().orElse(null));
        write.setString(2, defaultOf);
        write.setString(3, json);
        write.setString(4, policy.name());
        write.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<ExecutionPolicy> get(String name) {
    Objects.requireNonNull(name, "name");
    return context.autoCommit("get policy " + name, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.get)) {
        st.setString(1, name);
        return first(st);
      }
    });
  }

  @Override
  public Optional<ExecutionPolicy> defaultFor(Optional<String> project) {
    Objects.requireNonNull(project, "project");
    return context.autoCommit("get the default policy of " + project.orElse("global"), c -> {
      try (PreparedStatement st = c.prepareStatement(sql.defaultFor)) {
        st.setString(1, project.orElse(GLOBAL));
        return first(st);
      }
    });
  }

  @Override
  public List<ExecutionPolicy> list() {
    return context.autoCommit("list policies", c -> {
      List<ExecutionPolicy> out = new ArrayList<>();
      try (PreparedStatement st = c.prepareStatement(sql.list);
          ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          out.add(row(rs));
        }
      }
      return List.copyOf(out);
    });
  }

  @Override
  public boolean delete(String name) {
    Objects.requireNonNull(name, "name");
    return context.autoCommit("delete policy " + name, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.delete)) {
        st.setString(1, name);
        return st.executeUpdate() > 0;
      }
    });
  }

  private static Optional<ExecutionPolicy> first(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      return rs.next() ? Optional.of(row(rs)) : Optional.empty();
    }
  }

  private static ExecutionPolicy row(ResultSet rs) throws SQLException {
    return PolicyJson.fromJson(JsonCodec.readObject(rs.getString(1), "policy")).toBuilder()
        .projectDefault(rs.getString(2) != null).build();
  }

  @Override
  public String toString() {
    return "JdbcPolicyStore{" + context + "}";
  }
}
