package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A plain synchronous function that runs a task node: the simple way to plug in work. It runs on
 * a worker thread of the node's scope; a timeout interrupts that thread.
 *
 * <p>Returning completes the attempt with the result ({@code null} for none). Throwing
 * {@link NodeFailureException} fails it with that code; any other exception fails it with the
 * code {@code EXCEPTION}, and is retried while the retry policy allows.
 */
@FunctionalInterface
public interface TaskHandler {
  JsonNode handle(NodeContext context) throws Exception;
}
