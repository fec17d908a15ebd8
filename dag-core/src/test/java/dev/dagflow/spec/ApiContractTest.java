package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the public model promises: immutability, nothing shared with builders, no nulls. */
class ApiContractTest {

  @Test
  void jsonValuesAreCopiedInAndOut() {
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("ports", "80");
    NodeSpec node = NodeSpec.task("a", "t").config(config).build();

    config.put("ports", "all");
    node.config().put("ports", "changed by a caller");

    assertThat(node.config().get("ports").asText()).isEqualTo("80");
  }

  @Test
  void aBuiltSpecSharesNothingWithItsBuilder() {
    DagSpec.Builder builder = DagSpec.builder("d").node(NodeSpec.task("a", "t"));
    DagSpec first = builder.build();

    builder.node(NodeSpec.task("b", "t")).name("renamed");

    assertThat(first.nodes()).extracting(NodeSpec::id).containsExactly("a");
    assertThat(first.name()).isEqualTo("d");
    assertThat(builder.build().size()).isEqualTo(2);
  }

  @Test
  void aNodeBuilderAddedToADagIsTakenAsItWasThen() {
    NodeSpec.Builder node = NodeSpec.task("a", "t");
    DagSpec.Builder dag = DagSpec.builder("d").node(node);

    node.timeout(Duration.ZERO);

    assertThat(dag.build().node("a").orElseThrow().timeout()).isEmpty();
  }

  @Test
  void collectionsHandedOutAreUnmodifiable() {
    DagSpec spec = DagSpec.builder("d")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .build();

    assertThatThrownBy(() -> spec.nodes().clear()).isInstanceOf(UnsupportedOperationException.class);
    List<Edge> edges = spec.node("b").orElseThrow().edges();
    assertThatThrownBy(() -> edges.add(Edge.on("x"))).isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void absentValuesAreEmptyOptionalsNeverNull() {
    NodeSpec node = NodeSpec.container("box").build();

    assertThat(node.taskType()).isEmpty();
    assertThat(node.parent()).isEmpty();
    assertThat(node.retry()).isEmpty();
    assertThat(node.timeout()).isEmpty();
    assertThat(node.notBefore()).isEmpty();
    assertThat(node.delay()).isEmpty();
    assertThat(node.activation()).isEmpty();
    assertThat(node.config().isEmpty()).isTrue();
    assertThat(node.edges()).isEmpty();
    DagSpec spec = DagSpec.builder("d").node(node).build();
    assertThat(spec.node("nope")).isEmpty();
    assertThat(spec.policyName()).isEmpty();
    assertThat(spec.scope()).isEqualTo(DagScope.global());
  }

  @Test
  void nullArgumentsAreRejectedAtOnce() {
    assertThatThrownBy(() -> DagSpec.builder(null)).isInstanceOf(NullPointerException.class)
        .hasMessage("id");
    assertThatThrownBy(() -> NodeSpec.task("a", "t").dependsOn((String) null))
        .isInstanceOf(NullPointerException.class).hasMessage("upstream");
    assertThatThrownBy(() -> NodeSpec.task("a", "t").timeout(null))
        .isInstanceOf(NullPointerException.class).hasMessage("timeout");
    assertThatThrownBy(() -> DagJson.read(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void absurdlyDeepJsonIsRefusedNotAStackOverflow() {
    ObjectNode deep = JsonNodeFactory.instance.objectNode();
    ObjectNode at = deep;
    for (int i = 0; i < 100_000; i++) {
      at = at.putObject("x");
    }
    assertThatThrownBy(() -> NodeSpec.task("a", "t").config(deep))
        .isInstanceOf(dev.dagflow.json.InvalidJsonException.class)
        .hasMessage("config: nests more than 997 levels deep; a document may nest 1000 levels"
            + " and this value sits 3 down");
    assertThatThrownBy(() -> dev.dagflow.filter.Filter.parse(deep))
        .isInstanceOf(dev.dagflow.filter.FilterException.class).hasMessageContaining("nested more than");
  }

  @Test
  void scopesNameTheirWorkerPools() {
    assertThat(DagScope.global().workerKey()).isEqualTo("worker-global");
    assertThat(DagScope.project("p1", true).workerKey()).isEqualTo("worker-project-p1");
    assertThat(DagScope.project("p1", false).reuseWorker()).isFalse();
    assertThat(DagScope.user("u7").workerKey()).isEqualTo("worker-user-u7");
    assertThat(DagScope.dagType("ci").workerKey()).isEqualTo("worker-type-ci");
    assertThatThrownBy(() -> DagScope.project("has space", true))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("projectId");
  }

  @Test
  void retryPolicyValuesAreCheckedAsTheyAreSet() {
    assertThatThrownBy(() -> RetryPolicy.builder().multiplier(0.5))
        .hasMessageContaining("multiplier");
    assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofSeconds(-1)))
        .hasMessageContaining("initialDelay");
    assertThatThrownBy(() -> RetryPolicy.builder().initialDelay(Duration.ofMinutes(5))
        .maxDelay(Duration.ofMinutes(1)).build()).hasMessageContaining("maxDelay");
    RetryPolicy linear = RetryPolicy.builder().backoff(Backoff.LINEAR)
        .initialDelay(Duration.ofSeconds(3)).maxDelay(Duration.ofSeconds(7)).build();
    assertThat(linear.delayBefore(2)).isEqualTo(Duration.ofSeconds(6));
    assertThat(linear.delayBefore(3)).isEqualTo(Duration.ofSeconds(7));
    assertThat(RetryPolicy.none().maxAttempts()).isEqualTo(1);
  }

  @Test
  void toBuilderGivesAnEqualSpec() {
    DagSpec spec = RandomSpecs.generate(99);

    assertThat(spec.toBuilder().build()).isEqualTo(spec);
    NodeSpec node = spec.nodes().get(0);
    assertThat(node.toBuilder().build()).isEqualTo(node);
  }
}
