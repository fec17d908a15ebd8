package dev.dagflow.eval;

import static dev.dagflow.state.NodeState.READY;
import static dev.dagflow.state.NodeState.SKIPPED;
import static dev.dagflow.state.NodeState.WAITING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.Edge;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.NodeSpec;
import org.junit.jupiter.api.Test;

/**
 * What an edge condition reads on each edge type: {@code {"result", "state"}} of the upstream,
 * decided when it ends, with a result only when it COMPLETED (Filter, "What a filter sees").
 */
class EdgeConditionDocumentTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  /** a, and b depending on a through one edge of {@code type} with {@code condition}. */
  private static RunDriver edge(EdgeType type, String condition) {
    return new RunDriver(DagSpec.builder("d")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn(Edge.of("a", type, filter(condition))))
        .build());
  }

  private static ObjectNode filter(String json) {
    return Filter.parse(json).toJson();
  }

  @Test
  void aSuccessConditionReadsTheResultUnderResult() {
    ObjectNode ok = JSON.objectNode().put("status", 200);
    assertThat(edge(EdgeType.SUCCESS, "{\"result.status\": 200}").dispatch("a")
        .completeWith("a", ok).state("b")).isEqualTo(READY);
    assertThat(edge(EdgeType.SUCCESS, "{\"result.status\": {\"$ne\": 404}}").dispatch("a")
        .completeWith("a", JSON.objectNode().put("status", 404)).state("b")).isEqualTo(SKIPPED);
    assertThat(edge(EdgeType.SUCCESS, "{\"state\": \"COMPLETED\"}").succeed("a").state("b"))
        .isEqualTo(READY);
  }

  @Test
  void aFinishConditionSeesTheTerminalStateAndNoResultUnlessCompleted() {
    String failedOnly = "{\"state\": {\"$in\": [\"FAILED\", \"TIMED_OUT\"]}}";
    assertThat(edge(EdgeType.FINISH, failedOnly).fail("a").state("b")).isEqualTo(READY);
    assertThat(edge(EdgeType.FINISH, failedOnly).timeOut("a").state("b")).isEqualTo(READY);
    assertThat(edge(EdgeType.FINISH, failedOnly).succeed("a").state("b")).isEqualTo(SKIPPED);
    assertThat(edge(EdgeType.FINISH, "{\"state\": \"STOPPED\"}").stop("a").state("b"))
        .isEqualTo(READY);
    assertThat(edge(EdgeType.FINISH, "{\"result\": null, \"state\": \"FAILED\"}").fail("a")
        .state("b")).as("a failed upstream has no result").isEqualTo(READY);
  }

  @Test
  void aFailureConditionTellsAFailureFromATimeout() {
    String timedOut = "{\"state\": \"TIMED_OUT\"}";
    assertThat(edge(EdgeType.FAILURE, timedOut).timeOut("a").state("b")).isEqualTo(READY);
    assertThat(edge(EdgeType.FAILURE, timedOut).fail("a").state("b")).isEqualTo(SKIPPED);
    assertThat(edge(EdgeType.FAILURE, timedOut).succeed("a").state("b"))
        .as("the type is not satisfied: the condition is not even asked").isEqualTo(SKIPPED);
  }

  @Test
  void anAnyEdgeWithAConditionWaitsForTheUpstreamToEnd() {
    RunDriver plain = edge(EdgeType.ANY, "{}");
    assertThat(plain.state("b")).as("{} is still a condition: decided when a ends")
        .isEqualTo(WAITING);
    RunDriver run = edge(EdgeType.ANY, "{\"result.ok\": true}");
    assertThat(run.state("a")).isEqualTo(READY);
    assertThat(run.state("b")).as("before a starts").isEqualTo(WAITING);
    assertThat(run.run.explain(run.index("b")).toString())
        .contains("waits for 'a' to be ended, its {result, state} matching {\"result.ok\":true}"
            + " (it is READY)");
    run.dispatch("a");
    assertThat(run.state("b")).as("while a runs").isEqualTo(WAITING);
    run.completeWith("a", JSON.objectNode().put("ok", true));
    assertThat(run.state("b")).isEqualTo(READY);

    assertThat(edge(EdgeType.ANY, "{\"result.ok\": true}").fail("a").state("b"))
        .isEqualTo(SKIPPED);
    RunDriver unconditional = new RunDriver(DagSpec.builder("d")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a", EdgeType.ANY))
        .build());
    assertThat(unconditional.state("b")).as("without a condition: from the start")
        .isEqualTo(READY);
  }
}
