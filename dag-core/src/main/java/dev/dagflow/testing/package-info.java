/**
 * A small test kit for workflows: {@link dev.dagflow.testing.ManualClock}, a time source moved by
 * hand; {@link dev.dagflow.testing.ManualWorkers}, a worker executor that runs the engine's work
 * on the test's thread and can run a whole run to its end, moving the clock to each next timer;
 * and {@link dev.dagflow.testing.ScriptedExecutor}, an executor told per node and attempt
 * whether to succeed, fail, hang or take time. With them, a whole workflow with retries,
 * timeouts and not-before times runs deterministically in milliseconds, on one thread.
 */
package dev.dagflow.testing;
