package dev.dagflow.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.Ids;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.json.internal.Json;
import java.time.Duration;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A named set of execution settings: retry, node timeout, concurrency limits, failure strategy,
 * abandon limit, default config per task type and the config keys whose values are secret.
 * Every setting is optional; an unset one is taken from the next level of resolution (node &gt;
 * the policy the DAG names &gt; project default &gt; global default &gt; engine default, as
 * {@link PolicyCenter} resolves them).
 *
 * <p>Immutable and thread-safe. The builder checks each value as it is set and throws {@link
 * IllegalArgumentException} naming the field, or {@link dev.dagflow.json.InvalidJsonException}
 * for a default config that is not JSON within the limits.
 */
public final class ExecutionPolicy {
  private static final Duration MAX_TIMEOUT = Duration.ofDays(36_500);

  private final String name;
  private final String project;
  private final boolean projectDefault;
  private final RetryPolicy retry;
  private final Duration nodeTimeout;
  private final Duration runDeadline;
  private final int maxParallelNodesPerRun;
  private final int maxConcurrentRunsPerScope;
  private final FailureStrategy failureStrategy;
  private final int abandonLimit;
  private final Map<String, ObjectNode> defaultConfig;
  private final SecretKeys secretKeys;

  private ExecutionPolicy(Builder b) {
    name = b.name;
    project = b.project;
    projectDefault = b.projectDefault;
    retry = b.retry;
    nodeTimeout = b.nodeTimeout;
    runDeadline = b.runDeadline;
    maxParallelNodesPerRun = b.maxParallelNodesPerRun;
    maxConcurrentRunsPerScope = b.maxConcurrentRunsPerScope;
    failureStrategy = b.failureStrategy;
    abandonLimit = b.abandonLimit;
    TreeMap<String, ObjectNode> configs = new TreeMap<>();
    b.defaultConfig.forEach((type, config) -> configs.put(type, config.deepCopy()));
    defaultConfig = Collections.unmodifiableMap(configs);
    secretKeys = b.secretKeys;
  }

  /**
   * A builder for a policy named {@code name}.
   *
   * @throws IllegalArgumentException if the name does not match {@code [A-Za-z0-9_.:-]{1,128}}
   */
  public static Builder builder(String name) {
    return new Builder(name);
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder(name);
    b.project = project;
    b.projectDefault = projectDefault;
    b.retry = retry;
    b.nodeTimeout = nodeTimeout;
    b.runDeadline = runDeadline;
    b.maxParallelNodesPerRun = maxParallelNodesPerRun;
    b.maxConcurrentRunsPerScope = maxConcurrentRunsPerScope;
    b.failureStrategy = failureStrategy;
    b.abandonLimit = abandonLimit;
    defaultConfig.forEach((type, config) -> b.defaultConfig.put(type, config.deepCopy()));
    b.secretKeys = secretKeys;
    return b;
  }

  public String name() {
    return name;
  }

  /** The project the policy belongs to; empty for a global policy. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** Whether this is its project's default (or, without a project, the global default). */
  public boolean isProjectDefault() {
    return projectDefault;
  }

  /** How nodes are retried; empty when not set here. */
  public Optional<RetryPolicy> retry() {
    return Optional.ofNullable(retry);
  }

  /** The timeout of each attempt of a task; empty when not set here. */
  public Optional<Duration> nodeTimeout() {
    return Optional.ofNullable(nodeTimeout);
  }

  /**
   * How long a run may take from its start; empty when not set here. A spec's own {@code
   * runDeadline} wins over every policy's.
   */
  public Optional<Duration> runDeadline() {
    return Optional.ofNullable(runDeadline);
  }

  /** The most nodes of one run in flight at once; empty when not set here. */
  public Optional<Integer> maxParallelNodesPerRun() {
    return maxParallelNodesPerRun == 0 ? Optional.empty() : Optional.of(maxParallelNodesPerRun);
  }

