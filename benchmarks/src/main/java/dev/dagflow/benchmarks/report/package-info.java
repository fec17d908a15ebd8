/**
 * The summary of a run of {@code benchmarks/run.sh}: {@link dev.dagflow.benchmarks.report.Report}
 * reads the JMH JSON and RetainedMemory's JSON of one results directory, judges every target
 * ({@link dev.dagflow.benchmarks.report.Summary}) and draws the charts.
 */
package dev.dagflow.benchmarks.report;
