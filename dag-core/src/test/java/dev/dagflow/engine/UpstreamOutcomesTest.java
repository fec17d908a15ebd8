package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.EdgeType;
import dev.dagflow.spec.Join;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * A node's context tells it how each upstream stands (state, result, error), not only the
 * results of those that completed: a notify on a FINISH edge can say why deploy ended.
 */
class UpstreamOutcomesTest {
  private final Map<String, Map<String, UpstreamOutcome>> seen = new ConcurrentHashMap<>();
  private final Map<String, Map<String, ?>> results = new ConcurrentHashMap<>();

  private Harness harness() {
    return new Harness(b -> b.handler("notify", ctx -> {
      seen.put(ctx.nodeId(), ctx.upstreams());
      results.put(ctx.nodeId(), ctx.upstreamResults());
      return null;
    }), "t");
  }

  @Test
  void aNotifyOnAFinishEdgeSeesWhyItsUpstreamFailed() {
    try (Harness h = harness()) {
      h.executor.script("build", Outcome.succeed(JsonNodeFactory.instance.objectNode()
          .put("image", "shop:41")));
      h.executor.script("deploy", Outcome.failPermanently("ROLLOUT", "3 of 5 pods crashed"));
      String run = h.submit(DagSpec.builder("ship")
          .node(NodeSpec.task("build", "t"))
          .node(NodeSpec.task("deploy", "t").dependsOn("build"))
          .node(NodeSpec.task("notify", "notify").dependsOn("build")
              .dependsOn("deploy", EdgeType.FINISH))
          .build());
      h.awaitRun(run, RunState.FAILED);

      Map<String, UpstreamOutcome> up = seen.get("notify");
      assertThat(up.keySet()).containsExactly("build", "deploy");
      UpstreamOutcome build = up.get("build");
      assertThat(build.state()).isEqualTo(NodeState.COMPLETED);
      assertThat(build.result()).hasValueSatisfying(r ->
          assertThat(r.path("image").asText()).isEqualTo("shop:41"));
      assertThat(build.errorCode()).isEmpty();
      UpstreamOutcome deploy = up.get("deploy");
      assertThat(deploy.state()).isEqualTo(NodeState.FAILED);
      assertThat(deploy.result()).isEmpty();
      assertThat(deploy.errorCode()).hasValue("ROLLOUT");
      assertThat(deploy.errorMessage()).hasValue("3 of 5 pods crashed");
      assertThat(results.get("notify").keySet()).containsExactly("build");
    }
  }

  @Test
  void anUpstreamAOneJoinDidNotWaitForIsShownAsItStands() {
    try (Harness h = harness()) {
      h.executor.script("fast", Outcome.succeed(JsonNodeFactory.instance.objectNode()
          .put("port", 443)).after(Duration.ofSeconds(1)));
      h.executor.script("slow", Outcome.hang());
      String run = h.submit(DagSpec.builder("race")
          .node(NodeSpec.task("fast", "t"))
          .node(NodeSpec.task("slow", "t"))
          .node(NodeSpec.task("first", "notify").dependsOn("fast", "slow").join(Join.ONE))
          .build());
      h.awaitCalls("slow", 1);
      h.awaitCalls("fast", 1);
      h.clock.advance(Duration.ofSeconds(1));
      h.awaitNode(run, "first", NodeState.COMPLETED);

      Map<String, UpstreamOutcome> up = seen.get("first");
      assertThat(up.get("fast").state()).isEqualTo(NodeState.COMPLETED);
      assertThat(up.get("fast").result()).hasValueSatisfying(r ->
          assertThat(r.path("port").asInt()).isEqualTo(443));
      assertThat(up.get("slow").state()).isEqualTo(NodeState.RUNNING);
      assertThat(up.get("slow").result()).isEmpty();
      assertThat(up.get("slow").errorCode()).isEmpty();
      h.engine.stop(run, "t");
    }
  }

  @Test
  void aRetriedUpstreamShowsNoErrorOnceItCompleted() {
    try (Harness h = harness()) {
      h.executor.script("flaky", Outcome.fail("NET", "reset"), Outcome.succeed());
      String run = h.submit(DagSpec.builder("retry")
          .node(NodeSpec.task("flaky", "t").retry(RetryPolicy.builder().maxAttempts(2)
              .initialDelay(Duration.ofSeconds(5)).build()))
          .node(NodeSpec.task("after", "notify").dependsOn("flaky"))
          .build());
      h.awaitNode(run, "flaky", NodeState.WAITING);
      h.clock.advance(Duration.ofSeconds(5));
      h.awaitRun(run, RunState.COMPLETED);

      UpstreamOutcome flaky = seen.get("after").get("flaky");
      assertThat(flaky.state()).isEqualTo(NodeState.COMPLETED);
      assertThat(flaky.errorCode()).isEmpty();
      assertThat(flaky.errorMessage()).isEmpty();
    }
  }
}
