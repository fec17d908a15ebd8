package dev.dagflow.engine;

import dev.dagflow.spec.EdgeType;

/**
 * One edge of a run and whether it is satisfied now: its type accepts the upstream's state and
 * its condition, if any, matches {@code {"result", "state"}} of the upstream (see {@link
 * dev.dagflow.filter.Filter}, "What a filter sees").
 */
public record EdgeView(String from, String to, EdgeType type, boolean satisfied) {
}
