/**
 * Runs nodes on a remote engine service over HTTP: {@code HttpEngineExecutor}, a {@code
 * NodeExecutor} that submits a task node (or a container with its whole subtree), follows it
 * with a single-flight poller and signed webhook callbacks, pulls its logs from a cursor and
 * forwards stop and live updates. See DESIGN.md, "HTTP engine adapter".
 */
package dev.dagflow.http.engine;
