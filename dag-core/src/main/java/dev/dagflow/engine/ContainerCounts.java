package dev.dagflow.engine;

/**
 * How the direct children of a container stand.
 *
 * @param total every child
 * @param completed children COMPLETED
 * @param running children INITIALIZING or RUNNING
 * @param failed children FAILED or TIMED_OUT
 */
public record ContainerCounts(int total, int completed, int running, int failed) {
}
