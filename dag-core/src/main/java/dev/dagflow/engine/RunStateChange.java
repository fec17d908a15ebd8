package dev.dagflow.engine;

import dev.dagflow.state.RunState;
import java.time.Instant;
import java.util.Optional;

/**
 * A run's lifecycle event: submitted (no previous state), started, paused, resumed, ended, or
 * re-opened by a retry.
 *
 * @param from the state before; empty when the run was just submitted
 * @param operator who asked for it; empty for the engine itself
 */
public record RunStateChange(String runId, Optional<RunState> from, RunState to, Instant time,
    Optional<String> operator) {
}
