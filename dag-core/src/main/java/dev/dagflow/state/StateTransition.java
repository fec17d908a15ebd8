package dev.dagflow.state;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One recorded change of a node's state: the audit trail of a run. Immutable and thread-safe.
 */
public final class StateTransition {
  private final String runId;
  private final String nodeId;
  private final int attempt;
  private final NodeState from;
  private final NodeState to;
  private final String reason;
  private final TriggerType trigger;
  private final String operator;
  private final Instant time;

  /**
   * Creates a record.
   *
   * @param attempt the node's attempt number, 0 before its first attempt
   * @param operator who asked for it, or {@code null} for the engine itself
   */
  public StateTransition(String runId, String nodeId, int attempt, NodeState from, NodeState to,
      String reason, TriggerType trigger, String operator, Instant time) {
    this.runId = Objects.requireNonNull(runId, "runId");
    this.nodeId = Objects.requireNonNull(nodeId, "nodeId");
    this.attempt = attempt;
    this.from = Objects.requireNonNull(from, "from");
    this.to = Objects.requireNonNull(to, "to");
    this.reason = Objects.requireNonNull(reason, "reason");
    this.trigger = Objects.requireNonNull(trigger, "trigger");
    this.operator = operator;
    this.time = Objects.requireNonNull(time, "time");
  }

  public String runId() {
    return runId;
  }

  public String nodeId() {
    return nodeId;
  }

  /** The attempt number; 0 before the first attempt. */
  public int attempt() {
    return attempt;
  }

  public NodeState from() {
    return from;
  }

  public NodeState to() {
    return to;
  }

  /** Why, for people: {@code "upstream 'a' FAILED"}, {@code "timeout PT30S"}. */
  public String reason() {
    return reason;
  }

  public TriggerType trigger() {
    return trigger;
  }

  /** Who asked for it; empty for the engine itself. */
  public Optional<String> operator() {
    return Optional.ofNullable(operator);
  }

  public Instant time() {
    return time;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StateTransition t
        && runId.equals(t.runId) && nodeId.equals(t.nodeId) && attempt == t.attempt
        && from == t.from && to == t.to && reason.equals(t.reason) && trigger == t.trigger
        && Objects.equals(operator, t.operator) && time.equals(t.time);
  }

  @Override
  public int hashCode() {
    return Objects.hash(runId, nodeId, attempt, from, to, reason, trigger, operator, time);
  }

  @Override
  public String toString() {
    return time + " " + runId + "/" + nodeId + "#" + attempt + " " + from + " -> " + to + " ("
        + trigger + (operator == null ? "" : " by " + operator) + "): " + reason;
  }
}
