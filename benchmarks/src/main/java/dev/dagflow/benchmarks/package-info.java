/**
 * JMH benchmarks of dagflow, one class per workload, each measuring its peers in the same run
 * behind an enum {@code @Param}. The shared graph shapes ({@link dev.dagflow.benchmarks.DagShape})
 * live here too, so that every benchmark measures the same graphs.
 *
 * <p>Run them from the shaded jar: {@code java -jar benchmarks/target/benchmarks.jar <Name>}.
 */
package dev.dagflow.benchmarks;
