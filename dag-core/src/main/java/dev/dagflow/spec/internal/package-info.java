/**
 * Implementation of the model: validation ({@code SpecValidator}, {@code CycleFinder},
 * {@code IdIndex}), the native, scan and simulation JSON formats, and the Mermaid and DOT export
 * (coloured by state name, so that the model depends on no run-time type). Helpers other
 * packages share with it (the id rule, the resolved graph) live in {@code dev.dagflow.internal}.
 * Not API: the classes are public only because {@code dev.dagflow.spec} calls them; no other
 * package or module may import them, and they change without notice.
 */
package dev.dagflow.spec.internal;
