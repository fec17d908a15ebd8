package dev.dagflow.jdbc.internal;

import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * The WHERE clause of a {@link RunQuery} and its parameters, in order: the clause is made of
 * fixed fragments only, every value a parameter. Immutable.
 */
final class RunFilter {
  private final String where;
  private final List<Object> values;

  private RunFilter(String where, List<Object> values) {
    this.where = where;
    this.values = values;
  }

  static RunFilter of(RunQuery query) {
    List<String> conditions = new ArrayList<>();
    List<Object> values = new ArrayList<>();
    List<String> marks = new ArrayList<>();
    for (RunState state : query.states()) {
      marks.add("?");
      values.add(state.name());
    }
    conditions.add("s.state IN (" + String.join(", ", marks) + ")");
    query.project().ifPresent(p -> {
      conditions.add("r.project = ?");
      values.add(p);
    });
    query.template().ifPresent(t -> {
      conditions.add("r.template = ?");
      values.add(t);
    });
    query.createdFrom().ifPresent(from -> {
      conditions.add("r.created_at >= ?");
      values.add(Rows.bound(from));
    });
    query.createdBefore().ifPresent(before -> {
      conditions.add("r.created_at < ?");
      values.add(Rows.bound(before));
    });
    query.startKeyPrefix().ifPresent(prefix -> {
      conditions.add(RunSql.startKeyLike());
      values.add(RunSql.likePrefix(prefix));
    });
    return new RunFilter(" WHERE " + String.join(" AND ", conditions), List.copyOf(values));
  }

  /** The clause, from {@code " WHERE"}. */
  String where() {
    return where;
  }

  /** Sets the clause's parameters from the first; returns the index of the next. */
  int bind(PreparedStatement st) throws SQLException {
    int i = 1;
    for (Object value : values) {
      if (value instanceof Long l) {
        st.setLong(i++, l);
      } else {
        st.setString(i++, (String) value);
      }
    }
    return i;
  }
}
