/**
 * The workflow model: {@link dev.dagflow.spec.DagSpec} and its parts, built with
 * {@link dev.dagflow.spec.DagSpec#builder(String)} or read from JSON with
 * {@link dev.dagflow.spec.DagJson}.
 *
 * <p>Every type here is immutable and thread-safe once built. Building validates the whole
 * graph and throws {@link dev.dagflow.spec.InvalidDagException} listing every problem found.
 * Nothing in this package returns {@code null}: absent values are {@link java.util.Optional}.
 */
package dev.dagflow.spec;
