package dev.dagflow.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.RetryPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What a run uses for one node of a DAG: the run's project and worker key, the policies that
 * apply (most specific first), and every setting with where it came from: {@code "node"},
 * {@code "policy 'ci' (named by DAG 'cicd')"}, {@code "project default 'shop-default'"},
 * {@code "global default 'base'"} or {@code "engine default"}. {@link #toString()} prints it as
 * a Markdown table, as {@code docs/engine.md} shows it.
 *
 * <p>Immutable and thread-safe; no component is {@code null}.
 *
 * @param project the run's project; empty for none
 * @param workerKey the key of the worker pool the run uses ({@code worker-project-acme-run-<runId>}
 *     for a project that gives each run a pool of its own)
 * @param policies where the settings may come from, most specific first, the engine default
 *     last; unmodifiable
 * @param abandonLimit how many lost attempts of the node are run again before the next loss
 *     fails it
 * @param defaultConfig the policy's default config for the node's task type (empty object for
 *     none), before the node's own config is merged over it; values under the policies'
 *     {@linkplain SecretKeys secret keys} read {@value SecretKeys#REDACTED}
 * @param secretKeys the config keys whose values the run redacts wherever it shows or records
 *     them: those of the first policy of the chain that sets them, else {@link
 *     SecretKeys#defaults()}
 * @param sources where each value came from, by name: {@code project}, {@code workerKey},
 *     {@code retry}, {@code nodeTimeout}, {@code maxParallelNodesPerRun},
 *     {@code maxConcurrentRunsPerScope}, {@code failureStrategy}, {@code abandonLimit},
 *     {@code defaultConfig},
 *     {@code secretKeys}; unmodifiable
 */
public record EffectivePolicy(String nodeId, Optional<String> project, String workerKey,
    List<String> policies, RetryPolicy retry, Optional<Duration> nodeTimeout,
    Optional<Integer> maxParallelNodesPerRun, Optional<Integer> maxConcurrentRunsPerScope,
    FailureStrategy failureStrategy, int abandonLimit, ObjectNode defaultConfig,
    SecretKeys secretKeys, Map<String, String> sources) {

  /** The names of {@link #sources()}, in the order {@link #toString()} prints them. */
  private static final List<String> SETTINGS = List.of("project", "workerKey", "retry",
      "nodeTimeout", "maxParallelNodesPerRun", "maxConcurrentRunsPerScope", "failureStrategy",
      "abandonLimit", "defaultConfig", "secretKeys");

  public EffectivePolicy {
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(project, "project");
    Objects.requireNonNull(workerKey, "workerKey");
    policies = List.copyOf(policies);
    Objects.requireNonNull(retry, "retry");
    Objects.requireNonNull(nodeTimeout, "nodeTimeout");
    Objects.requireNonNull(maxParallelNodesPerRun, "maxParallelNodesPerRun");
    Objects.requireNonNull(maxConcurrentRunsPerScope, "maxConcurrentRunsPerScope");
    Objects.requireNonNull(failureStrategy, "failureStrategy");
    if (abandonLimit < 0) {
      throw new IllegalArgumentException("abandonLimit must not be negative, got "
          + abandonLimit);
    }
    defaultConfig = defaultConfig.deepCopy();
    Objects.requireNonNull(secretKeys, "secretKeys");
    sources = Map.copyOf(sources);
  }

  /** Where {@code setting} came from. @throws IllegalArgumentException for an unknown name */
  public String source(String setting) {
    String source = sources.get(setting);
    if (source == null) {
      throw new IllegalArgumentException("no setting '" + setting + "'; settings are "
          + new TreeSet<>(sources.keySet()));
    }
    return source;
  }

  /** A copy of the policy's default config for the node's task type. */
  @Override
  public ObjectNode defaultConfig() {
    return defaultConfig.deepCopy();
  }

  /**
   * The table {@code docs/engine.md} shows: one row per value with its source, the policies in
   * order after the worker key.
   */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("| node '").append(nodeId).append("' | value | source |\n")
        .append("|---|---|---|\n");
    for (String setting : SETTINGS) {
      row(s, setting, value(setting), sources.getOrDefault(setting, ""));
      if (setting.equals("workerKey")) {
        row(s, "policies", String.join(" > ", policies), "most specific first");
      }
    }
    return s.toString();
  }

  private String value(String setting) {
    return switch (setting) {
      case "project" -> project.orElse("none");
      case "workerKey" -> workerKey;
      case "retry" -> describe(retry);
      case "nodeTimeout" -> nodeTimeout.map(EffectivePolicy::describe).orElse("none");
      case "maxParallelNodesPerRun" -> maxParallelNodesPerRun.map(String::valueOf).orElse("none");
      case "maxConcurrentRunsPerScope" ->
          maxConcurrentRunsPerScope.map(String::valueOf).orElse("none");
      case "failureStrategy" -> failureStrategy.name();
      case "abandonLimit" -> String.valueOf(abandonLimit);
      case "secretKeys" -> secretKeys.patterns().isEmpty() ? "none"
          : String.join(", ", secretKeys.patterns());
      default -> defaultConfig.isEmpty() ? "none" : defaultConfig.toString();
    };
  }

  private static void row(StringBuilder s, String name, String value, String source) {
    s.append("| ").append(name).append(" | ").append(value.replace("|", "\\|")).append(" | ")
        .append(source.replace("|", "\\|")).append(" |\n");
  }

  private static String describe(RetryPolicy r) {
    if (r.maxAttempts() == 1) {
      return "1 attempt";
    }
    StringBuilder s = new StringBuilder().append(r.maxAttempts()).append(" attempts, ")
        .append(r.backoff()).append(' ').append(describe(r.initialDelay()));
    if (r.backoff() == Backoff.EXPONENTIAL) {
      s.append(" x").append(r.multiplier());
    }
    if (r.backoff() != Backoff.FIXED) {
      s.append(" up to ").append(describe(r.maxDelay()));
    }
    if (r.jitter() > 0) {
      s.append(", jitter ").append(r.jitter());
    }
    return s.toString();
  }

  private static String describe(Duration d) {
    return d.isZero() ? "0s" : d.toString().substring(2).toLowerCase(Locale.ROOT);
  }
}