  /** The most runs of one worker scope running at once; empty when not set here. */
  public Optional<Integer> maxConcurrentRunsPerScope() {
    return maxConcurrentRunsPerScope == 0 ? Optional.empty()
        : Optional.of(maxConcurrentRunsPerScope);
  }

  /** What a run does when a node fails; empty when not set here. */
  public Optional<FailureStrategy> failureStrategy() {
    return Optional.ofNullable(failureStrategy);
  }

  /**
   * How many times a node's attempt lost with its engine (a crash, a lost lease) is run again
   * without spending the retry budget; the next loss fails the node. Empty when not set here
   * (without any policy setting it, 3).
   */
  public Optional<Integer> abandonLimit() {
    return abandonLimit < 0 ? Optional.empty() : Optional.of(abandonLimit);
  }

  /** The config merged under each node's own config, per task type; unmodifiable, copies. */
  public Map<String, ObjectNode> defaultConfig() {
    Map<String, ObjectNode> copy = new TreeMap<>();
    defaultConfig.forEach((type, config) -> copy.put(type, config.deepCopy()));
    return Collections.unmodifiableMap(copy);
  }

  /** The default config of one task type; empty when the policy has none. */
  public Optional<ObjectNode> defaultConfig(String taskType) {
    ObjectNode config = defaultConfig.get(taskType);
    return config == null ? Optional.empty() : Optional.of(config.deepCopy());
  }

