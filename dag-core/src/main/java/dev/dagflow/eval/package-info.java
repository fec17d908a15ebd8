/**
 * Evaluation: the filter language ({@link dev.dagflow.eval.Filter}), used by event triggers,
 * edge conditions and activation conditions, and (soon) the evaluation of a node's dependencies.
 *
 * <p>Every public type here is immutable and thread-safe. Nothing in this package accepts or
 * returns {@code null}; a bad filter is rejected when it is parsed, with a {@link
 * dev.dagflow.eval.FilterException} naming where in the filter the problem is.
 */
package dev.dagflow.eval;
