package dev.dagflow.engine.internal;

import dev.dagflow.engine.TimeSource;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Lease;
import dev.dagflow.store.RunStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This engine instance's hold on its runs, in real time whatever the engine's time source:
 * every third of the lease time a thread of its own ({@code dagflow-leases}) renews the
 * leases of the runs it runs and drops the runs whose lease another instance has taken, and
 * another ({@code dagflow-claims}) claims the runs whose owner stopped renewing. Thread-safe.
 */
final class Leases {
  private static final Logger LOG = LoggerFactory.getLogger(Leases.class);
  /** How many runs one claim asks for; a claim goes on until the store has no more. */
  static final int CLAIM_BATCH = 100;

  private final RunRegistry registry;
  private final RunStore runs;
  private final String owner;
  private final Duration leaseTime;
  private final Duration tick;
  /** Renewals only, so that nothing slow (a restore, a blocked run) ever delays one. */
  private final SystemTimeSource renewals = new SystemTimeSource("dagflow-leases");
  /** Claims and restores, commands, and the store reads of awaits of runs owned elsewhere. */
  private final SystemTimeSource work = new SystemTimeSource("dagflow-claims");
  /**
   * The runs claimed and not yet restored, by id: theirs from the claim on, so renewed with the
   * rest while a slow restore of a batch goes on (else they expired, and were claimed again).
   */
  private final Map<String, Lease> restoring = new ConcurrentHashMap<>();
  /** What else runs on the claims thread after each claim, in order; set before start. */
  private final List<Runnable> afterClaims = new CopyOnWriteArrayList<>();
  private volatile boolean claiming = true;
  private volatile boolean closed;

  Leases(RunRegistry registry, RunStore runs, String owner, Duration leaseTime) {
    this.registry = registry;
    this.runs = runs;
    this.owner = owner;
    this.leaseTime = leaseTime;
    this.tick = leaseTime.dividedBy(3);
  }

  /**
   * Runs {@code task} after every claim: at start, on the caller's thread, then on the claims
   * thread (a third of the lease time apart):
   * for work that must look at the store now and then, as the claims do. Its exceptions are
   * logged.
   */
  void afterEachClaim(Runnable task) {
    afterClaims.add(task);
  }

  /** Claims every run that is free now, then renews and claims on the timers. */
  void start() {
    scheduleRenewal(); // first: the runs claimed now are renewed while they are restored
    claimAll();
    runAfterClaims();
    scheduleClaims();
  }

  /** Claims no more runs; renews the leases it holds until {@link #close}. */
  void stopClaiming() {
    claiming = false;
  }

  /** Stops renewing and claiming; whether the timer threads ended by {@code deadline}. */
  boolean close(long deadline) {
    claiming = false;
    closed = true;
    boolean renewalsEnded = renewals.close(deadline);
    return work.close(deadline) && renewalsEnded;
  }

  private void scheduleRenewal() {
    if (!closed) {
      renewals.schedule(renewals.now().plus(tick), () -> {
        try {
          renew();
        } finally {
          scheduleRenewal();
        }
      });
    }
  }

  private void scheduleClaims() {
    if (claiming) {
      work.schedule(work.now().plus(tick), () -> {
        try {
          claimAll();
          runAfterClaims();
        } finally {
          scheduleClaims();
        }
      });
    }
  }

  private void runAfterClaims() {
    for (Runnable task : afterClaims) {
      try {
        task.run();
      } catch (RuntimeException e) {
        LOG.error("a task after the claims failed", e);
      }
    }
  }

  /** Renews every lease this engine holds; drops the runs whose lease it no longer holds. */
  void renew() {
    // the restoring first: one restored meanwhile is then found with the active runs
    Map<String, Lease> byRun = new LinkedHashMap<>(restoring);
    for (Lease lease : registry.leases()) {
      byRun.put(lease.runId(), lease);
    }
    List<Lease> held = List.copyOf(byRun.values());
    if (held.isEmpty() || closed) {
      return;
    }
    Set<String> lost;
    try {
      lost = runs.renew(held, leaseTime);
    } catch (RuntimeException e) {
      LOG.warn("renewing {} leases failed; trying again in {}", held.size(), tick, e);
      return;
    }
    for (Lease lease : held) {
      if (lost.contains(lease.runId())) {
        // on the claims thread: dropping waits for the run's lock, renewals never do
        work.schedule(work.now(), () -> registry.leaseLost(lease));
      }
    }
  }

  /** Claims free runs until the store has none left, and takes each over. */
  private void claimAll() {
    while (claiming) {
      List<Lease> claimed;
      try {
        claimed = runs.claim(owner, CLAIM_BATCH, leaseTime);
      } catch (RuntimeException e) {
        LOG.warn("claiming runs failed; trying again in {}", tick, e);
        return;
      }
      recover(claimed);
      if (claimed.size() < CLAIM_BATCH) {
        return;
      }
    }
  }

  /** Takes claimed runs over: the running ones first, as they hold their places. */
  private void recover(List<Lease> claimed) {
    for (Lease lease : claimed) {
      restoring.put(lease.runId(), lease);
    }
    List<Lease> order = new ArrayList<>(claimed);
    Map<String, Boolean> pending = new HashMap<>();
    for (Lease lease : claimed) {
      try {
        pending.put(lease.runId(), runs.run(lease.runId())
            .map(r -> r.state() == RunState.PENDING).orElse(true));
      } catch (RuntimeException e) {
        pending.put(lease.runId(), true); // its restore reads it again, and says why it fails
      }
    }
    order.sort(Comparator.comparing(lease -> pending.get(lease.runId())));
    for (Lease lease : order) {
      try {
        registry.recover(lease);
      } catch (RuntimeException e) {
        LOG.error("could not recover run {}; its lease is given back and it stays as it is "
            + "in the store", lease.runId(), e);
      } finally {
        restoring.remove(lease.runId(), lease);
      }
    }
  }

  /**
   * The timer of the engine's own work that runs in real time beside the renewals: commands,
   * and reads of the store for runs owned elsewhere.
   */
  TimeSource timer() {
    return work;
  }
}
