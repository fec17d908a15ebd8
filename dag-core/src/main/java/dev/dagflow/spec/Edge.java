package dev.dagflow.spec;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.json.internal.Json;
import java.util.Objects;
import java.util.Optional;

/**
 * A dependency of a node on an upstream node: the node waits until the edge is satisfied, as
 * {@link EdgeType} describes. An edge with a condition is satisfied only if its type is satisfied
 * and the condition matches; if the type is satisfied and the condition does not match, the edge
 * can never be satisfied. That is how branches are taken.
 *
 * <p>A condition is a {@link dev.dagflow.filter.Filter} decided once, when the upstream ends,
 * over the document {@code {"result": <the upstream's result>, "state": "<its terminal
 * state>"}}: so {@code {"result.status": 200}}, not {@code {"status": 200}}. The result is JSON
 * {@code null} unless the upstream is {@code COMPLETED}, so on a {@code FAILURE} or {@code
 * FINISH} edge the condition tests {@code state} ({@code {"state": "TIMED_OUT"}}). A condition
 * on an {@link EdgeType#ANY} edge makes the edge wait for the upstream to end, as {@code FINISH}
 * does. Paths must start with {@code result} or {@code state}; the node's {@link
 * NodeSpec.Builder#build()} refuses others (see {@link dev.dagflow.filter.Filter}, "What a filter
 * sees").
 *
 * <p>Immutable and thread-safe. The condition is copied in and out, so no caller can change it.
 */
public final class Edge {
  private final String upstream;
  private final EdgeType type;
  private final ObjectNode condition;

  private Edge(String upstream, EdgeType type, ObjectNode condition) {
    this.upstream = Objects.requireNonNull(upstream, "upstream");
    this.type = Objects.requireNonNull(type, "type");
    this.condition = condition;
  }

  /** A {@link EdgeType#SUCCESS} edge from {@code upstream}. */
  public static Edge on(String upstream) {
    return new Edge(upstream, EdgeType.SUCCESS, null);
  }

  /** An edge of the given type from {@code upstream}. */
  public static Edge of(String upstream, EdgeType type) {
    return new Edge(upstream, type, null);
  }

  /**
   * An edge of the given type from {@code upstream} that is satisfied only when {@code
   * condition} matches {@code {"result", "state"}} of the upstream once it has ended.
   *
   * @throws InvalidJsonException naming {@code condition} (and the place in it) if it holds a
   *     value that is not JSON or breaks a {@link JsonLimits} limit where it sits in DAG JSON
   */
  public static Edge of(String upstream, EdgeType type, ObjectNode condition) {
    Objects.requireNonNull(condition, "condition");
    return new Edge(upstream, type, Json.canonicalCopy(condition, "condition",
        NativeDepths.CONDITION_DEPTH));
  }

  /** The id of the node this edge waits on. */
  public String upstream() {
    return upstream;
  }

  /** The edge type. */
  public EdgeType type() {
    return type;
  }

  /** A copy of the condition, a filter over {@code {"result", "state"}} of the upstream. */
  public Optional<ObjectNode> condition() {
    return condition == null ? Optional.empty() : Optional.of(condition.deepCopy());
  }

  /** Whether the edge has a condition. */
  public boolean hasCondition() {
    return condition != null;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Edge e
        && upstream.equals(e.upstream)
        && type == e.type
        && Objects.equals(condition, e.condition);
  }

  @Override
  public int hashCode() {
    return Objects.hash(upstream, type, condition);
  }

  @Override
  public String toString() {
    return upstream + (type == EdgeType.SUCCESS ? "" : " (" + type + ")")
        + (condition == null ? "" : " if " + condition);
  }
}
