package dev.dagflow.http.api;

import java.util.Arrays;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Who calls the API, as an {@link Authenticator} found them: a name (recorded as the operator of
 * what they change) and the projects they may read and those they may change. Changing implies
 * reading. A principal never sees another project: its runs, templates, policies and triggers
 * answer 404 to them, as if they did not exist.
 *
 * <p>Immutable and thread-safe.
 */
public final class ApiPrincipal {
  private final String name;
  private final Set<String> reads;
  private final Set<String> changes;

  private ApiPrincipal(String name, Set<String> reads, Set<String> changes) {
    this.name = name;
    this.reads = reads;
    this.changes = changes;
  }

  /**
   * A principal that may read the projects in {@code reads} and read and change those in
   * {@code changes}.
   *
   * @throws NullPointerException if an argument or a project is {@code null}
   * @throws IllegalArgumentException naming {@code name} if it is blank
   */
  public static ApiPrincipal of(String name, Set<String> reads, Set<String> changes) {
    Objects.requireNonNull(name, "name");
    if (name.isBlank()) {
      throw new IllegalArgumentException("name must not be blank");
    }
    Set<String> changing = copy(changes, "changes");
    Set<String> reading = copy(reads, "reads");
    reading.addAll(changing);
    return new ApiPrincipal(name, Set.copyOf(reading), Set.copyOf(changing));
  }

  /** A principal that may read and change {@code projects}. */
  public static ApiPrincipal readWrite(String name, String... projects) {
    return of(name, Set.of(), new TreeSet<>(Arrays.asList(projects)));
  }

  /** A principal that may only read {@code projects}. */
  public static ApiPrincipal readOnly(String name, String... projects) {
    return of(name, new TreeSet<>(Arrays.asList(projects)), Set.of());
  }

  private static Set<String> copy(Set<String> projects, String field) {
    Objects.requireNonNull(projects, field);
    Set<String> out = new TreeSet<>();
    for (String p : projects) {
      out.add(Objects.requireNonNull(p, field));
    }
    return out;
  }

  /** The principal's name: the operator of the changes it makes. */
  public String name() {
    return name;
  }

  /** Whether it may read {@code project}'s runs, templates, policies and triggers. */
  public boolean canRead(String project) {
    return reads.contains(project);
  }

  /** Whether it may change {@code project}: start, stop, publish, save, delete, emit. */
  public boolean canChange(String project) {
    return changes.contains(project);
  }

  /** The projects it may read (those it may change among them); unmodifiable. */
  public Set<String> readableProjects() {
    return reads;
  }

  /** The projects it may change; unmodifiable. */
  public Set<String> changeableProjects() {
    return changes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ApiPrincipal p && name.equals(p.name) && reads.equals(p.reads)
        && changes.equals(p.changes);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, reads, changes);
  }

  @Override
  public String toString() {
    return "ApiPrincipal{" + name + " reads=" + new TreeSet<>(reads) + " changes="
        + new TreeSet<>(changes) + "}";
  }
}
