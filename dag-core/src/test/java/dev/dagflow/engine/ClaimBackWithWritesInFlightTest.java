package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An engine whose renewals fail for longer than its lease claims its own run back (nobody else
 * did meanwhile) while writes of the run are in flight under the old epoch. The store refuses
 * those writes for their epoch; the engine, holding the run under the new one, writes them
 * again under it instead of dropping the run and re-running its attempts.
 */
class ClaimBackWithWritesInFlightTest {

  @Test
  void writesRefusedForTheEpochTheEngineClaimedBackAreWrittenAgainAndNothingRunsTwice()
      throws Exception {
    Stores base = Stores.inMemory();
    ScheduledExecutorService committer = Executors.newSingleThreadScheduledExecutor();
    FaultyRunStore late = new FaultyRunStore(base.runs())
        .completeLate(committer, Duration.ofMillis(20));
    Map<String, AtomicInteger> executions = new ConcurrentHashMap<>();
    DagSpec.Builder chain = DagSpec.builder("chain");
    for (int i = 0; i < 200; i++) {
      NodeSpec.Builder node = NodeSpec.task("n" + i, "work");
      chain.node(i == 0 ? node : node.dependsOn("n" + (i - 1)));
    }
    try (DagEngine engine = DagEngine.builder().instanceId("engine-a")
        .leaseTime(Duration.ofMillis(300))
        .stores(Stores.of(late, base.logs(), base.policies(), base.templates(),
            base.triggers()))
        .handler("work", ctx -> {
          executions.computeIfAbsent(ctx.nodeId(), k -> new AtomicInteger()).incrementAndGet();
          return null;
        }).build()) {
      engine.start();
      String run = engine.submit(chain.build(), JsonNodeFactory.instance.objectNode());
      late.failNextRenewals(6); // about 600 ms without a renewal: twice the lease
      assertThat(late.renewalsHealed().await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(engine.await(run, Duration.ofSeconds(30)).state())
          .isEqualTo(RunState.COMPLETED);
      assertThat(base.runs().lease(run)).isEmpty();
      List<AttemptRecord> attempts = base.runs().attempts(run);
      assertThat(attempts).extracting(AttemptRecord::outcome)
          .as("no attempt lost").doesNotContain(AttemptOutcome.ABANDONED);
      assertThat(executions).hasSize(200).allSatisfy((node, n) ->
          assertThat(n.get()).as(node).isEqualTo(1));
    } finally {
      committer.shutdownNow();
    }
  }
}
