package dev.dagflow.store;

import dev.dagflow.state.RunState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The part of a stored run that changes as it runs: its state and its start and end times.
 * What a step writes of the run itself; the rest of the run (its definition: spec snapshot,
 * params, template, cause, creation time) is written once, by {@link RunStore#create}.
 */
public record RunStatus(String runId, RunState state, Optional<Instant> startedAt,
    Optional<Instant> endedAt) {

  public RunStatus {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(startedAt, "startedAt");
    Objects.requireNonNull(endedAt, "endedAt");
  }
}
