/**
 * Log lines of runs and nodes: {@link dev.dagflow.log.LogLevel levels}, {@link
 * dev.dagflow.log.LogEntry entries} and {@link dev.dagflow.log.LogQuery queries}. Executors
 * write lines through {@link dev.dagflow.engine.NodeContext#log}; the engine stores them in a
 * {@link dev.dagflow.store.LogStore} and reads them back with {@link
 * dev.dagflow.engine.DagEngine#logs}.
 *
 * <p>Every type here is immutable and thread-safe; nothing accepts or returns {@code null}.
 */
package dev.dagflow.log;
