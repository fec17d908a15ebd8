package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run an engine claims is its own from the claim on: restoring a batch of claimed runs may
 * take longer than the lease (a slow store), and the leases of the runs restored meanwhile, or
 * still waiting for their turn, are renewed all along. Before, nothing renewed them until they
 * were restored (nothing at all during {@code start()}), so the engine found them expired after
 * a full batch and claimed them again itself: a run whose writes were in flight then had them
 * refused under its old epoch, was dropped, and ran its attempts once more when restored again.
 */
class SlowRestoreTest {
  private static final Duration LEASE = Duration.ofMillis(300);
  /** A full claim batch: the engine claims again at once after it. */
  private static final int RUNS = 100;

  @Test
  void runsClaimedInABatchRestoredSlowerThanTheLeaseAreClaimedOnceAndRunOnce()
      throws Exception {
    Stores shared = Stores.inMemory();
    DagSpec spec = DagSpec.builder("slow-restore")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .build();
    CountDownLatch allHeld = new CountDownLatch(RUNS);
    List<String> runs = new ArrayList<>();
    try (DagEngine first = DagEngine.builder().instanceId("engine-a").leaseTime(LEASE)
        .stores(shared).executor("t", ctx -> {
          if (ctx.nodeId().equals("b")) {
            allHeld.countDown();
            return new CompletableFuture<>(); // lost with engine-a
          }
          return CompletableFuture.completedFuture(NodeResult.success());
        }).build()) {
      first.start();
      for (int i = 0; i < RUNS; i++) {
        runs.add(first.submit(spec));
      }
      assertThat(allHeld.await(10, TimeUnit.SECONDS)).isTrue();
    } // its leases released: claimable at once

    ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor();
    // 8 ms a restore: 100 runs take at least 0.8 s, over two lease times; writes in flight 5 ms
    FaultyRunStore slow = new FaultyRunStore(shared.runs()).slowNodeReads(Duration.ofMillis(8))
        .completeLate(committer, Duration.ofMillis(5));
    try (LogCapture logs = new LogCapture();
        DagEngine second = DagEngine.builder().instanceId("engine-b").leaseTime(LEASE)
            .stores(Stores.of(slow, shared.logs(), shared.policies(), shared.templates(),
                shared.triggers()))
            .handler("t", ctx -> null).build()) {
      second.start(); // claims the 100 runs and restores them, one after the other
      for (String run : runs) {
        assertThat(second.await(run, Harness.WAIT).state()).as(run)
            .isEqualTo(RunState.COMPLETED);
      }
      assertThat(logs.containing("claimed back")).as("runs claimed again by their engine")
          .isEmpty();
      assertThat(logs.containing("its lease was taken over")).as("runs dropped").isEmpty();
      for (String run : runs) {
        assertThat(shared.runs().attempts(run)).as(run).filteredOn(x -> x.nodeId().equals("b"))
            .extracting(AttemptRecord::attempt, AttemptRecord::outcome)
            .containsExactly(tuple(1, AttemptOutcome.ABANDONED),
                tuple(2, AttemptOutcome.COMPLETED));
      }
    } finally {
      committer.shutdownNow();
    }
  }
}
