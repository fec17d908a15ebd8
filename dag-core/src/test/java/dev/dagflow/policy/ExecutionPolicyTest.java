package dev.dagflow.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.RetryPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ExecutionPolicyTest {

  @Test
  void settersCheckTheirValuesNamingTheField() {
    ExecutionPolicy.Builder b = ExecutionPolicy.builder("p");
    assertThatThrownBy(() -> ExecutionPolicy.builder("bad name"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
    assertThatThrownBy(() -> b.maxParallelNodesPerRun(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxParallelNodesPerRun");
    assertThatThrownBy(() -> b.maxConcurrentRunsPerScope(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxConcurrentRunsPerScope");
    assertThatThrownBy(() -> b.nodeTimeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeTimeout");
    assertThatThrownBy(() -> b.nodeTimeout(Duration.ofDays(40_000)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeTimeout");
    assertThatThrownBy(() -> b.defaultConfig(" ", JsonNodeFactory.instance.objectNode()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("taskType");
    assertThatThrownBy(() -> b.project("a/b"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project");
  }

  @Test
  void aBuiltPolicySharesNothingWithItsBuilderOrItsCallers() {
    ObjectNode config = JsonNodeFactory.instance.objectNode().put("rate", 1);
    ExecutionPolicy.Builder b = ExecutionPolicy.builder("p").project("acme").projectDefault(true)
        .retry(RetryPolicy.builder().maxAttempts(3).build()).nodeTimeout(Duration.ofMinutes(1))
        .maxParallelNodesPerRun(4).maxConcurrentRunsPerScope(2)
        .failureStrategy(FailureStrategy.FAIL_FAST).defaultConfig("scan", config);
    ExecutionPolicy p = b.build();
    config.put("rate", 2);
    b.maxParallelNodesPerRun(9);
    p.defaultConfig("scan").orElseThrow().put("rate", 3);

    assertThat(p.defaultConfig("scan").orElseThrow().get("rate").asInt()).isEqualTo(1);
    assertThat(p.maxParallelNodesPerRun()).contains(4);
    assertThat(p.toBuilder().build()).isEqualTo(p).hasSameHashCodeAs(p);
    assertThat(p.project()).contains("acme");
    assertThat(p.isProjectDefault()).isTrue();
    assertThat(p.defaultConfig()).containsOnlyKeys("scan");
    assertThatThrownBy(() -> p.defaultConfig().clear())
        .isInstanceOf(UnsupportedOperationException.class);
    assertThat(ExecutionPolicy.builder("q").build().retry()).isEmpty();
    assertThat(p.toString()).contains("p").contains("project=acme").contains("FAIL_FAST");
  }
}
