package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.policy.UnknownPolicyException;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.store.PolicyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * The policies that apply to one run, most specific first: the policy its spec names, its
 * project's default, the global default, the engine's default. A node's own retry and timeout
 * come before all of them. Immutable.
 */
final class RunPolicy {
  private final List<ExecutionPolicy> chain;
  final int maxParallelNodes;
  final int maxConcurrentRuns;
  final FailureStrategy failureStrategy;
  private final RetryPolicy retry;
  private final Duration timeout;

  private RunPolicy(List<ExecutionPolicy> chain) {
    this.chain = chain;
    maxParallelNodes = first(ExecutionPolicy::maxParallelNodesPerRun).orElse(0);
    maxConcurrentRuns = first(ExecutionPolicy::maxConcurrentRunsPerScope).orElse(0);
    failureStrategy = first(ExecutionPolicy::failureStrategy).orElse(FailureStrategy.CONTINUE);
    retry = first(ExecutionPolicy::retry).orElse(RetryPolicy.none());
    timeout = first(ExecutionPolicy::nodeTimeout).orElse(null);
  }

  /**
   * Resolves the policies of a run of {@code spec}.
   *
   * @throws UnknownPolicyException if the spec names a policy that does not exist
   */
  static RunPolicy resolve(DagSpec spec, PolicyStore store, ExecutionPolicy engineDefault) {
    List<ExecutionPolicy> chain = new ArrayList<>(4);
    if (spec.defaultPolicy().isPresent()) {
      String name = spec.defaultPolicy().get();
      chain.add(store.get(name)
          .orElseThrow(() -> new UnknownPolicyException(name, "DAG '" + spec.id() + "'")));
    }
    Optional<String> project = spec.scope().kind() == dev.dagflow.spec.DagScope.Kind.PROJECT
        ? spec.scope().id() : Optional.empty();
    if (project.isPresent()) {
      store.defaultFor(project).ifPresent(chain::add);
    }
    store.defaultFor(Optional.empty()).ifPresent(chain::add);
    chain.add(engineDefault);
    return new RunPolicy(List.copyOf(chain));
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

  RetryPolicy retry(NodeSpec node) {
    return node.retry().orElse(retry);
  }

  /** The node's attempt timeout; {@code null} for none. Containers never time out. */
  Duration timeout(NodeSpec node) {
    return node.isContainer() ? null : node.timeout().orElse(timeout);
  }

  /** The policies' default config for {@code taskType}; empty if none has one. */
  Optional<ObjectNode> defaultConfig(String taskType) {
    return first(p -> p.defaultConfig(taskType));
  }
}
