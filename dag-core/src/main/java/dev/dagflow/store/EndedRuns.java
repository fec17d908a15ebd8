package dev.dagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Which ended runs a purge deletes ({@link RunStore#purgeEnded}): the runs that ended (reached a
 * terminal state) before {@code endedBefore}, of {@code project} if one is given, else of every
 * project not in {@code otherThan} (runs without a project included). Immutable.
 *
 * @param otherThan the projects left out when no project is given; empty with a project
 */
public record EndedRuns(Instant endedBefore, Optional<String> project, Set<String> otherThan) {
  public EndedRuns {
    Objects.requireNonNull(endedBefore, "endedBefore");
    Objects.requireNonNull(project, "project");
    otherThan = Set.copyOf(Objects.requireNonNull(otherThan, "otherThan"));
    if (project.isPresent() && !otherThan.isEmpty()) {
      throw new IllegalArgumentException("otherThan is for a purge of every project, not of "
          + "project " + project.get());
    }
  }

  /** The runs of every project that ended before {@code endedBefore}. */
  public static EndedRuns before(Instant endedBefore) {
    return new EndedRuns(endedBefore, Optional.empty(), Set.of());
  }

  /** The runs of {@code project} that ended before {@code endedBefore}. */
  public static EndedRuns ofProject(String project, Instant endedBefore) {
    return new EndedRuns(endedBefore, Optional.of(Objects.requireNonNull(project, "project")),
        Set.of());
  }

  /** Whether a run of {@code runProject} that ended at {@code endedAt} is one of these. */
  public boolean matches(Optional<String> runProject, Instant endedAt) {
    if (!endedAt.isBefore(endedBefore)) {
      return false;
    }
    return project.isPresent() ? runProject.equals(project)
        : runProject.isEmpty() || !otherThan.contains(runProject.get());
  }
}
