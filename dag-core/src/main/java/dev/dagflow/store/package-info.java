/**
 * The store SPIs: where the engine keeps runs, nodes, attempts, transitions, history, the
 * leases through which engine instances own runs, the commands they send each other, the
 * idempotency keys that make a submit start one run, logs, policies, templates, and event
 * triggers with their counters and processed event ids. {@link
 * dev.dagflow.store.Stores#inMemory()} gives the default in-memory implementations; the JDBC
 * module implements the same interfaces over a database. Every implementation must pass the
 * abstract contract tests of dag-core's test-jar.
 *
 * <p>The engine calls a store from its worker, timer and caller threads, never two writes of
 * one run at once (a run's changes are serialised); stores must be thread-safe across runs.
 * Values are immutable, except that JSON values inside records are shared, not copied: neither
 * a store nor its caller may modify them.
 */
package dev.dagflow.store;
