package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.IdempotencyConflictException;
import dev.dagflow.engine.IdempotencyStrategy;
import dev.dagflow.engine.SubmitRequest;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one database, each through a pool of its own; eight threads, four on each,
 * submit one idempotency key at the same moment, round after round: each round makes one run.
 * With {@code RETURN_EXISTING} every submit answers with its id; with {@code FAIL_ON_RUNNING},
 * once the key's run has ended, one submit starts the next run and the seven others are refused
 * naming it (the run's node is held until every submit of the round has answered, so that it is
 * unfinished for all of them).
 */
abstract class IdempotentStartAcrossInstancesTest {
  private static final int THREADS = 8;
  private static final int ROUNDS = 5;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final DagSpec SPEC = DagSpec.builder("once")
      .scope(DagScope.project("shop", true)).node(NodeSpec.task("only", "t")).build();

  private final List<HikariDataSource> pools = new ArrayList<>();
  /** Holds the node of each run until the round's submits have answered. */
  private volatile CountDownLatch hold = new CountDownLatch(0);

  abstract TestDatabase database();

  @AfterEach
  void closePools() {
    pools.forEach(HikariDataSource::close);
  }

  private DagEngine engine(String instance) {
    HikariDataSource pool = database().settings().pool(instance, THREADS);
    pools.add(pool);
    DagEngine engine = DagEngine.builder().stores(JdbcStores.builder(pool).build())
        .instanceId(instance).leaseTime(Duration.ofSeconds(5)).handler("t", ctx -> {
          if (!hold.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never let go");
          }
          return null;
        }).build();
    engine.start();
    return engine;
  }

  /** Each thread's answer: a run id, or {@code !} and the run id its refusal named. */
  private static List<String> submitAtOnce(ExecutorService threads, List<DagEngine> engines,
      String key, IdempotencyStrategy strategy) throws Exception {
    CyclicBarrier start = new CyclicBarrier(THREADS);
    List<Future<String>> answers = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      DagEngine engine = engines.get(t % engines.size());
      answers.add(threads.submit(() -> {
        start.await(10, TimeUnit.SECONDS);
        try {
          return engine.submit(SubmitRequest.builder().spec(SPEC).idempotencyKey(key)
              .idempotencyStrategy(strategy).build());
        } catch (IdempotencyConflictException e) {
          return "!" + e.existingRunId();
        }
      }));
    }
    List<String> ids = new ArrayList<>();
    for (Future<String> answer : answers) {
      ids.add(answer.get(30, TimeUnit.SECONDS));
    }
    return ids;
  }

  @Test
  void eightSubmitsOfOneKeyOnTwoInstancesMakeOneRunEachRound() throws Exception {
    database().clear();
    ExecutorService threads = Executors.newFixedThreadPool(THREADS);
    try (DagEngine a = engine("idem-a"); DagEngine b = engine("idem-b")) {
      List<DagEngine> engines = List.of(a, b);
      List<String> runs = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        List<String> answers = submitAtOnce(threads, engines, "order-" + round,
            IdempotencyStrategy.RETURN_EXISTING);
        assertThat(Set.copyOf(answers)).as("round %d: %s", round, answers).hasSize(1);
        runs.add(answers.get(0));
      }

      String previous = null;
      for (int round = 0; round < ROUNDS; round++) {
        hold = new CountDownLatch(1);
        List<String> answers = submitAtOnce(threads, engines, "nightly",
            IdempotencyStrategy.FAIL_ON_RUNNING);
        hold.countDown();
        List<String> started = answers.stream().filter(id -> !id.startsWith("!")).toList();
        assertThat(started).as("round %d: %s", round, answers).hasSize(1);
        assertThat(started.get(0)).isNotEqualTo(previous);
        // refused while the new run is unfinished, or after it ended: never for the old one
        assertThat(answers).filteredOn(id -> id.startsWith("!")).hasSize(THREADS - 1)
            .allSatisfy(id -> assertThat(id).isEqualTo("!" + started.get(0)));
        previous = started.get(0);
        assertThat(b.await(previous, WAIT).state()).isEqualTo(RunState.COMPLETED);
        runs.add(previous);
      }

      for (String run : runs) {
        assertThat(a.await(run, WAIT).state()).as(run).isEqualTo(RunState.COMPLETED);
      }
      assertThat(a.list(RunQuery.all().page(0, 100)).total()).isEqualTo(2L * ROUNDS);
      assertThat(b.get(previous).idempotencyKey()).contains("nightly");
    } finally {
      hold.countDown();
      threads.shutdownNow();
      assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
