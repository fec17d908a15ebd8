package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.NodeRecord;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunStatus;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a step's changes reach the run store, asynchronously: a {@link StoreException} is retried
 * with the same batch, with capped exponential backoff on a timer (no thread waits); a {@link
 * LeaseLostException} never is. Thread-safe.
 */
final class RunWrites {
  private static final Logger LOG = LoggerFactory.getLogger(RunWrites.class);

  private final RunStore runs;
  /** Real time, whatever the engine's time source: when a failed write is tried again. */
  private final Supplier<TimeSource> timer;
  private final int retries;
  private final long backoffNanos;
  private final long maxBackoffNanos;
  private final Metrics metrics;

  RunWrites(RunStore runs, Supplier<TimeSource> timer, int retries, Duration backoff,
      Duration maxBackoff, Metrics metrics) {
    this.runs = runs;
    this.timer = timer;
    this.retries = retries;
    this.backoffNanos = backoff.toNanos();
    this.maxBackoffNanos = maxBackoff.toNanos();
    this.metrics = metrics;
  }

  /**
   * The changes of several steps of one run, in order, as one write under the fence of the
   * first: a node's or an attempt's last record is the one kept, the run's last status too;
   * transitions, history and command outcomes follow each other in order.
   */
  static RunChanges merge(List<RunChanges> steps) {
    RunChanges first = steps.get(0);
    RunChanges.Builder b = RunChanges.builder(first.runId(), first.fence());
    Map<String, NodeRecord> nodes = new LinkedHashMap<>();
    RunStatus status = null;
    for (RunChanges c : steps) {
      if (c.status().isPresent()) {
        status = c.status().get();
      }
      for (NodeRecord r : c.nodes()) {
        nodes.put(r.nodeId(), r);
      }
      c.attempts().forEach(b::attempt); // the builder keeps the last of a node and number
      c.transitions().forEach(b::transition);
      c.history().forEach(b::history);
      c.commandOutcomes().forEach(b::commandOutcome);
    }
    if (status != null) {
      b.status(status);
    }
    nodes.values().forEach(b::node);
    return b.build();
  }

  /**
   * Writes {@code changes} through the store's {@link RunStore#applyAsync}, retrying a store
   * failure on a timer: completes with null once they are stored, or with the failure that
   * leaves them unstored (a lost lease, or the last failure once the retries are spent). A
   * store that completes at once (the in-memory one) completes this at once, on the caller's
   * thread.
   */
  CompletableFuture<RuntimeException> write(RunChanges changes) {
    CompletableFuture<RuntimeException> done = new CompletableFuture<>();
    if (metrics.on) { // a store's latency is real time, whatever the engine's time source
      long start = System.nanoTime();
      done.whenComplete((lost, e) -> metrics.storeWrite(System.nanoTime() - start,
          size(changes), lost == null && e == null));
    }
    attempt(changes, 0, backoffNanos, done);
    return done;
  }

  private void attempt(RunChanges changes, int attempt, long wait,
      CompletableFuture<RuntimeException> done) {
    CompletionStage<Void> stage;
    try {
      stage = runs.applyAsync(changes);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    stage.whenComplete((v, error) -> {
      Throwable e = error instanceof CompletionException c && c.getCause() != null
          ? c.getCause() : error;
      if (e == null) {
        done.complete(null);
      } else if (e instanceof LeaseLostException lost) {
        done.complete(lost);
      } else if (e instanceof StoreException failed && attempt < retries) {
        LOG.warn("run {}: writing {} changes failed (try {} of {}); trying again in {} ms: {}",
            changes.runId(), size(changes), attempt + 1, retries + 1, wait / 1_000_000,
            failed.getMessage());
        long next = Math.min(maxBackoffNanos, wait * 2);
        try {
          TimeSource t = timer.get();
          t.schedule(t.now().plusNanos(wait),
              () -> attempt(changes, attempt + 1, next, done));
        } catch (RuntimeException closed) { // the timer has stopped: the engine closed
          done.complete(failed);
        }
      } else {
        // spent, or a bug in the store or the changes: retrying would not mend it
        done.complete(e instanceof RuntimeException r ? r : new IllegalStateException(e));
      }
    });
  }

  private static int size(RunChanges c) {
    return c.nodes().size() + c.attempts().size() + c.transitions().size() + c.history().size()
        + c.commandOutcomes().size() + (c.status().isPresent() ? 1 : 0);
  }


}
