package dev.dagflow.store;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What the owner of a run did with a {@link RunCommand}: applied it, or refused it as the
 * operation would have been refused on the owner itself.
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
    /** Refused for another reason, e.g. a live update its executor cannot take. */
    REFUSED
  }

  public CommandOutcome {
    Objects.requireNonNull(commandId, "commandId");
    Objects.requireNonNull(result, "result");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(at, "at");
  }
}
