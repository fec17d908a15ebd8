/**
 * The default, incremental {@link dev.dagflow.eval.DependencyEvaluator}: compiled plans of a
 * spec's edges and containers, per-run state in arrays, recovery from stored node states, and
 * the explainer. Not API: no other module may import these classes, and they change without
 * notice.
 */
package dev.dagflow.eval.internal;
