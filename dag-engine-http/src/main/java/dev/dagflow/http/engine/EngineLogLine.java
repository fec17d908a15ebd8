package dev.dagflow.http.engine;

import dev.dagflow.log.LogLevel;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One line of an agent's log on the remote engine: an element of the {@code logs} array of a
 * logs answer, {@code {"timestamp", "level"?, "message", "id"?}}. The timestamp is an ISO-8601
 * instant or offset date-time string ({@code 2026-11-13T10:00:00.123Z}) or a number of epoch
 * milliseconds. The level maps case-insensitively: {@code TRACE} and {@code DEBUG} to DEBUG,
 * {@code WARN} and {@code WARNING} to WARN, {@code ERROR}, {@code FATAL} and {@code CRITICAL} to
 * ERROR, anything else (or none) to INFO. Immutable.
 *
 * @param timestamp when the engine says it was written
 * @param rawTimestamp the timestamp as the engine wrote it: a JSON string's text, or a number's
 * @param level its level
 * @param message its text, as the engine wrote it
 * @param id the engine's id of the line ({@code id}); empty if it gives none
 */
public record EngineLogLine(Instant timestamp, String rawTimestamp, LogLevel level,
    String message, Optional<String> id) {

  public EngineLogLine {
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(rawTimestamp, "rawTimestamp");
    Objects.requireNonNull(level, "level");
    Objects.requireNonNull(message, "message");
    Objects.requireNonNull(id, "id");
  }
}
