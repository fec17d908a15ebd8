package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.policy.EffectivePolicy;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.PolicyCenter;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.policy.UnknownPolicyException;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Policies resolve node > DAG spec > named policy > project default > global default. */
class PolicyResolutionTest {
  private static RetryPolicy attempts(int n) {
    return RetryPolicy.builder().maxAttempts(n).build();
  }

  private static DagSpec spec(String policy, NodeSpec.Builder node) {
    DagSpec.Builder b = DagSpec.builder("d").scope(DagScope.project("shop", true)).node(node);
    if (policy != null) {
      b.policyName(policy);
    }
    return b.build();
  }

  /** Every level sets retry; the test removes levels from the top down. */
  private static void saveAllLevels(PolicyCenter policies) {
    policies.save(ExecutionPolicy.builder("global").projectDefault(true).retry(attempts(2))
        .build());
    policies.save(ExecutionPolicy.builder("shop-default").project("shop").projectDefault(true)
        .retry(attempts(3)).build());
    policies.save(ExecutionPolicy.builder("named").retry(attempts(4)).build());
  }

  @Test
  void theNodesOwnSettingComesFirst() {
    try (Harness h = new Harness("t")) {
      saveAllLevels(h.engine.policies());
      EffectivePolicy p = h.engine.policies().effective(
          spec("named", NodeSpec.task("a", "t").retry(attempts(5))), "a");
      assertThat(p.retry().maxAttempts()).isEqualTo(5);
      assertThat(p.source("retry")).isEqualTo("node");
    }
  }

  @Test
  void thePolicyTheDagNamesComesNext() {
    try (Harness h = new Harness("t")) {
      saveAllLevels(h.engine.policies());
      EffectivePolicy p = h.engine.policies().effective(spec("named", NodeSpec.task("a", "t")),
          "a");
      assertThat(p.retry().maxAttempts()).isEqualTo(4);
      assertThat(p.source("retry")).isEqualTo("policy 'named' (named by DAG 'd')");
    }
  }

  @Test
  void thenTheProjectDefault() {
    try (Harness h = new Harness("t")) {
      saveAllLevels(h.engine.policies());
      EffectivePolicy p = h.engine.policies().effective(spec(null, NodeSpec.task("a", "t")), "a");
      assertThat(p.retry().maxAttempts()).isEqualTo(3);
      assertThat(p.source("retry")).isEqualTo("project default 'shop-default'");
    }
  }

  @Test
  void thenTheGlobalDefault() {
    try (Harness h = new Harness("t")) {
      saveAllLevels(h.engine.policies());
      h.engine.policies().delete("shop-default");
      EffectivePolicy p = h.engine.policies().effective(spec(null, NodeSpec.task("a", "t")), "a");
      assertThat(p.retry().maxAttempts()).isEqualTo(2);
      assertThat(p.source("retry")).isEqualTo("global default 'global'");
    }
  }

  @Test
  void thenTheEnginesDefault() {
    try (Harness h = new Harness("t")) {
      EffectivePolicy p = h.engine.policies().effective(spec(null, NodeSpec.task("a", "t")), "a");
      assertThat(p.retry().maxAttempts()).isEqualTo(1);
      assertThat(p.nodeTimeout()).isEmpty();
      assertThat(p.policies()).containsExactly("engine default");
      assertThat(p.secretKeys()).isEqualTo(SecretKeys.defaults());
      assertThat(p.sources()).containsOnlyKeys("project", "workerKey", "retry", "nodeTimeout",
          "maxParallelNodesPerRun", "maxConcurrentRunsPerScope", "failureStrategy",
          "abandonLimit", "defaultConfig", "secretKeys");
      assertThat(p.abandonLimit()).isEqualTo(3);
      p.sources().forEach((k, v) -> assertThat(v).as(k).isEqualTo(
          k.equals("project") || k.equals("workerKey") ? "the DAG's scope" : "engine default"));
    }
  }

  @Test
  void eachSettingNamesItsOwnSource() {
    try (Harness h = new Harness("t")) {
      saveAllLevels(h.engine.policies());
      h.engine.policies().save(ExecutionPolicy.builder("global").projectDefault(true)
          .retry(attempts(2)).maxParallelNodesPerRun(7).build());
      h.engine.policies().save(ExecutionPolicy.builder("named").retry(attempts(4))
          .nodeTimeout(Duration.ofMinutes(9)).build());
      EffectivePolicy p = h.engine.policies().effective(spec("named", NodeSpec.task("a", "t")),
          "a");
      assertThat(p.nodeTimeout()).contains(Duration.ofMinutes(9));
      assertThat(p.source("nodeTimeout")).isEqualTo("policy 'named' (named by DAG 'd')");
      assertThat(p.maxParallelNodesPerRun()).contains(7);
      assertThat(p.source("maxParallelNodesPerRun")).isEqualTo("global default 'global'");
      assertThatThrownBy(() -> p.source("colour")).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("retry");
    }
  }

  @Test
  void oneDefaultPerProject() {
    try (Harness h = new Harness("t")) {
      PolicyCenter policies = h.engine.policies();
      policies.save(ExecutionPolicy.builder("shop-a").project("shop").projectDefault(true).build());
      policies.save(ExecutionPolicy.builder("shop-b").project("shop").projectDefault(true).build());
      policies.save(ExecutionPolicy.builder("lab-a").project("lab").projectDefault(true).build());

      assertThat(policies.projectDefault("shop").orElseThrow().name()).isEqualTo("shop-b");
      assertThat(policies.get("shop-a").orElseThrow().isProjectDefault()).isFalse();
      assertThat(policies.projectDefault("lab").orElseThrow().name()).isEqualTo("lab-a");
      assertThat(policies.globalDefault()).isEmpty();
      assertThat(policies.list()).extracting(ExecutionPolicy::name)
          .containsExactly("lab-a", "shop-a", "shop-b");
    }
  }

  @Test
  void theResolvedPolicyDrivesTheRunAndAnUnknownNamedPolicyIsRefusedAtSubmit() {
    try (Harness h = new Harness("t")) {
      h.engine.policies().save(ExecutionPolicy.builder("shop-default").project("shop")
          .projectDefault(true).retry(RetryPolicy.builder().maxAttempts(2)
              .initialDelay(Duration.ZERO).build()).build());
      h.executor.script("a", Outcome.fail("E", "once"), Outcome.succeed());
      RunView view = h.await(h.submit(spec(null, NodeSpec.task("a", "t"))));
      assertThat(view.node("a").orElseThrow().attempts()).hasSize(2);

      assertThatThrownBy(() -> h.submit(spec("missing", NodeSpec.task("a", "t"))))
          .isInstanceOf(UnknownPolicyException.class).hasMessageContaining("'missing'")
          .hasMessageContaining("DAG 'd'");
      assertThat(h.engine.list(dev.dagflow.store.RunQuery.all()).total()).isEqualTo(1);
    }
  }
}
