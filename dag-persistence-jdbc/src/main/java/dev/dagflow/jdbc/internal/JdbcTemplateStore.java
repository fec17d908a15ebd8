package dev.dagflow.jdbc.internal;

import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The JDBC {@link TemplateStore}: one row per version, keyed by name and version, the spec as
 * its compact native JSON. Saves of one name queue on a lock of its version 1 row, so that each
 * reads the latest version after the one before it committed; two saves racing to create a name
 * meet on the primary key, and the loser saves again after the winner. Thread-safe; holds no
 * state but its context.
 */
public final class JdbcTemplateStore implements TemplateStore {
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9_.:-]{1,128}");

  private final JdbcContext context;
  private final TemplateSql sql;

  public JdbcTemplateStore(JdbcContext context) {
    this.context = Objects.requireNonNull(context, "context");
    this.sql = new TemplateSql(context.tables());
  }

  @Override
  public DagTemplate save(String name, Optional<String> project, DagSpec spec, Instant at) {
    checkId("name", name);
    Objects.requireNonNull(project, "project").ifPresent(p -> checkId("project", p));
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(at, "at");
    String json = JsonCodec.write(DagJson.toTree(spec));
    return context.transactionRetried("save template " + name, c -> {
      try (PreparedStatement lock = c.prepareStatement(sql.lockFirst)) {
        lock.setString(1, name);
        lock.executeQuery().close();
      }
      Optional<Stored> latest = latest(c, name);
      int version = 1;
      if (latest.isPresent()) {
        DagTemplate stored = latest.get().template();
        if (!stored.project().equals(project)) {
          throw InvalidTemplateException.cannotMove(name, stored.project(), project);
        }
        if (latest.get().json().equals(json) || stored.spec().equals(spec)) {
          return stored;
        }
        version = stored.version() + 1;
      }
      try (PreparedStatement insert = c.prepareStatement(sql.insert)) {
        insert.setString(1, name);
        insert.setInt(2, version);
        insert.setString(3, project.orElse(null));
        insert.setString(4, json);
        insert.setLong(5, at.toEpochMilli());
        insert.executeUpdate();
      }
      return new DagTemplate(name, version, project, spec, Instant.ofEpochMilli(at.toEpochMilli()));
    });
  }

  @Override
  public Optional<DagTemplate> get(String name, int version) {
    Objects.requireNonNull(name, "name");
    return context.autoCommit("get template " + name + " v" + version, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.get)) {
        st.setString(1, name);
        st.setInt(2, version);
        return first(st).map(Stored::template);
      }
    });
  }

  @Override
  public Optional<DagTemplate> latest(String name) {
    Objects.requireNonNull(name, "name");
    return context.autoCommit("get the latest template " + name,
        c -> latest(c, name).map(Stored::template));
  }

  @Override
  public List<DagTemplate> versions(String name) {
    Objects.requireNonNull(name, "name");
    return context.autoCommit("list the versions of template " + name, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.versions)) {
        st.setString(1, name);
        return all(st);
      }
    });
  }

  @Override
  public List<DagTemplate> list() {
    return context.autoCommit("list templates", c -> {
      try (PreparedStatement st = c.prepareStatement(sql.list)) {
        return all(st);
      }
    });
  }

  @Override
  public boolean delete(String name) {
    Objects.requireNonNull(name, "name");
    return context.autoCommit("delete template " + name, c -> {
      try (PreparedStatement st = c.prepareStatement(sql.delete)) {
        st.setString(1, name);
        return st.executeUpdate() > 0;
      }
    });
  }

  private Optional<Stored> latest(Connection c, String name) throws SQLException {
    try (PreparedStatement st = c.prepareStatement(sql.latest)) {
      st.setString(1, name);
      return first(st);
    }
  }

  private static Optional<Stored> first(PreparedStatement st) throws SQLException {
    try (ResultSet rs = st.executeQuery()) {
      return rs.next() ? Optional.of(row(rs)) : Optional.empty();
    }
  }

  private static List<DagTemplate> all(PreparedStatement st) throws SQLException {
    List<DagTemplate> out = new ArrayList<>();
    try (ResultSet rs = st.executeQuery()) {
      while (rs.next()) {
        out.add(row(rs).template());
      }
    }
    return List.copyOf(out);
  }

  private static Stored row(ResultSet rs) throws SQLException {
    String json = rs.getString(4);
    DagTemplate template = new DagTemplate(rs.getString(1), rs.getInt(2),
        Optional.ofNullable(rs.getString(3)), DagJson.read(json),
        Instant.ofEpochMilli(rs.getLong(5)));
    return new Stored(template, json);
  }

  private static void checkId(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!ID.matcher(value).matches()) {
      throw new IllegalArgumentException(field + " must match [A-Za-z0-9_.:-]{1,128}, was '"
          + value + "'");
    }
  }

  @Override
  public String toString() {
    return "JdbcTemplateStore{" + context + "}";
  }

  /** A stored version with the JSON text it was read from. */
  private record Stored(DagTemplate template, String json) {}
}
