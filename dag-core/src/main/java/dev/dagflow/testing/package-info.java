/**
 * A small test kit for workflows: {@link dev.dagflow.testing.ManualClock}, a time source moved by
 * hand, and {@link dev.dagflow.testing.ScriptedExecutor}, an executor told per node and attempt
 * whether to succeed, fail, hang or take time. With both, a whole workflow with retries,
 * timeouts and not-before times runs deterministically in milliseconds.
 */
package dev.dagflow.testing;
