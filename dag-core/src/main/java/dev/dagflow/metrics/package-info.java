/**
 * What the engine reports to a metrics system: the {@link dev.dagflow.metrics.EngineMetrics}
 * SPI, set with {@code DagEngine.Builder.metrics}, and the figures of a worker pool it reads
 * ({@link dev.dagflow.metrics.PoolStats}). {@code dev.dagflow.metrics.micrometer} implements it
 * over a Micrometer registry, with Micrometer as an optional dependency: the engine runs without
 * the jar, and loads that package only when the host builds it.
 */
package dev.dagflow.metrics;
