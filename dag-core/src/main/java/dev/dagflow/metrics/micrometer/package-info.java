/**
 * {@link dev.dagflow.metrics.EngineMetrics} over a Micrometer {@code MeterRegistry}. The only
 * package of dagflow that needs {@code io.micrometer:micrometer-core}, an optional dependency:
 * add it to the host's build to use this.
 */
package dev.dagflow.metrics.micrometer;
