package dev.dagflow.store;

import dev.dagflow.state.StateTransition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one step of a run changed, written by {@link RunStore#apply} all together: the run's
 * status, node records and attempts (each replacing the stored one with the same key), and new
 * transitions and history entries (appended), and the outcomes of commands it consumed, under
 * the writer's {@link Fence}. Immutable once built.
 */
public final class RunChanges {
  private static final AtomicLong WRITE_IDS = new AtomicLong();

  private final long writeId;
  private final String runId;
  private final Fence fence;
  private final RunStatus status;
  private final List<NodeRecord> nodes;
  private final List<AttemptRecord> attempts;
  private final List<StateTransition> transitions;
  private final List<HistoryEntry> history;
  private final List<CommandOutcome> commandOutcomes;

  private RunChanges(RunChanges other, Fence fence) {
    writeId = WRITE_IDS.incrementAndGet();
    runId = other.runId;
    this.fence = fence;
    status = other.status;
    nodes = other.nodes;
    attempts = other.attempts;
    transitions = other.transitions;
    history = other.history;
    commandOutcomes = other.commandOutcomes;
  }

  private RunChanges(Builder b) {
    writeId = WRITE_IDS.incrementAndGet();
    runId = b.runId;
    fence = b.fence;
    status = b.status;
    nodes = List.copyOf(b.nodes);
    attempts = List.copyOf(b.attempts);
    transitions = List.copyOf(b.transitions);
    history = List.copyOf(b.history);
    commandOutcomes = List.copyOf(b.commandOutcomes);
  }

  /** A builder of the changes of run {@code runId}, written under {@code fence}. */
  public static Builder builder(String runId, Fence fence) {
    return new Builder(runId, fence);
  }

  public String runId() {
    return runId;
  }

  /**
   * What tells these changes from every other of the JVM: the same object given to the store
   * again (a write retried because its answer was lost) has the same id. With the fence's epoch
   * it names one write of one owner, so that a store that can commit a write and lose the
   * answer may recognise the same write again and not apply it twice.
   */
  public long writeId() {
    return writeId;
  }

  /**
   * These changes under {@code fence}, as another write: what an engine that claimed its own
   * run back (nobody held it in between) writes a change again with that the store refused for
   * the epoch it had before.
   */
  public RunChanges withFence(Fence fence) {
    return new RunChanges(this, Objects.requireNonNull(fence, "fence"));
  }

  /** The writer's fence: the store refuses the changes if its epoch is not the run's. */
  public Fence fence() {
    return fence;
  }

  /** The run's new status, if it changed; the run's definition is never written again. */
  public Optional<RunStatus> status() {
    return Optional.ofNullable(status);
  }

  /** Node records to write, at most one per node; unmodifiable. */
  public List<NodeRecord> nodes() {
    return nodes;
  }

  /** Attempts to write, at most one per node and attempt number; unmodifiable. */
  public List<AttemptRecord> attempts() {
    return attempts;
  }

  /** Transitions to append, in order; unmodifiable. */
  public List<StateTransition> transitions() {
    return transitions;
  }

  /** History entries to append, in order; unmodifiable. */
  public List<HistoryEntry> history() {
    return history;
  }

  /** Outcomes of commands of the run applied or refused in this step; unmodifiable. */
  public List<CommandOutcome> commandOutcomes() {
    return commandOutcomes;
  }

  /** Whether nothing changed. */
  public boolean isEmpty() {
    return status == null && nodes.isEmpty() && attempts.isEmpty() && transitions.isEmpty()
        && history.isEmpty() && commandOutcomes.isEmpty();
  }

  /** Collects changes. Not thread-safe. */
  public static final class Builder {
    private final String runId;
    private final Fence fence;
    private RunStatus status;
    private final List<NodeRecord> nodes = new ArrayList<>();
    private final List<AttemptRecord> attempts = new ArrayList<>();
    private final List<StateTransition> transitions = new ArrayList<>();
    private final List<HistoryEntry> history = new ArrayList<>();
    private final List<CommandOutcome> commandOutcomes = new ArrayList<>();
    /** The index of each attempt by node and number, once there are {@link #INDEX_FROM}. */
    private Map<String, Integer> attemptIndex;
    private static final int INDEX_FROM = 16;

    private Builder(String runId, Fence fence) {
      this.runId = Objects.requireNonNull(runId, "runId");
      this.fence = Objects.requireNonNull(fence, "fence");
    }

    public Builder status(RunStatus status) {
      Objects.requireNonNull(status, "status");
      this.status = check(status.runId(), status);
      return this;
    }

    public Builder node(NodeRecord node) {
      nodes.add(check(node.runId(), node));
      return this;
    }

    /** Adds {@code attempt}, replacing one of the same node and number added before. */
    public Builder attempt(AttemptRecord attempt) {
      check(attempt.runId(), attempt);
      if (attemptIndex == null && attempts.size() < INDEX_FROM) {
        for (int i = attempts.size() - 1; i >= 0; i--) {
          AttemptRecord earlier = attempts.get(i);
          if (earlier.attempt() == attempt.attempt()
              && earlier.nodeId().equals(attempt.nodeId())) {
            attempts.set(i, attempt);
            return this;
          }
        }
        attempts.add(attempt);
        return this;
      }
      if (attemptIndex == null) { // many attempts: found by key, not by a scan of them all
        attemptIndex = new HashMap<>();
        for (int i = 0; i < attempts.size(); i++) {
          attemptIndex.put(key(attempts.get(i)), i);
        }
      }
      Integer earlier = attemptIndex.putIfAbsent(key(attempt), attempts.size());
      if (earlier != null) {
        attempts.set(earlier, attempt);
      } else {
        attempts.add(attempt);
      }
      return this;
    }

    private static String key(AttemptRecord a) {
      return a.nodeId() + '\0' + a.attempt();
    }

    public Builder transition(StateTransition transition) {
      transitions.add(check(transition.runId(), transition));
      return this;
    }

    public Builder history(HistoryEntry entry) {
      history.add(check(entry.runId(), entry));
      return this;
    }

    public Builder commandOutcome(CommandOutcome outcome) {
      commandOutcomes.add(Objects.requireNonNull(outcome, "outcome"));
      return this;
    }

    public RunChanges build() {
      return new RunChanges(this);
    }

    private <T> T check(String otherRunId, T value) {
      if (!runId.equals(otherRunId)) {
        throw new IllegalArgumentException(
            "changes of run " + runId + " cannot hold a record of run " + otherRunId);
      }
      return value;
    }
  }
}
