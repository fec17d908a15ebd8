package dev.dagflow.metrics.micrometer;

import dev.dagflow.metrics.EngineMetrics;
import dev.dagflow.metrics.PoolStats;
import dev.dagflow.state.RunState;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.trigger.TriggerFiring;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToIntFunction;

/**
 * The engine's metrics as Micrometer meters, every name under {@code dagflow.}:
 *
 * <table>
 * <caption>Meters</caption>
 * <tr><th>meter</th><th>type</th><th>tags</th></tr>
 * <tr><td>{@code dagflow.attempts}</td><td>timer: how long attempts ran</td>
 *     <td>{@code task.type}, {@code outcome}</td></tr>
 * <tr><td>{@code dagflow.attempts.queue.wait}</td><td>timer: READY to start</td>
 *     <td>{@code task.type}</td></tr>
 * <tr><td>{@code dagflow.retries}</td><td>counter</td>
 *     <td>{@code task.type}, {@code cause}</td></tr>
 * <tr><td>{@code dagflow.runs}</td><td>counter: runs going to a state</td>
 *     <td>{@code state}</td></tr>
 * <tr><td>{@code dagflow.pool.workers}, {@code .workers.busy}, {@code .queue},
 *     {@code .nodes.running}, {@code .runs.active}, {@code .runs.waiting}</td>
 *     <td>gauges, while the pool is open</td><td>{@code pool}</td></tr>
 * <tr><td>{@code dagflow.trigger.firings}</td><td>counter</td><td>{@code outcome}</td></tr>
 * <tr><td>{@code dagflow.store.writes}</td><td>timer: latency of a run's write</td>
 *     <td>{@code result} ({@code stored} or {@code lost})</td></tr>
 * <tr><td>{@code dagflow.store.write.changes}</td><td>distribution summary: records per
 *     write</td><td></td></tr>
 * </table>
 *
 * <p>Tags name task types, outcomes, states and worker pools, never run or node ids, so the
 * number of meters stays bounded. Built with {@link #of}; thread-safe.
 */
public final class MicrometerMetrics implements EngineMetrics {
  private final MeterRegistry registry;
  private final Map<String, List<Meter>> poolGauges = new ConcurrentHashMap<>();

  private MicrometerMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /**
   * Metrics registered in {@code registry}.
   *
   * @throws NullPointerException if {@code registry} is null
   */
  public static MicrometerMetrics of(MeterRegistry registry) {
    return new MicrometerMetrics(Objects.requireNonNull(registry, "registry"));
  }

  @Override
  public void attemptStarted(String taskType, Duration queueWait) {
    Timer.builder("dagflow.attempts.queue.wait").description("from READY to the attempt's start")
        .tag("task.type", taskType).register(registry).record(queueWait);
  }

  @Override
  public void attemptEnded(String taskType, AttemptOutcome outcome, Duration duration) {
    Timer.builder("dagflow.attempts").description("attempts, by how they ended")
        .tags("task.type", taskType, "outcome", outcome.name()).register(registry)
        .record(duration);
  }

  @Override
  public void retryScheduled(String taskType, TriggerType cause) {
    Counter.builder("dagflow.retries").tags("task.type", taskType, "cause", cause.name())
        .register(registry).increment();
  }

  @Override
  public void runStateChanged(RunState to) {
    Counter.builder("dagflow.runs").description("runs going to a state")
        .tag("state", to.name()).register(registry).increment();
  }

  @Override
  public void poolOpened(PoolStats stats) {
    Tags tags = Tags.of("pool", stats.workerKey());
    List<Meter> gauges = new ArrayList<>();
    gauges.add(gauge("dagflow.pool.workers", stats, PoolStats::workers, tags));
    gauges.add(gauge("dagflow.pool.workers.busy", stats, PoolStats::busyWorkers, tags));
    gauges.add(gauge("dagflow.pool.queue", stats, PoolStats::queuedNodes, tags));
    gauges.add(gauge("dagflow.pool.nodes.running", stats, PoolStats::runningNodes, tags));
    gauges.add(gauge("dagflow.pool.runs.active", stats, PoolStats::activeRuns, tags));
    gauges.add(gauge("dagflow.pool.runs.waiting", stats, PoolStats::waitingRuns, tags));
    poolGauges.put(stats.workerKey(), gauges); // the engine closes a pool before another
  }

  private Gauge gauge(String name, PoolStats stats, ToIntFunction<PoolStats> figure, Tags tags) {
    // a strong reference: the gauge reads the pool until poolClosed removes it
    return Gauge.builder(name, () -> figure.applyAsInt(stats)).tags(tags).strongReference(true)
        .register(registry);
  }

  @Override
  public void poolClosed(String workerKey) {
    List<Meter> gauges = poolGauges.remove(workerKey);
    if (gauges != null) {
      gauges.forEach(registry::remove);
    }
  }

  @Override
  public void triggerFired(TriggerFiring.Outcome outcome) {
    Counter.builder("dagflow.trigger.firings").tag("outcome", outcome.name())
        .register(registry).increment();
  }

  @Override
  public void storeWrite(Duration latency, int changes, boolean stored) {
    Timer.builder("dagflow.store.writes").tag("result", stored ? "stored" : "lost")
        .register(registry).record(latency);
    DistributionSummary.builder("dagflow.store.write.changes").baseUnit("records")
        .register(registry).record(changes);
  }

  @Override
  public String toString() {
    return "MicrometerMetrics[" + registry.getClass().getSimpleName() + "]";
  }
}
