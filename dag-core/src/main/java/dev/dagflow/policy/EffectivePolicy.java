package dev.dagflow.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.RetryPolicy;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The settings that apply to one node of a DAG, each with where it came from: {@code "node"},
 * {@code "policy 'ci' (named by DAG 'cicd')"}, {@code "project default 'shop-default'"},
 * {@code "global default 'base'"} or {@code "engine default"}.
 *
 * @param defaultConfig the policy's default config for the node's task type (empty object for
 *     none), before the node's own config is merged over it; values under the policies'
 *     {@linkplain SecretKeys secret keys} read {@value SecretKeys#REDACTED}
 * @param sources where each setting came from, by setting name: {@code retry},
 *     {@code nodeTimeout}, {@code maxParallelNodesPerRun}, {@code maxConcurrentRunsPerScope},
 *     {@code failureStrategy}, {@code defaultConfig}, {@code secretKeys}; unmodifiable
 */
public record EffectivePolicy(String nodeId, RetryPolicy retry, Optional<Duration> nodeTimeout,
    Optional<Integer> maxParallelNodesPerRun, Optional<Integer> maxConcurrentRunsPerScope,
    FailureStrategy failureStrategy, ObjectNode defaultConfig, Map<String, String> sources) {

  public EffectivePolicy {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(retry, "retry");
    defaultConfig = defaultConfig.deepCopy();
    sources = Map.copyOf(sources);
  }

  /** Where {@code setting} came from. @throws IllegalArgumentException for an unknown name */
  public String source(String setting) {
    String source = sources.get(setting);
    if (source == null) {
      throw new IllegalArgumentException("no setting '" + setting + "'; settings are "
          + new java.util.TreeSet<>(sources.keySet()));
    }
    return source;
  }
}
