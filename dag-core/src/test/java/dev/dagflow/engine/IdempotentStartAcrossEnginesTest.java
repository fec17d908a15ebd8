package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one set of stores, eight threads (four on each) submitting one idempotency key
 * at the same moment: one run is made. With {@code RETURN_EXISTING} every submit answers with
 * its id; with {@code FAIL} one submit gets it and the seven others are refused, naming it.
 */
class IdempotentStartAcrossEnginesTest {
  private static final int THREADS = 8;
  private static final DagSpec SPEC = DagSpec.builder("once")
      .scope(DagScope.project("shop", true)).node(NodeSpec.task("only", "work")).build();

  /** What each thread's submit gave: the run id, or the id an exception named (with a '!'). */
  private static List<String> submitAtOnce(List<DagEngine> engines, String key,
      IdempotencyStrategy strategy) throws Exception {
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try {
      CountDownLatch go = new CountDownLatch(1);
      List<Future<String>> results = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        DagEngine engine = engines.get(t % engines.size());
        results.add(threads.submit(() -> {
          go.await();
          try {
            return engine.submit(SubmitRequest.builder().spec(SPEC).idempotencyKey(key)
                .idempotencyStrategy(strategy).build());
          } catch (IdempotencyConflictException e) {
            return "!" + e.existingRunId();
          }
        }));
      }
      go.countDown();
      List<String> ids = new ArrayList<>();
      for (Future<String> result : results) {
        ids.add(result.get(30, TimeUnit.SECONDS));
      }
      return ids;
    } finally {
      threads.shutdownNow();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  @Test
  void eightSubmitsOfOneKeyOnTwoEnginesMakeOneRun() throws Exception {
    Stores shared = Stores.inMemory();
    List<DagEngine> engines = new ArrayList<>();
    try {
      for (String name : List.of("engine-a", "engine-b")) {
        DagEngine engine = DagEngine.builder().stores(shared).instanceId(name)
            .leaseTime(Duration.ofSeconds(5)).handler("work", ctx -> null).build();
        engine.start();
        engines.add(engine);
      }

      List<String> returned = submitAtOnce(engines, "checkout-7",
          IdempotencyStrategy.RETURN_EXISTING);
      assertThat(Set.copyOf(returned)).as("ids returned: %s", returned).hasSize(1);
      String run = returned.get(0);

      List<String> failed = submitAtOnce(engines, "checkout-8", IdempotencyStrategy.FAIL);
      List<String> started = failed.stream().filter(id -> !id.startsWith("!")).toList();
      assertThat(started).as("runs started: %s", failed).hasSize(1);
      assertThat(failed).filteredOn(id -> id.startsWith("!")).hasSize(THREADS - 1)
          .allSatisfy(id -> assertThat(id).isEqualTo("!" + started.get(0)));

      for (DagEngine engine : engines) {
        assertThat(engine.list(RunQuery.all()).total()).isEqualTo(2);
      }
      for (String id : List.of(run, started.get(0))) {
        assertThat(engines.get(0).await(id, Duration.ofSeconds(20)).state())
            .isEqualTo(RunState.COMPLETED);
      }
      assertThat(engines.get(1).get(run).idempotencyKey()).contains("checkout-7");
    } finally {
      engines.forEach(DagEngine::close);
    }
  }
}
