package dev.dagflow.http.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.NodeContext;
import dev.dagflow.engine.NodeResult;
import dev.dagflow.http.engine.TaskStatus;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One attempt followed on the remote engine: its context, the stage the engine waits on, the
 * remote task's id once the submit answered, and the state of its polling.
 *
 * <p>{@link #busy} is the single flight: it is taken (compare-and-set) before a status poll is
 * sent or a pushed status is applied, and given back only after the status was applied, its
 * logs pulled and stored. So one task never has two polls out at once, and its progress, logs
 * and end are applied in order. The fields marked step-confined are used only by whoever holds
 * it; handing it over (a volatile write and a compare-and-set) publishes them.
 */
final class Follow {
  final NodeContext ctx;
  final String key;
  final CompletableFuture<NodeResult> result = new CompletableFuture<>();
  final AtomicBoolean busy = new AtomicBoolean();
  /** A status pushed by a webhook while busy: applied before {@link #busy} is given back. */
  final AtomicReference<TaskStatus> pushed = new AtomicReference<>();
  final AtomicBoolean stopSent = new AtomicBoolean();
  /** For a container: its agents mapped onto the nodes inside (step-confined); else null. */
  final SubtreeReports subtree;
  volatile String taskId;
  volatile boolean cancelled;
  /** The first poller tick at which the task may be polled again. */
  volatile long nextTick;

  /** Step-confined: failed polls in a row. */
  int failures;
  /** Step-confined: the log cursor of each agent. */
  final Map<String, LogCursor> cursors = new HashMap<>();
  /** Step-confined: agents whose logs broke the protocol, no longer read. */
  final Set<String> brokenLogs = new HashSet<>();

  /** Guarded by this: an update waiting for the submit's answer. */
  ObjectNode pendingUpdate;
  /** Guarded by this: the updates sent, in order. */
  CompletableFuture<Void> updates = CompletableFuture.completedFuture(null);

  Follow(NodeContext ctx) {
    this.ctx = ctx;
    this.key = ctx.idempotencyKey();
    this.subtree = ctx.node().isContainer() ? new SubtreeReports(ctx) : null;
  }

  boolean ended() {
    return result.isDone();
  }
}