  /**
   * The config keys whose values are redacted wherever a run's config is shown or recorded;
   * empty when not set here (without any policy setting it, {@link SecretKeys#defaults()}).
   */
  public Optional<SecretKeys> secretKeys() {
    return Optional.ofNullable(secretKeys);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ExecutionPolicy p && name.equals(p.name)
        && Objects.equals(project, p.project) && projectDefault == p.projectDefault
        && Objects.equals(retry, p.retry) && Objects.equals(nodeTimeout, p.nodeTimeout)
        && Objects.equals(runDeadline, p.runDeadline)
        && maxParallelNodesPerRun == p.maxParallelNodesPerRun
        && maxConcurrentRunsPerScope == p.maxConcurrentRunsPerScope
        && failureStrategy == p.failureStrategy && abandonLimit == p.abandonLimit
        && defaultConfig.equals(p.defaultConfig)
        && Objects.equals(secretKeys, p.secretKeys);
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, project, projectDefault, retry, nodeTimeout, runDeadline,
        maxParallelNodesPerRun, maxConcurrentRunsPerScope, failureStrategy, abandonLimit,
        defaultConfig, secretKeys);
  }

  @Override
  public String toString() {
    return "ExecutionPolicy{" + name + (project == null ? "" : " project=" + project)
        + (projectDefault ? " default" : "") + (retry == null ? "" : " retry=" + retry)
        + (nodeTimeout == null ? "" : " nodeTimeout=" + nodeTimeout)
        + (runDeadline == null ? "" : " runDeadline=" + runDeadline)
        + (maxParallelNodesPerRun == 0 ? "" : " maxParallelNodesPerRun=" + maxParallelNodesPerRun)
        + (maxConcurrentRunsPerScope == 0 ? ""
            : " maxConcurrentRunsPerScope=" + maxConcurrentRunsPerScope)
        + (failureStrategy == null ? "" : " failureStrategy=" + failureStrategy)
        + (abandonLimit < 0 ? "" : " abandonLimit=" + abandonLimit)
        + (defaultConfig.isEmpty() ? "" : " defaultConfig=" + defaultConfig.keySet())
        + (secretKeys == null ? "" : " secretKeys=" + secretKeys.patterns()) + "}";
  }

  /** Builds an {@link ExecutionPolicy}. Not thread-safe; {@link #build()} copies every value. */
  public static final class Builder {
    private final String name;
    private String project;
    private boolean projectDefault;
    private RetryPolicy retry;
    private Duration nodeTimeout;
    private Duration runDeadline;
    private int maxParallelNodesPerRun;
    private int maxConcurrentRunsPerScope;
    private FailureStrategy failureStrategy;
    private int abandonLimit = -1;
    private final Map<String, ObjectNode> defaultConfig = new TreeMap<>();
    private SecretKeys secretKeys;

    private Builder(String name) {
      this.name = Ids.check("name", name);
    }

    /** The project the policy belongs to; without one it is global. */
    public Builder project(String project) {
      this.project = Ids.check("project", project);
      return this;
    }

    /** Makes this its project's default policy (or the global default without a project). */
    public Builder projectDefault(boolean isDefault) {
      this.projectDefault = isDefault;
      return this;
    }

    public Builder retry(RetryPolicy retry) {
      this.retry = Objects.requireNonNull(retry, "retry");
      return this;
    }

    /** @throws IllegalArgumentException if not positive or over 100 years */
    public Builder nodeTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "nodeTimeout");
      if (timeout.isNegative() || timeout.isZero()
          || timeout.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "nodeTimeout must be positive and at most 100 years, got " + timeout);
      }
      this.nodeTimeout = timeout;
      return this;
    }

    /**
     * How long a run may take from its start: when it passes, its running attempts are
     * cancelled and their nodes end TIMED_OUT, the nodes not started end STOPPED, and the run
     * ends FAILED.
     *
     * @throws IllegalArgumentException if not positive or over 100 years
     */
    public Builder runDeadline(Duration deadline) {
      Objects.requireNonNull(deadline, "runDeadline");
      if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(MAX_TIMEOUT) > 0) {
        throw new IllegalArgumentException(
            "runDeadline must be positive and at most 100 years, got " + deadline);
      }
      this.runDeadline = deadline;
      return this;
    }

    /** @throws IllegalArgumentException if below 1 */
    public Builder maxParallelNodesPerRun(int max) {
      this.maxParallelNodesPerRun = positive("maxParallelNodesPerRun", max);
      return this;
    }

    /** @throws IllegalArgumentException if below 1 */
    public Builder maxConcurrentRunsPerScope(int max) {
      this.maxConcurrentRunsPerScope = positive("maxConcurrentRunsPerScope", max);
      return this;
    }

    public Builder failureStrategy(FailureStrategy strategy) {
      this.failureStrategy = Objects.requireNonNull(strategy, "failureStrategy");
      return this;
    }

    /**
     * How many times a node's attempt lost with its engine is run again without spending its
     * retry budget; 0 fails the node at the first loss.
     *
     * @throws IllegalArgumentException naming {@code abandonLimit} unless 0 to 100
     */
    public Builder abandonLimit(int limit) {
      if (limit < 0 || limit > 100) {
        throw new IllegalArgumentException("abandonLimit must be 0 to 100, got " + limit);
      }
      this.abandonLimit = limit;
      return this;
    }

    /**
     * Config merged under the own config of every node of {@code taskType}.
     *
     * @throws dev.dagflow.json.InvalidJsonException naming {@code defaultConfig.<taskType>} if
     *     it holds a value that is not JSON or breaks a limit where a node's config sits
     */
    public Builder defaultConfig(String taskType, ObjectNode config) {
      Objects.requireNonNull(taskType, "taskType");
      if (taskType.isBlank()) {
        throw new IllegalArgumentException("defaultConfig taskType must not be blank");
      }
      defaultConfig.put(taskType, Json.canonicalCopy(Objects.requireNonNull(config, "config"),
        "defaultConfig." + taskType, NativeDepths.CONFIG_DEPTH));
      return this;
    }

    /**
     * The config keys whose values are redacted where config is shown or recorded. Replaces the
     * defaults rather than adding to them: extend them with
     * {@code SecretKeys.defaults().and("ssn")}.
     */
    public Builder secretKeys(SecretKeys keys) {
      this.secretKeys = Objects.requireNonNull(keys, "secretKeys");
      return this;
    }

    public ExecutionPolicy build() {
      return new ExecutionPolicy(this);
    }

    private static int positive(String field, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(field + " must be at least 1, got " + value);
      }
      return value;
    }
  }
}
