/**
 * JMH benchmarks of dagflow, one class per workload, each measuring its peers in the same run
 * behind an enum {@code @Param}. The shared graph shapes ({@link dev.dagflow.benchmarks.DagShape})
 * live here too, so that every benchmark measures the same graphs; the summary of a whole run
 * and its charts are in {@link dev.dagflow.benchmarks.report}.
 *
 * <p>Run them from the shaded jar: {@code java -jar benchmarks/target/benchmarks.jar <Name>}.
 */
package dev.dagflow.benchmarks;
