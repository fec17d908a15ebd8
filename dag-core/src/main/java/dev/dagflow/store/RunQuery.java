package dev.dagflow.store;

import dev.dagflow.state.RunState;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which runs to list: by state, project, template and creation time, one page at a time,
 * newest first. Immutable; each method returns a changed copy.
 */
public final class RunQuery {
  /** The largest page size. */
  public static final int MAX_PAGE_SIZE = 1_000;

  private final Set<RunState> states;
  private final String project;
  private final String template;
  private final Instant createdFrom;
  private final Instant createdBefore;
  private final String startKeyPrefix;
  private final int page;
  private final int size;

  private RunQuery(Set<RunState> states, String project, String template, Instant createdFrom,
      Instant createdBefore, String startKeyPrefix, int page, int size) {
    this.states = states;
    this.project = project;
    this.template = template;
    this.createdFrom = createdFrom;
    this.createdBefore = createdBefore;
    this.startKeyPrefix = startKeyPrefix;
    this.page = page;
    this.size = size;
  }

  /** Every run, first page of 50. */
  public static RunQuery all() {
    return new RunQuery(EnumSet.allOf(RunState.class), null, null, null, null, null, 0, 50);
  }

  /** Only runs in one of {@code states}. @throws IllegalArgumentException if none is given */
  public RunQuery states(RunState... states) {
    if (states.length == 0) {
      throw new IllegalArgumentException("states must name at least one state");
    }
    EnumSet<RunState> set = EnumSet.noneOf(RunState.class);
    for (RunState s : states) {
      set.add(Objects.requireNonNull(s, "states"));
    }
    return new RunQuery(set, project, template, createdFrom, createdBefore, startKeyPrefix, page,
        size);
  }

  /** Only runs of {@code project}. */
  public RunQuery project(String project) {
    return new RunQuery(states, Objects.requireNonNull(project, "project"), template,
        createdFrom, createdBefore, startKeyPrefix, page, size);
  }

  /** Only runs started from {@code template}. */
  public RunQuery template(String template) {
    return new RunQuery(states, project, Objects.requireNonNull(template, "template"),
        createdFrom, createdBefore, startKeyPrefix, page, size);
  }

  /** Only runs created at or after {@code from} and before {@code before}. */
  public RunQuery created(Instant from, Instant before) {
    Objects.requireNonNull(from, "from");
    Objects.requireNonNull(before, "before");
    if (!from.isBefore(before)) {
      throw new IllegalArgumentException("created: from " + from + " is not before " + before);
    }
    return new RunQuery(states, project, template, from, before, startKeyPrefix, page, size);
  }

  /**
   * Only runs whose {@link RunRecord#startKey() start key} begins with {@code prefix}, case
   * included: {@code trigger:<id>/} finds the runs trigger {@code id} started.
   *
   * @throws IllegalArgumentException if {@code prefix} is empty
   */
  public RunQuery startKeyPrefix(String prefix) {
    if (Objects.requireNonNull(prefix, "prefix").isEmpty()) {
      throw new IllegalArgumentException("startKeyPrefix must not be empty");
    }
    return new RunQuery(states, project, template, createdFrom, createdBefore, prefix, page,
        size);
  }

  /**
   * The page to return.
   *
   * @throws IllegalArgumentException if {@code page} is negative or {@code size} not 1 to
   *     {@link #MAX_PAGE_SIZE}
   */
  public RunQuery page(int page, int size) {
    if (page < 0) {
      throw new IllegalArgumentException("page must not be negative, got " + page);
    }
    if (size < 1 || size > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException(
          "size must be 1 to " + MAX_PAGE_SIZE + ", got " + size);
    }
    return new RunQuery(states, project, template, createdFrom, createdBefore, startKeyPrefix,
        page, size);
  }

  /** The states asked for; unmodifiable. */
  public Set<RunState> states() {
    return Collections.unmodifiableSet(states);
  }

  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  public Optional<String> template() {
    return Optional.ofNullable(template);
  }

  public Optional<Instant> createdFrom() {
    return Optional.ofNullable(createdFrom);
  }

  public Optional<Instant> createdBefore() {
    return Optional.ofNullable(createdBefore);
  }

  public Optional<String> startKeyPrefix() {
    return Optional.ofNullable(startKeyPrefix);
  }

  public int page() {
    return page;
  }

  public int size() {
    return size;
  }

  /** Whether {@code run} is one this query asks for (paging aside). */
  public boolean matches(RunSummary run) {
    return states.contains(run.state())
        && (project == null || run.project().filter(project::equals).isPresent())
        && (template == null || run.template().filter(template::equals).isPresent())
        && (createdFrom == null || !run.createdAt().isBefore(createdFrom))
        && (createdBefore == null || run.createdAt().isBefore(createdBefore))
        && (startKeyPrefix == null
            || run.startKey().filter(k -> k.startsWith(startKeyPrefix)).isPresent());
  }

  @Override
  public String toString() {
    return "RunQuery{states=" + states + (project == null ? "" : " project=" + project)
        + (template == null ? "" : " template=" + template)
        + (createdFrom == null ? "" : " created=[" + createdFrom + ", " + createdBefore + ")")
        + (startKeyPrefix == null ? "" : " startKeyPrefix=" + startKeyPrefix)
        + " page=" + page + " size=" + size + "}";
  }
}
