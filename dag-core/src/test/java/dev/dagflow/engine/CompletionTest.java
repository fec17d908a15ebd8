package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link DagEngine#completion} completes with the run's view once its end is stored, for a run
 * of this engine and for one another engine on the same store runs, without blocking anyone.
 */
class CompletionTest {

  private static DagSpec one(String type) {
    return DagSpec.builder("one").node(NodeSpec.task("only", type)).build();
  }

  @Test
  void completesOnceTheRunHasEndedHere() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    try (DagEngine engine = DagEngine.builder()
        .handler("held", ctx -> {
          release.await(10, TimeUnit.SECONDS);
          return null;
        }).build()) {
      engine.start();
      String run = engine.submit(one("held"));
      CompletableFuture<RunView> end = engine.completion(run).toCompletableFuture();
      assertThat(end).isNotDone();
      release.countDown();
      RunView view = end.get(10, TimeUnit.SECONDS);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(engine.get(run).state()).isEqualTo(RunState.COMPLETED);
      // an ended run: at once
      assertThat(engine.completion(run).toCompletableFuture().getNow(null))
          .extracting(RunView::state).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void completesForARunAnotherEngineRuns() throws Exception {
    Stores shared = Stores.inMemory();
    CountDownLatch release = new CountDownLatch(1);
    try (DagEngine owner = DagEngine.builder().stores(shared).instanceId("owner")
        .handler("held", ctx -> {
          release.await(10, TimeUnit.SECONDS);
          return null;
        }).build();
        DagEngine watcher = DagEngine.builder().stores(shared).instanceId("watcher")
            .commandInterval(Duration.ofMillis(20)).handler("held", ctx -> null).build()) {
      owner.start();
      String run = owner.submit(one("held"));
      watcher.start();
      CompletableFuture<RunView> end = watcher.completion(run).toCompletableFuture();
      assertThat(end).isNotDone();
      release.countDown();
      assertThat(end.get(10, TimeUnit.SECONDS).state()).isEqualTo(RunState.COMPLETED);
    }
  }

  @Test
  void failsWhenTheEngineClosesFirstAndRefusesAnUnknownRun() throws Exception {
    Stores shared = Stores.inMemory();
    CountDownLatch release = new CountDownLatch(1);
    try (DagEngine owner = DagEngine.builder().stores(shared).instanceId("owner")
        .handler("held", ctx -> {
          release.await(10, TimeUnit.SECONDS);
          return null;
        }).build()) {
      owner.start();
      String run = owner.submit(one("held"));
      DagEngine watcher = DagEngine.builder().stores(shared).instanceId("watcher")
          .handler("held", ctx -> null).build();
      watcher.start();
      assertThatThrownBy(() -> watcher.completion("no-such-run"))
          .isInstanceOf(UnknownRunException.class);
      CompletableFuture<RunView> end = watcher.completion(run).toCompletableFuture();
      watcher.close();
      assertThatThrownBy(() -> end.get(10, TimeUnit.SECONDS))
          .isInstanceOf(ExecutionException.class)
          .hasCauseInstanceOf(IllegalStateException.class)
          .hasMessageContaining("engine is closed");
      release.countDown();
      assertThat(owner.await(run, Duration.ofSeconds(10)).state())
          .isEqualTo(RunState.COMPLETED);
    }
  }
}
