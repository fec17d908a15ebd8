package dev.dagflow.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The chain of nodes that decided how long a run took, from the times its attempts recorded,
 * with every started node's slack. Immutable; read it from {@link RunView#criticalPath} or
 * {@link DagEngine#criticalPath}.
 *
 * <p><b>A node's time</b> runs from the moment its gates opened, its first attempt's ready time
 * ({@link dev.dagflow.store.AttemptRecord#readyAt()}; its start where that is not known; for a
 * container without a set-up, the moment it went RUNNING), to its end. So it holds its queue
 * wait, every attempt and the backoff between them. A node that has not ended counts up to the
 * time the path is drawn for (the engine's time source now, for a live run); a node that never
 * started (SKIPPED, stopped while waiting, still waiting or queued) has no time and is not on
 * the path.
 *
 * <p><b>The path</b> is found backwards from the top-level node that ended last (on a tie, one
 * still running). A container on it ended with its last child (likewise), so the path goes on
 * inside it from that child. From a node's start it goes to what released it latest: the
 * upstream (through a SUCCESS, FAILURE or FINISH edge; an ANY edge never holds a node back)
 * whose end came last, no later than the node's start, or, if that came later, its container's
 * start (the end of its set-up, if it has one); a node released by nothing is where the path
 * begins. A container's children on the path lie inside its span.
 *
 * <p><b>Slack</b> is how much later a node could have ended without the run ending later, the
 * other nodes taking as long as they did: its latest finish minus its end. The latest finish is
 * the earliest of the run's end, its container's latest finish, and for each node it released
 * through an edge that latest finish minus that node's time.
 *
 * @param steps the nodes of the path, by start (a container before its children); empty if no
 *     node started
 * @param total the path's length, from its first step's start to its last step's end; the
 *     run's duration unless its first node waited for a not-before time
 * @param slack every started node's slack, by id in the spec's order, unmodifiable
 */
public record CriticalPath(List<Step> steps, Duration total, Map<String, Duration> slack) {

  public CriticalPath {
    steps = List.copyOf(steps);
    Objects.requireNonNull(total, "total");
    slack = Collections.unmodifiableMap(new LinkedHashMap<>(slack));
  }

  /** The ids of the nodes on the path, in its order. */
  public List<String> nodeIds() {
    return steps.stream().map(Step::nodeId).toList();
  }

  /**
   * One node on the path.
   *
   * @param start when its gates opened (see {@link CriticalPath})
   * @param end when it ended, or the time the path was drawn for if it has not ended
   * @param slack how much later it could have ended without the run ending later
   * @param after what released it: the upstream whose end did, or the container whose start
   *     did; empty for the first step
   */
  public record Step(String nodeId, Instant start, Instant end, Duration slack,
      Optional<String> after) {

    public Step {
      Objects.requireNonNull(nodeId, "nodeId");
      Objects.requireNonNull(start, "start");
      Objects.requireNonNull(end, "end");
      Objects.requireNonNull(slack, "slack");
      Objects.requireNonNull(after, "after");
    }

    /** How long it took, from its start to its end. */
    public Duration duration() {
      return Duration.between(start, end);
    }
  }
}
