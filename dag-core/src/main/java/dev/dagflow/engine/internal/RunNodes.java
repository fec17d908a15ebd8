package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.NodeRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine keeps per node of a run besides its state: attempt numbers, times, progress,
 * result, error, live config and retry wait. Arrays for what every node has, maps for what few
 * have, so a large run costs a few dozen bytes per node. Guarded by the run's lock.
 */
final class RunNodes {
  private static final long NONE = Long.MIN_VALUE;

  private final int[] attempt;
  private final long[] startedAt;
  private final long[] endedAt;
  private final byte[] progress;
  /** The result of a COMPLETED node; null for none (JSON null). */
  private final JsonNode[] results;
  private final Map<Integer, Integer> attemptBase = new HashMap<>();
  // The maps below are empty for most runs: every read checks that first, so a node costs no
  // boxed key.
  private final Map<Integer, String[]> errors = new HashMap<>();
  private final Map<Integer, ObjectNode> configs = new HashMap<>();
  private final Map<Integer, Instant> waitUntil = new HashMap<>();

  RunNodes(int n) {
    attempt = new int[n];
    startedAt = new long[n];
    endedAt = new long[n];
    Arrays.fill(startedAt, NONE);
    Arrays.fill(endedAt, NONE);
    progress = new byte[n];
    results = new JsonNode[n];
  }

  /** Takes a stored record over, in recovery. */
  void load(int v, NodeRecord r) {
    attempt[v] = r.attempt();
    if (r.attemptBase() > 0) {
      attemptBase.put(v, r.attemptBase());
    }
    progress[v] = (byte) r.progress();
    startedAt[v] = r.startedAt().map(Instant::toEpochMilli).orElse(NONE);
    endedAt[v] = r.endedAt().map(Instant::toEpochMilli).orElse(NONE);
    r.waitUntil().ifPresent(t -> waitUntil.put(v, t));
    r.result().ifPresent(res -> results[v] = res.isNull() ? null : res);
    if (r.errorCode().isPresent()) {
      errors.put(v, new String[] {r.errorCode().get(), r.errorMessage().orElse("")});
    }
    r.config().ifPresent(c -> configs.put(v, c));
  }

  int attempt(int v) {
    return attempt[v];
  }

  /** Counts a new attempt and returns its number. */
  int nextAttempt(int v) {
    return ++attempt[v];
  }

  /** Attempts used since the node's retry budget last started. */
  int attemptsUsed(int v) {
    return attempt[v] - base(v);
  }

  void started(int v, Instant at) {
    if (startedAt[v] == NONE) {
      startedAt[v] = at.toEpochMilli();
    }
  }

  void ended(int v, Instant at) {
    endedAt[v] = at.toEpochMilli();
    if (!waitUntil.isEmpty()) {
      waitUntil.remove(v);
    }
  }

  /**
   * The node's latest attempt was lost with its engine: it does not count against the retry
   * budget, which starts one attempt later.
   */
  void abandoned(int v) {
    attemptBase.put(v, Math.min(attempt[v], base(v) + 1));
    progress[v] = 0;
  }

  /** A retry re-opened the node: its end, result and error are gone; a fresh retry budget. */
  void reopened(int v) {
    endedAt[v] = NONE;
    results[v] = null;
    errors.remove(v);
    progress[v] = 0;
    attemptBase.put(v, attempt[v]);
  }

  void completed(int v, JsonNode result) {
    results[v] = result.isNull() ? null : result;
    progress[v] = 100;
  }

  /** The result of a COMPLETED node, JSON null for none. */
  JsonNode result(int v) {
    return results[v] == null ? NullNode.instance : results[v];
  }

  /** The result kept for edge conditions; null for none. */
  JsonNode resultOrNull(int v) {
    return results[v];
  }

  /** Sets progress; returns whether it changed. */
  boolean progress(int v, int percent) {
    if (progress[v] == percent) {
      return false;
    }
    progress[v] = (byte) percent;
    return true;
  }

  void waitUntil(int v, Instant at) {
    waitUntil.put(v, at);
  }

  Instant waitUntil(int v) {
    return waitUntil.isEmpty() ? null : waitUntil.get(v);
  }

  private int base(int v) {
    return attemptBase.isEmpty() ? 0 : attemptBase.getOrDefault(v, 0);
  }

  private String[] errorOf(int v) {
    return errors.isEmpty() ? null : errors.get(v);
  }

  void error(int v, String code, String message) {
    errors.put(v, new String[] {code, message});
  }

  /** The error code of a failed node; null for none. */
  String errorCode(int v) {
    String[] error = errorOf(v);
    return error == null ? null : error[0];
  }

  /** The error message of a failed node; null for none. */
  String errorMessage(int v) {
    String[] error = errorOf(v);
    return error == null ? null : error[1];
  }

  /** The node's config as changed by live updates; null while it has the spec's. */
  ObjectNode config(int v) {
    return configs.isEmpty() ? null : configs.get(v);
  }

  void config(int v, ObjectNode config) {
    configs.put(v, config);
  }

  NodeRecord record(String runId, String nodeId, int v, NodeState s) {
    String[] error = errorOf(v);
    return new NodeRecord(runId, nodeId, s, attempt[v], base(v),
        progress[v], time(startedAt[v]), time(endedAt[v]),
        s == NodeState.WAITING ? Optional.ofNullable(waitUntil(v)) : Optional.empty(),
        s == NodeState.COMPLETED ? Optional.of(result(v)) : Optional.empty(),
        error == null ? Optional.empty() : Optional.of(error[0]),
        error == null ? Optional.empty() : Optional.of(error[1]),
        Optional.ofNullable(config(v)));
  }

  private static Optional<Instant> time(long millis) {
    return millis == NONE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
