/**
 * The filter language ({@link dev.dagflow.filter.Filter}): one language for event triggers,
 * edge conditions and activation conditions, parsed and compiled once. Which document each of
 * those uses reads, and so where its paths start, is stated once, in the {@code Filter} Javadoc
 * under "What a filter sees" (and in {@code docs/concepts.md}).
 *
 * <p>Every public type here is immutable and thread-safe. Nothing in this package accepts or
 * returns {@code null}; a bad filter is rejected when it is parsed, with a {@link
 * dev.dagflow.filter.FilterException} naming where in the filter the problem is.
 */
package dev.dagflow.filter;
