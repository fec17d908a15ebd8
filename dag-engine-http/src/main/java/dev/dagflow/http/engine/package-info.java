/**
 * Runs nodes on a remote engine service over HTTP. {@link
 * dev.dagflow.http.engine.HttpEngineExecutor} is a {@code NodeExecutor} that submits each
 * attempt as a remote task, follows it with a single-flight poller and signed webhook callbacks
 * ({@link dev.dagflow.http.engine.WebhookReceiver}, {@link
 * dev.dagflow.http.engine.WebhookConfig}), pulls its agents' logs from a cursor, and forwards
 * stop and live updates; {@link dev.dagflow.http.engine.EngineClient} speaks the engine's
 * protocol (submit, status, logs, update, stop) with retries, its answers modelled as {@link
 * dev.dagflow.http.engine.TaskStatus} and {@link dev.dagflow.http.engine.AgentStatus}, its
 * failures as the {@link dev.dagflow.http.engine.EngineException} family. The implementation
 * lives in {@code dev.dagflow.http.engine.internal}. See {@code docs/http-engine.md} and
 * DESIGN.md, "HTTP engine adapter".
 */
package dev.dagflow.http.engine;
