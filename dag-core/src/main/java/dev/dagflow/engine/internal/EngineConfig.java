package dev.dagflow.engine.internal;

import dev.dagflow.metrics.EngineMetrics;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.EngineListener;
import dev.dagflow.engine.NodeExecutor;
import dev.dagflow.engine.TaskHandler;
import dev.dagflow.engine.TimeSource;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.internal.Ids;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.store.LogStore;
import dev.dagflow.store.PolicyStore;
import dev.dagflow.store.Retention;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.Stores;
import dev.dagflow.store.TemplateStore;
import dev.dagflow.store.ScheduleStore;
import dev.dagflow.store.TriggerStore;
import dev.dagflow.trigger.TriggerMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * What {@code DagEngine.Builder} collects; checked as it is set, copied by {@link #build()}.
 * Reached only through {@link #defaults()}, so that no engine exists without its defaults filled
 * in: the public builder's one way into the engine's implementation. Not thread-safe.
 */
public final class EngineConfig {
  final Map<String, NodeExecutor> executors = new HashMap<>();
  RunStore runStore;
  LogStore logStore;
  PolicyStore policyStore;
  TemplateStore templateStore;
  TriggerStore triggerStore;
  ScheduleStore scheduleStore;
  TriggerMatcher triggerMatcher;
  int maxChainDepth = 16;
  TimeSource timeSource;
  int workersPerScope = Math.max(2, Runtime.getRuntime().availableProcessors());
  final Map<String, Integer> workers = new HashMap<>();
  ThreadFactory threadFactory;
  Executor workerExecutor;
  Duration poolIdleTimeout = Duration.ofSeconds(30);
  Duration shutdownTimeout = Duration.ofSeconds(5);
  Duration shutdownGracePeriod = Duration.ZERO;
  String instanceId;
  Duration leaseTime = Duration.ofSeconds(30);
  Duration commandInterval = Duration.ofSeconds(1);
  Duration commandTimeout = Duration.ofSeconds(10);
  int storeRetries = 5;
  Duration storeRetryBackoff = Duration.ofMillis(20);
  Duration storeRetryMaxBackoff = Duration.ofSeconds(1);
  int logBuffer = 10_000;
  /** What the engine purges on its timer; null: nothing, unless the host calls purge(). */
  Retention retention;
  ExecutionPolicy engineDefaultPolicy = ExecutionPolicy.builder("engine-default").build();
  final List<EngineListener> listeners = new ArrayList<>();
  DependencyEvaluator evaluator = DependencyEvaluator.incremental();
  Supplier<String> runIds = () -> UUID.randomUUID().toString();
  Random random;
  /** Null: no metrics, and nothing measured. */
  EngineMetrics metrics;

  private EngineConfig() {
  }

  /** Settings with every default, to be changed by the setters and then {@link #build() built}. */
  public static EngineConfig defaults() {
    return new EngineConfig();
  }

  /** A new engine with a copy of these settings; later changes to them do not reach it. */
  public DagEngine build() {
    return new Engine(copy());
  }

  public void executor(String taskType, NodeExecutor executor) {
    Objects.requireNonNull(taskType, "taskType");
    Objects.requireNonNull(executor, "executor");
    if (taskType.isBlank()) {
      throw new IllegalArgumentException("taskType must not be blank");
    }
    if (executors.containsKey(taskType)) {
      throw new IllegalStateException("an executor for task type '" + taskType
          + "' was already set");
    }
    executors.put(taskType, executor);
  }

  public void handler(String taskType, TaskHandler handler) {
    executor(taskType, new HandlerExecutor(Objects.requireNonNull(handler, "handler")));
  }

  public void stores(Stores stores) {
    Objects.requireNonNull(stores, "stores");
    runStore(stores.runs());
    logStore(stores.logs());
    policyStore(stores.policies());
    templateStore(stores.templates());
    triggerStore(stores.triggers());
    scheduleStore(stores.schedules());
  }

  public void scheduleStore(ScheduleStore store) {
    this.scheduleStore = Objects.requireNonNull(store, "scheduleStore");
  }

  public void triggerStore(TriggerStore store) {
    this.triggerStore = Objects.requireNonNull(store, "triggerStore");
  }

  public void triggerMatcher(TriggerMatcher matcher) {
    this.triggerMatcher = Objects.requireNonNull(matcher, "triggerMatcher");
  }

  public void maxChainDepth(int depth) {
    this.maxChainDepth = positive("maxChainDepth", depth);
  }

  public void templateStore(TemplateStore store) {
    this.templateStore = Objects.requireNonNull(store, "templateStore");
  }

  public void runStore(RunStore store) {
    this.runStore = Objects.requireNonNull(store, "runStore");
  }

  public void logStore(LogStore store) {
    this.logStore = Objects.requireNonNull(store, "logStore");
  }

  public void policyStore(PolicyStore store) {
    this.policyStore = Objects.requireNonNull(store, "policyStore");
  }

  public void timeSource(TimeSource timeSource) {
    this.timeSource = Objects.requireNonNull(timeSource, "timeSource");
  }

  public void workersPerScope(int workers) {
    this.workersPerScope = positive("workersPerScope", workers);
  }

  public void workers(String workerKey, int count) {
    Objects.requireNonNull(workerKey, "workerKey");
    if (workerKey.isBlank()) {
      throw new IllegalArgumentException("workerKey must not be blank");
    }
    workers.put(workerKey, positive("workers", count));
  }

  public void threadFactory(ThreadFactory factory) {
    Objects.requireNonNull(factory, "threadFactory");
    if (workerExecutor != null) {
      throw new IllegalStateException(
          "threadFactory cannot be set with workerExecutor: the host's executor has its threads");
    }
    this.threadFactory = factory;
  }

  public void workerExecutor(Executor executor) {
    Objects.requireNonNull(executor, "workerExecutor");
    if (threadFactory != null) {
      throw new IllegalStateException(
          "workerExecutor cannot be set with threadFactory: the host's executor has its threads");
    }
    if (workerExecutor != null) {
      throw new IllegalStateException("workerExecutor was already set to " + workerExecutor);
    }
    this.workerExecutor = executor;
  }

  public void poolIdleTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "poolIdleTimeout");
    if (timeout.isNegative()) {
      throw new IllegalArgumentException("poolIdleTimeout must not be negative, got " + timeout);
    }
    this.poolIdleTimeout = timeout;
  }

  public void shutdownTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "shutdownTimeout");
    if (timeout.isNegative() || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "shutdownTimeout must be between zero and an hour, got " + timeout);
    }
    this.shutdownTimeout = timeout;
  }

  public void shutdownGracePeriod(Duration grace) {
    Objects.requireNonNull(grace, "shutdownGracePeriod");
    if (grace.isNegative() || grace.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "shutdownGracePeriod must be between zero and an hour, got " + grace);
    }
    this.shutdownGracePeriod = grace;
  }

  public void instanceId(String id) {
    this.instanceId = Ids.check("instanceId", id);
  }

  public void leaseTime(Duration time) {
    Objects.requireNonNull(time, "leaseTime");
    if (time.compareTo(Duration.ofMillis(100)) < 0 || time.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "leaseTime must be between 100 ms and an hour, got " + time);
    }
    this.leaseTime = time;
  }

  public void commandInterval(Duration interval) {
    Objects.requireNonNull(interval, "commandInterval");
    if (interval.compareTo(Duration.ofMillis(10)) < 0
        || interval.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException(
          "commandInterval must be between 10 ms and a minute, got " + interval);
    }
    this.commandInterval = interval;
  }

  public void commandTimeout(Duration timeout) {
    Objects.requireNonNull(timeout, "commandTimeout");
    if (timeout.isNegative() || timeout.isZero() || timeout.compareTo(Duration.ofHours(1)) > 0) {
      throw new IllegalArgumentException(
          "commandTimeout must be positive and at most an hour, got " + timeout);
    }
    this.commandTimeout = timeout;
  }

  public void storeRetry(int retries, Duration backoff, Duration maxBackoff) {
    Objects.requireNonNull(backoff, "storeRetry backoff");
    Objects.requireNonNull(maxBackoff, "storeRetry maxBackoff");
    if (retries < 0 || retries > 100) {
      throw new IllegalArgumentException(
          "storeRetry retries must be between 0 and 100, got " + retries);
    }
    if (backoff.isNegative() || maxBackoff.compareTo(backoff) < 0
        || maxBackoff.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new IllegalArgumentException("storeRetry backoff must be between zero and "
          + "maxBackoff, and maxBackoff at most a minute; got " + backoff + " and " + maxBackoff);
    }
    this.storeRetries = retries;
    this.storeRetryBackoff = backoff;
    this.storeRetryMaxBackoff = maxBackoff;
  }

  public void logBuffer(int lines) {
    if (lines < 1 || lines > 1_000_000) {
      throw new IllegalArgumentException(
          "logBuffer must be between 1 and 1000000 lines, got " + lines);
    }
    this.logBuffer = lines;
  }

  public void retention(Retention retention) {
    this.retention = Objects.requireNonNull(retention, "retention");
  }

  public void engineDefaultPolicy(ExecutionPolicy policy) {
    this.engineDefaultPolicy = Objects.requireNonNull(policy, "engineDefaultPolicy");
  }

  public void listener(EngineListener listener) {
    listeners.add(Objects.requireNonNull(listener, "listener"));
  }

  public void evaluator(DependencyEvaluator evaluator) {
    this.evaluator = Objects.requireNonNull(evaluator, "evaluator");
  }

  public void runIds(Supplier<String> ids) {
    this.runIds = Objects.requireNonNull(ids, "runIds");
  }

  public void random(Random random) {
    this.random = Objects.requireNonNull(random, "random");
  }

  public void metrics(EngineMetrics metrics) {
    if (this.metrics != null) {
      throw new IllegalStateException("metrics were already set to " + this.metrics);
    }
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  /** A copy sharing nothing mutable with this one, with defaults filled in. */
  EngineConfig copy() {
    EngineConfig c = new EngineConfig();
    c.executors.putAll(executors);
    Stores memory = runStore == null || logStore == null || policyStore == null
        || templateStore == null || triggerStore == null || scheduleStore == null
        ? Stores.inMemory() : null;
    c.runStore = runStore != null ? runStore : memory.runs();
    c.logStore = logStore != null ? logStore : memory.logs();
    c.policyStore = policyStore != null ? policyStore : memory.policies();
    c.templateStore = templateStore != null ? templateStore : memory.templates();
    c.triggerStore = triggerStore != null ? triggerStore : memory.triggers();
    c.scheduleStore = scheduleStore != null ? scheduleStore : memory.schedules();
    c.triggerMatcher = triggerMatcher != null ? triggerMatcher : TriggerMatcher.indexed();
    c.maxChainDepth = maxChainDepth;
    c.timeSource = timeSource;
    c.workersPerScope = workersPerScope;
    c.workers.putAll(workers);
    c.threadFactory = threadFactory;
    c.workerExecutor = workerExecutor;
    c.poolIdleTimeout = poolIdleTimeout;
    c.shutdownTimeout = shutdownTimeout;
    c.shutdownGracePeriod = shutdownGracePeriod;
    c.instanceId = instanceId != null ? instanceId : defaultInstanceId();
    c.leaseTime = leaseTime;
    // commands are looked for more often than leases are renewed, whatever was set
    Duration sixth = leaseTime.dividedBy(6);
    c.commandInterval = commandInterval.compareTo(sixth) < 0 ? commandInterval : sixth;
    c.commandTimeout = commandTimeout;
    c.storeRetries = storeRetries;
    c.storeRetryBackoff = storeRetryBackoff;
    c.storeRetryMaxBackoff = storeRetryMaxBackoff;
    c.logBuffer = logBuffer;
    c.retention = retention;
    c.engineDefaultPolicy = engineDefaultPolicy;
    c.listeners.addAll(listeners);
    c.evaluator = evaluator;
    c.runIds = runIds;
    c.random = random != null ? random : new Random();
    c.metrics = metrics;
    return c;
  }

  private static int positive(String field, int value) {
    if (value < 1) {
      throw new IllegalArgumentException(field + " must be at least 1, got " + value);
    }
    return value;
  }

  /**
   * The host name, the process id and a random suffix, cut to the id rule: unique per engine
   * even when one process runs several.
   */
  static String defaultInstanceId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException | SecurityException e) {
      host = "host";
    }
    host = host.replaceAll("[^A-Za-z0-9_.-]", "-");
    if (host.length() > 80) {
      host = host.substring(0, 80);
    }
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    return (host.isEmpty() ? "host" : host) + ":" + ProcessHandle.current().pid() + ":" + suffix;
  }

  static String checkRunId(String id) {
    return Ids.check("run id", id);
  }
}
