/**
 * Dependency evaluation: the {@link dev.dagflow.eval.DependencyEvaluator} SPI, which turns a
 * spec and its nodes' states into the nodes that may start or can never start, the {@link
 * dev.dagflow.eval.Gate gates} that hold a node back, and {@link
 * dev.dagflow.eval.NodeExplanation explanations} of why a node is not running.
 *
 * <p>Every public value type here is immutable and thread-safe. Nothing in this package accepts
 * or returns {@code null}.
 */
package dev.dagflow.eval;
