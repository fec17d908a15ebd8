package dev.dagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What became of a {@link RunCommand}: its owner applied it, or refused it as the operation
 * would have been refused on the owner itself, or its sender withdrew it.
 *
 * @param commandId the command
 * @param result applied, or how it was refused
 * @param state for a refusal, the run's state ({@link Result#RUN_STATE}) or the node's
 *     ({@link Result#NODE_STATE}) that refused it, by name; empty otherwise
 * @param message for a refusal, why; empty when applied
 * @param at when the owner decided, on its clock
 */
public record CommandOutcome(String commandId, Result result, Optional<String> state,
    Optional<String> message, Instant at) {

  /** How a command ended. */
  public enum Result {
    /** Applied, with its effects in the same write. */
    APPLIED,
    /** Refused for the run's state, as a {@code RunStateException}. */
    RUN_STATE,
    /** Refused for the node's state, as a {@code NodeOperationException}. */
    NODE_STATE,
    /** Refused for another reason than the run's or the node's state: an error. */
    REFUSED,
    /** Withdrawn by its sender, whose wait for the owner ran out: never applied. */
    CANCELLED
  }

  public CommandOutcome {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }
}
