package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.policy.EffectivePolicy;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.policy.UnknownPolicyException;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.store.PolicyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The policies that apply to one run, most specific first: the policy its spec names, its
 * project's default, the global default, the engine's default. A node's own retry and timeout
 * come before all of them. Immutable.
 */
final class RunPolicy {
  static final int DEFAULT_ABANDON_LIMIT = 3;

  private final List<ExecutionPolicy> chain;
  private final List<String> sources;
  final int maxParallelNodes;
  final int maxConcurrentRuns;
  final FailureStrategy failureStrategy;
  /** How many times a node's attempt lost with its engine is run again; see ExecutionPolicy. */
  final int abandonLimit;
  /** Whose values are redacted wherever the run's config is shown or recorded. */
  final SecretKeys secretKeys;
  private final RetryPolicy retry;
  private final Duration timeout;
  /** How long a run may take from its start, by its policies; null for no limit. */
  final Duration runDeadline;

  private RunPolicy(List<ExecutionPolicy> chain, List<String> sources) {
    this.chain = chain;
    this.sources = sources;
    maxParallelNodes = first(ExecutionPolicy::maxParallelNodesPerRun).orElse(0);
    maxConcurrentRuns = first(ExecutionPolicy::maxConcurrentRunsPerScope).orElse(0);
    failureStrategy = first(ExecutionPolicy::failureStrategy).orElse(FailureStrategy.CONTINUE);
    abandonLimit = first(ExecutionPolicy::abandonLimit).orElse(DEFAULT_ABANDON_LIMIT);
    retry = first(ExecutionPolicy::retry).orElse(RetryPolicy.none());
    timeout = first(ExecutionPolicy::nodeTimeout).orElse(null);
    runDeadline = first(ExecutionPolicy::runDeadline).orElse(null);
    secretKeys = first(ExecutionPolicy::secretKeys).orElse(SecretKeys.defaults());
  }

  /**
   * Resolves the policies of a run of {@code spec}.
   *
   * @param project the run's project, if any
   * @throws UnknownPolicyException if the spec names a policy that does not exist
   */
  static RunPolicy resolve(DagSpec spec, Optional<String> project, PolicyStore store,
      ExecutionPolicy engineDefault) {
    List<ExecutionPolicy> chain = new ArrayList<>(4);
    List<String> sources = new ArrayList<>(4);
    if (spec.policyName().isPresent()) {
      String name = spec.policyName().get();
      chain.add(store.get(name)
          .orElseThrow(() -> new UnknownPolicyException(name, "DAG '" + spec.id() + "'")));
      sources.add("policy '" + name + "' (named by DAG '" + spec.id() + "')");
    }
    if (project.isPresent()) {
      store.defaultFor(project).ifPresent(p -> {
        chain.add(p);
        sources.add("project default '" + p.name() + "'");
      });
    }
    store.defaultFor(Optional.empty()).ifPresent(p -> {
      chain.add(p);
      sources.add("global default '" + p.name() + "'");
    });
    chain.add(engineDefault);
    sources.add("engine default");
    return new RunPolicy(List.copyOf(chain), List.copyOf(sources));
  }

  private <T> Optional<T> first(Function<ExecutionPolicy, Optional<T>> setting) {
    for (ExecutionPolicy p : chain) {
      Optional<T> value = setting.apply(p);
      if (value.isPresent()) {
        return value;
      }
    }
    return Optional.empty();
  }

  private String sourceOf(Function<ExecutionPolicy, Optional<?>> setting) {
    for (int i = 0; i < chain.size(); i++) {
      if (setting.apply(chain.get(i)).isPresent()) {
        return sources.get(i);
      }
    }
    return "engine default";
  }

  RetryPolicy retry(NodeSpec node) {
    return node.retry().orElse(retry);
  }

  /** The node's attempt timeout; {@code null} for none. Containers never time out. */
  Duration timeout(NodeSpec node) {
    return node.isContainer() ? null : node.timeout().orElse(timeout);
  }

  /** The timeout of a container whose executor runs its subtree: as a task's. */
  Duration subtreeTimeout(NodeSpec node) {
    return node.timeout().orElse(timeout);
  }

  /** The policies' default config for {@code taskType}; empty if none has one. */
  Optional<ObjectNode> defaultConfig(String taskType) {
    return first(p -> p.defaultConfig(taskType));
  }

  /** Every setting for {@code node} of a run placed at {@code place}, with its source. */
  EffectivePolicy effective(NodeSpec node, RunPlacement place) {
    Map<String, String> from = new LinkedHashMap<>();
    from.put("project", place.projectSource);
    from.put("workerKey", place.scopeSource);
    from.put("retry", node.retry().isPresent() ? "node" : sourceOf(ExecutionPolicy::retry));
    from.put("nodeTimeout", node.isContainer() ? "containers never time out"
        : node.timeout().isPresent() ? "node" : sourceOf(ExecutionPolicy::nodeTimeout));
    from.put("maxParallelNodesPerRun", sourceOf(ExecutionPolicy::maxParallelNodesPerRun));
    from.put("maxConcurrentRunsPerScope", sourceOf(ExecutionPolicy::maxConcurrentRunsPerScope));
    from.put("failureStrategy", sourceOf(ExecutionPolicy::failureStrategy));
    from.put("abandonLimit", sourceOf(ExecutionPolicy::abandonLimit));
    Optional<String> type = node.taskType();
    from.put("defaultConfig", type.isEmpty() ? "engine default"
        : sourceOf(p -> p.defaultConfig(type.get())));
    from.put("secretKeys", sourceOf(ExecutionPolicy::secretKeys));
    return new EffectivePolicy(node.id(), place.project, place.workerKey("<runId>"), sources,
        retry(node), Optional.ofNullable(timeout(node)),
        maxParallelNodes == 0 ? Optional.empty() : Optional.of(maxParallelNodes),
        maxConcurrentRuns == 0 ? Optional.empty() : Optional.of(maxConcurrentRuns),
        failureStrategy, abandonLimit,
        secretKeys.redact(type.flatMap(this::defaultConfig)
            .orElse(JsonNodeFactory.instance.objectNode())), secretKeys, from);
  }
}
