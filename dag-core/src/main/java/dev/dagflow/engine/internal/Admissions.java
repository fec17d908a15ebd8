package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.RunStore;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The second half of a run's admission, under a policy's {@code maxConcurrentRunsPerScope}:
 * its pool has a place for it among this instance's runs, and the store must give it one among
 * every instance's ({@link RunStore#admit}). A run without a limit starts at once. One with a
 * limit asks the store on the claims thread; refused, it waits in its pool again, and the
 * pools with refused runs ask again every {@code retryEvery} (a run that ends on another
 * instance frees a place that only the store knows of). Thread-safe.
 */
final class Admissions {
  private static final Logger LOG = LoggerFactory.getLogger(Admissions.class);

  private final RunStore runs;
  private final TimeSource claims;
  private final Duration retryEvery;
  /** The pools whose waiting runs the store refused, to ask again. */
  private final Set<ScopePool> refused = ConcurrentHashMap.newKeySet();
  private final AtomicBoolean retryScheduled = new AtomicBoolean();
  private volatile boolean closed;

  Admissions(RunStore runs, TimeSource claims, Duration retryEvery) {
    this.runs = runs;
    this.claims = claims;
    this.retryEvery = retryEvery;
  }

  /** Starts {@code run}, which {@code pool} admitted: at once, or once the store has a place. */
  void start(ActiveRun run, ScopePool pool) {
    int limit = run.maxConcurrentRuns();
    if (limit == 0) {
      run.start(pool);
      return;
    }
    if (closed) { // nothing new starts; the run stays in the store for another instance
      waitAgain(run, pool);
      return;
    }
    claims.schedule(claims.now(), () -> admit(run, pool, limit));
  }

  private void admit(ActiveRun run, ScopePool pool, int limit) {
    boolean placed;
    try {
      placed = !closed && runs.admit(run.runId, run.lease.fence(), limit);
    } catch (LeaseLostException e) {
      LOG.warn("run {}: its lease was taken over before it could start (epoch {}, now {})",
          run.runId, e.fence().epoch(), e.currentEpoch());
      run.drop("its lease was lost");
      run.start(pool); // a run given up never starts: this gives its place back
      return;
    } catch (RuntimeException e) {
      LOG.warn("run {}: the store could not admit it; asking again in {}", run.runId,
          retryEvery, e);
      placed = false;
    }
    if (placed) {
      run.start(pool);
    } else {
      waitAgain(run, pool);
    }
  }

  /**
   * Puts {@code run} back among its pool's waiting runs, to be asked for again; a run that
   * ended (stopped while the store was asked) or was given up meanwhile gives its place back
   * instead, as its start does.
   */
  private void waitAgain(ActiveRun run, ScopePool pool) {
    if (!run.waitAgain(pool)) {
      run.start(pool);
      return;
    }
    LOG.debug("run {} waits for a place in scope {}", run.runId, pool.key);
    if (!closed) {
      refused.add(pool);
      scheduleRetry();
    }
  }

  private void scheduleRetry() {
    if (!closed && retryScheduled.compareAndSet(false, true)) {
      claims.schedule(claims.now().plus(retryEvery), () -> {
        retryScheduled.set(false);
        for (ScopePool pool : refused) {
          refused.remove(pool);
          pool.admitWaiting().forEach(next -> start(next, pool));
        }
      });
    }
  }

  /** A run of {@code pool} that held a place has left it: starts the runs that may start now. */
  void placeFreed(ScopePool pool) {
    pool.runEnded().forEach(next -> start(next, pool));
  }

  /** Asks the store no more: runs admitted by their pools from now on start at once. */
  void close() {
    closed = true;
  }
}
