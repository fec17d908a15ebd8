/**
 * The implementation of {@code dev.dagflow.http.engine}: the HTTP calls with their retries and
 * size limit, the protocol's JSON, the follow-up of remote tasks (the single-flight poller, the
 * log cursor, submit, stop and update), and webhook verification. Not an API: reached only
 * through {@code EngineClient}, {@code HttpEngineExecutor} and {@code WebhookReceiver}.
 */
package dev.dagflow.http.engine.internal;
