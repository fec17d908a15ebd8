package dev.dagflow.spec;

import dev.dagflow.internal.Ids;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Which isolated worker pool runs a DAG's nodes. Every scope has a {@link #workerKey() worker
 * key}; runs with the same key share a pool.
 *
 * <p>Immutable and thread-safe. Factories throw {@link IllegalArgumentException} for an id that
 * does not match {@code [A-Za-z0-9_.:-]{1,128}}.
 */
public final class DagScope {
  /** The kinds of scope. */
  public enum Kind {
    /** One pool shared by every run. */
    GLOBAL,
    /** One pool per project, or one per run when the project does not reuse workers. */
    PROJECT,
    /** One pool per user. */
    USER,
    /** One pool per DAG type. */
    TYPE
  }

  private static final DagScope GLOBAL = new DagScope(Kind.GLOBAL, null, true);

  private final Kind kind;
  private final String id;
  private final boolean reuseWorker;

  private DagScope(Kind kind, String id, boolean reuseWorker) {
    this.kind = kind;
    this.id = id;
    this.reuseWorker = reuseWorker;
  }

  /** The global scope, worker key {@code worker-global}. */
  public static DagScope global() {
    return GLOBAL;
  }

  /**
   * A project's scope, worker key {@code worker-project-{projectId}}.
   *
   * @param reuseWorker {@code true} to share the project's pool between runs, {@code false} to
   *     give each run a pool of its own
   */
  public static DagScope project(String projectId, boolean reuseWorker) {
    return new DagScope(Kind.PROJECT, checkId("projectId", projectId), reuseWorker);
  }

  /** A user's scope, worker key {@code worker-user-{userId}}. */
  public static DagScope user(String userId) {
    return new DagScope(Kind.USER, checkId("userId", userId), true);
  }

  /** A DAG type's scope, worker key {@code worker-type-{dagType}}. */
  public static DagScope dagType(String dagType) {
    return new DagScope(Kind.TYPE, checkId("dagType", dagType), true);
  }

  private static String checkId(String field, String value) {
    return Ids.check(field, value);
  }

  /** The kind of scope. */
  public Kind kind() {
    return kind;
  }

  /** The project, user or DAG type id; empty for the global scope. */
  public Optional<String> id() {
    return Optional.ofNullable(id);
  }

  /**
   * Whether runs share the scope's pool. Only a project scope may answer {@code false}, meaning
   * each run gets a pool of its own.
   */
  public boolean reuseWorker() {
    return reuseWorker;
  }

  /** The key of the worker pool: {@code worker-global}, {@code worker-project-{id}}, … */
  public String workerKey() {
    return kind == Kind.GLOBAL ? "worker-global" : "worker-" + kindName() + "-" + id;
  }

  /** The lower-case name of the kind, as used in JSON: {@code global}, {@code project}, … */
  public String kindName() {
    return kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DagScope other
        && kind == other.kind
        && Objects.equals(id, other.id)
        && reuseWorker == other.reuseWorker;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, id, reuseWorker);
  }

  @Override
  public String toString() {
    return kind == Kind.PROJECT && !reuseWorker ? workerKey() + " (worker per run)" : workerKey();
  }
}
