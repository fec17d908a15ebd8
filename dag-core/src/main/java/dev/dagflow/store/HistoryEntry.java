package dev.dagflow.store;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One change asked for by someone: a submit, stop, pause, resume, retry or config update, with
 * the value before and after.
 *
 * @param nodeId the node it concerns; empty for the whole run
 * @param action what was done: {@code run.submit} (old value null, new {@code "PENDING"}),
 *     {@code run.stop}, {@code run.pause}, {@code run.resume} (old and new run state),
 *     {@code node.retry} (old: every node re-opened, by id, with its state before; new: the
 *     same ids with {@code "WAITING"}), {@code node.config} (old and new config)
 * @param operator who asked for it
 */
public record HistoryEntry(String runId, Optional<String> nodeId, String action, String operator,
    JsonNode oldValue, JsonNode newValue, Instant time) {

  public HistoryEntry {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(nodeId, "nodeId");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(operator, "operator");
    Objects.requireNonNull(oldValue, "oldValue");
    Objects.requireNonNull(newValue, "newValue");
    Objects.requireNonNull(time, "time");
  }
}
