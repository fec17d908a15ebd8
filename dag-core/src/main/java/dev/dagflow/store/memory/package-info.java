/**
 * The in-memory stores, the default of an engine without a database. Reach them through
 * {@link dev.dagflow.store.Stores#inMemory()}; {@link dev.dagflow.store.memory.MemoryStores} is
 * the only public type here, and other modules must not depend on this package.
 *
 * <p>The run store is built for very large runs: a run's node records and attempts live in
 * per-node columns and its transitions in chunked primitive columns, turned back into records
 * only when read. Every store here is thread-safe; a run's data is guarded by a read-write lock
 * of its own, so readers see each write whole.
 */
package dev.dagflow.store.memory;
