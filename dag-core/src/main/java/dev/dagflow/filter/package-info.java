/**
 * The filter language ({@link dev.dagflow.filter.Filter}): one language for event triggers,
 * edge conditions and activation conditions, parsed and compiled once.
 *
 * <p>Every public type here is immutable and thread-safe. Nothing in this package accepts or
 * returns {@code null}; a bad filter is rejected when it is parsed, with a {@link
 * dev.dagflow.filter.FilterException} naming where in the filter the problem is.
 */
package dev.dagflow.filter;
