package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.node;
import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.transition;
import static dev.dagflow.store.contract.StoreFixtures.withStartKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.DuplicateStartException;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.Page;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link RunStore}: every implementation subclasses this with a factory of new,
 * empty stores (and {@link #closeStore} if it needs one). Adds listing, recovery, start keys and
 * concurrency to the writes of {@link RunChangesContract} and the leases of {@link
 * RunLeaseContract}, and the idempotency keys of {@link RunIdempotencyContract}.
 */
public abstract class RunStoreContract extends RunIdempotencyContract {
  /** How many runs and claiming threads the claim races have. */
  private static final int RACE_RUNS = 200;
  private static final int CLAIMERS = 8;

  /**
   * Five runs, by creation second: a(1) RUNNING p1 x, b(2) COMPLETED p1, c(3) PAUSED p2 x,
   * d(3) PENDING, e(5) FAILED p1 x.
   */
  private void fiveRuns() {
    create(run("a", SPEC, at(1_000), RunState.RUNNING, "p1", "x"));
    create(run("b", SPEC, at(2_000), RunState.COMPLETED, "p1", null));
    create(run("c", SPEC, at(3_000), RunState.PAUSED, "p2", "x"));
    create(run("d", SPEC, at(3_000), RunState.PENDING, null, null));
    create(run("e", SPEC, at(5_000), RunState.FAILED, "p1", "x"));
  }

  private List<String> ids(RunQuery query) {
    return store.list(query).items().stream().map(RunSummary::runId).toList();
  }

  @Test
  void listIsNewestFirstThenByIdDescending() {
    fiveRuns();
    Page<RunSummary> page = store.list(RunQuery.all());
    assertThat(page.items()).extracting(RunSummary::runId)
        .containsExactly("e", "d", "c", "b", "a");
    assertThat(page.total()).isEqualTo(5);
    assertThat(page.page()).isZero();
    assertThat(page.size()).isEqualTo(50);
    assertThat(page.hasNext()).isFalse();
    assertThat(page.items().get(0)).isEqualTo(store.run("e").orElseThrow().summary());
  }

  @Test
  void listFiltersByState() {
    fiveRuns();
    assertThat(ids(RunQuery.all().states(RunState.RUNNING, RunState.PAUSED)))
        .containsExactly("c", "a");
    assertThat(ids(RunQuery.all().states(RunState.STOPPED))).isEmpty();
  }

  @Test
  void listFiltersByProjectAndTemplate() {
    fiveRuns();
    assertThat(ids(RunQuery.all().project("p1"))).containsExactly("e", "b", "a");
    assertThat(ids(RunQuery.all().project("p3"))).isEmpty();
    assertThat(ids(RunQuery.all().template("x"))).containsExactly("e", "c", "a");
    assertThat(ids(RunQuery.all().project("p1").template("x")
        .states(RunState.FAILED, RunState.RUNNING))).containsExactly("e", "a");
  }

  @Test
  void listFiltersByCreationRangeFromInclusiveToExclusive() {
    fiveRuns();
    assertThat(ids(RunQuery.all().created(at(2_000), at(5_000)))).containsExactly("d", "c", "b");
    assertThat(ids(RunQuery.all().created(at(0), at(1_000)))).isEmpty();
    assertThat(ids(RunQuery.all().created(at(5_000), at(5_001)))).containsExactly("e");
  }

  @Test
  void listPagesAndCountsEveryMatch() {
    fiveRuns();
    Page<RunSummary> first = store.list(RunQuery.all().page(0, 2));
    assertThat(first.items()).extracting(RunSummary::runId).containsExactly("e", "d");
    assertThat(first.total()).isEqualTo(5);
    assertThat(first.hasNext()).isTrue();
    assertThat(ids(RunQuery.all().page(1, 2))).containsExactly("c", "b");
    Page<RunSummary> last = store.list(RunQuery.all().page(2, 2));
    assertThat(last.items()).extracting(RunSummary::runId).containsExactly("a");
    assertThat(last.hasNext()).isFalse();
    Page<RunSummary> beyond = store.list(RunQuery.all().page(3, 2));
    assertThat(beyond.items()).isEmpty();
    assertThat(beyond.total()).isEqualTo(5);
    Page<RunSummary> filtered = store.list(RunQuery.all().project("p1").page(1, 1));
    assertThat(filtered.items()).extracting(RunSummary::runId).containsExactly("b");
    assertThat(filtered.total()).isEqualTo(3);
  }

  @Test
  void listOfAnEmptyStoreIsEmpty() {
    Page<RunSummary> page = store.list(RunQuery.all());
    assertThat(page.items()).isEmpty();
    assertThat(page.total()).isZero();
  }

  @Test
  void listSeesStateChangesApplied() {
    fiveRuns();
    RunRecord a = store.run("a").orElseThrow();
    store.apply(changes("a").status(a.withState(RunState.COMPLETED, at(9_000)).status()).build());
    assertThat(ids(RunQuery.all().states(RunState.COMPLETED))).containsExactly("b", "a");
    assertThat(ids(RunQuery.all().states(RunState.RUNNING))).isEmpty();
  }

  // ---- start keys ------------------------------------------------------------------------

  @Test
  void aRunReadsBackWithItsStartKey() {
    RunRecord run = withStartKey(run("r-1", SPEC, at(0)), "trigger:t/e-1");
    create(run);
    assertThat(store.run("r-1")).contains(run);
    assertThat(store.list(RunQuery.all()).items()).containsExactly(run.summary());
  }

  @Test
  void aSecondRunWithATakenStartKeyIsRefusedNamingTheKeyAndTheStoredRun() {
    String key = "trigger:on-push/push-a";
    RunRecord first = withStartKey(run("r-1", SPEC, at(0)), key);
    create(first);
    create(run("other", SPEC, at(10)));
    Page<RunSummary> before = store.list(RunQuery.all());

    RunRecord second = withStartKey(run("r-2", SPEC, at(50), RunState.RUNNING, "p1", "x"), key);
    assertThatThrownBy(() -> store.create(second, "engine-b", LIVE))
        .isInstanceOfSatisfying(DuplicateStartException.class, e -> {
          assertThat(e.startKey()).isEqualTo(key);
          assertThat(e.existingRunId()).isEqualTo("r-1");
        })
        .isInstanceOf(StoreException.class).hasMessageContaining(key).hasMessageContaining("r-1");

    // nothing of r-2 is stored: not the run, its lease, a listing entry or a claimable run
    assertThat(store.run("r-2")).isEmpty();
    assertThat(store.lease("r-2")).isEmpty();
    assertThat(store.nodes("r-2")).isEmpty();
    assertThat(store.list(RunQuery.all())).isEqualTo(before);
    assertThat(store.list(RunQuery.all().states(RunState.RUNNING)).total()).isZero();
    assertThat(store.claim("engine-c", 10, LIVE)).extracting(Lease::runId)
        .containsExactly("r-1", "other");
    assertThat(store.run("r-1")).contains(first);
    // the key stays with r-1, and the id r-2 is free
    assertThatThrownBy(() -> store.create(withStartKey(run("r-3", SPEC, at(60)), key), OWNER,
        LIVE)).isInstanceOfSatisfying(DuplicateStartException.class,
            e -> assertThat(e.existingRunId()).isEqualTo("r-1"));
    create(run("r-2", SPEC, at(70)));
    assertThat(store.run("r-2")).map(RunRecord::startKey).contains(Optional.empty());
  }

  @Test
  void runsWithoutAStartKeyOrWithDifferentKeysNeverCollide() {
    List<String> keys = List.of("k-1", "k-10", "K-1", "trigger:a/b/c", "trigger:a/b", "k-1 ");
    for (int i = 0; i < 3; i++) {
      create(run("plain-" + i, SPEC, at(i)));
    }
    for (int i = 0; i < keys.size(); i++) {
      create(withStartKey(run("keyed-" + i, SPEC, at(10 + i)), keys.get(i)));
    }
    assertThat(store.list(RunQuery.all()).total()).isEqualTo(3 + keys.size());
    for (int i = 0; i < keys.size(); i++) {
      assertThat(store.run("keyed-" + i)).map(RunRecord::startKey)
          .as("keys are compared exactly, case and spaces included")
          .contains(Optional.of(keys.get(i)));
    }
  }

  @Test
  void aRunRefusedForItsIdLeavesItsStartKeyFree() {
    create(run("r-1", SPEC, at(0)));
    assertThatThrownBy(() -> create(withStartKey(run("r-1", SPEC, at(5)), "k")))
        .isInstanceOf(StoreException.class).isNotInstanceOf(DuplicateStartException.class);
    assertThat(store.run("r-1")).map(RunRecord::startKey).contains(Optional.empty());
    RunRecord keyed = withStartKey(run("r-2", SPEC, at(5)), "k");
    create(keyed);
    assertThat(store.run("r-2")).contains(keyed);
  }

  @Test
  void concurrentCreatesWithOneStartKeyStoreExactlyOneRun() throws Exception {
    int keys = 100;
    // per thread and key: the run it created, or "refused:" and the run the refusal named
    List<List<String>> outcomes = onThreads(CLAIMERS, thread -> {
      List<String> mine = new ArrayList<>();
      for (int k = 0; k < keys; k++) {
        String runId = "k" + k + "-t" + thread;
        try {
          store.create(withStartKey(run(runId, SPEC, at(k)), "key-" + k), "creator-" + thread,
              LIVE);
          mine.add(runId);
        } catch (DuplicateStartException e) {
          assertThat(e.startKey()).isEqualTo("key-" + k);
          mine.add("refused:" + e.existingRunId());
        }
      }
      return mine;
    });

    for (int k = 0; k < keys; k++) {
      int key = k;
      List<String> created = outcomes.stream().map(o -> o.get(key))
          .filter(o -> !o.startsWith("refused:")).toList();
      assertThat(created).as("runs created with key-%d", k).hasSize(1);
      String winner = created.get(0);
      assertThat(outcomes.stream().map(o -> o.get(key)).filter(o -> o.startsWith("refused:")))
          .as("refusals of key-%d name the run that has it", k)
          .hasSize(CLAIMERS - 1).allMatch(o -> o.equals("refused:" + winner));
      assertThat(store.run(winner)).map(RunRecord::startKey).contains(Optional.of("key-" + k));
      for (int t = 0; t < CLAIMERS; t++) {
        String loser = "k" + k + "-t" + t;
        if (!loser.equals(winner)) {
          assertThat(store.run(loser)).as("refused run %s", loser).isEmpty();
          assertThat(store.lease(loser)).as("lease of refused run %s", loser).isEmpty();
        }
      }
    }
    assertThat(store.list(RunQuery.all()).total()).isEqualTo(keys);
    assertThat(store.claim("latecomer", 2 * keys, Duration.ZERO)).isEmpty();
  }

  private List<String> claimed(String owner) {
    return store.claim(owner, 10, Duration.ZERO).stream().map(Lease::runId).toList();
  }

  @Test
  void aClaimTakesTheUnfinishedRunsOldestFirst() {
    fiveRuns();
    assertThat(claimed("engine-b")).containsExactly("a", "c", "d");
  }

  @Test
  void aClaimFollowsRunsEndingAndReopening() {
    fiveRuns();
    RunRecord a = store.run("a").orElseThrow();
    RunRecord failed = a.withState(RunState.FAILED, at(9_000));
    store.apply(changes("a").status(failed.status()).build());
    assertThat(claimed("engine-b")).containsExactly("c", "d");
    store.apply(changes("a").status(failed.withState(RunState.RUNNING, at(9_500)).status())
        .build());
    RunRecord e = store.run("e").orElseThrow();
    store.apply(changes("e").status(e.withState(RunState.RUNNING, at(9_600)).status()).build());
    assertThat(claimed("engine-c")).containsExactly("a", "c", "d", "e");
  }

  @Test
  void aClaimOnAnEmptyStoreTakesNothing() {
    assertThat(claimed("engine-b")).isEmpty();
  }

  @Test
  void concurrentAppliesToDifferentRunsAreEachWholeAndNoneIsLost() throws Exception {
    int writers = 6;
    int applies = 150;
    for (int w = 0; w < writers; w++) {
      create(run("c-" + w, SPEC, at(w)));
    }
    ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      AtomicBoolean writing = new AtomicBoolean(true);
      List<Future<?>> writes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String runId = "c-" + w;
        writes.add(pool.submit(() -> {
          start.await();
          for (int i = 0; i < applies; i++) {
            store.apply(changes(runId)
                .transition(transition(runId, node(i % 3), i, NodeState.RUNNING,
                    NodeState.WAITING, TriggerType.ERROR, at(i)))
                .transition(transition(runId, node(i % 3), i, NodeState.WAITING,
                    NodeState.READY, TriggerType.DEPENDENCY, at(i)))
                .node(nodeIn(runId, node(i % 3), NodeState.READY))
                .history(new HistoryEntry(runId, Optional.empty(), "run.step", "t",
                    StoreFixtures.json("i", i), StoreFixtures.json("i", i + 1), at(i)))
                .build());
          }
          return null;
        }));
      }
      List<Future<Integer>> reads = new ArrayList<>();
      for (int r = 0; r < 2; r++) {
        reads.add(pool.submit(() -> {
          start.await();
          int checks = 0;
          do {
            for (int w = 0; w < writers; w++) {
              List<StateTransition> seen = store.transitions("c-" + w);
              assertThat(seen.size() % 2).as("a read saw half an apply").isZero();
              if (!seen.isEmpty()) {
                StateTransition last = seen.get(seen.size() - 1);
                StateTransition before = seen.get(seen.size() - 2);
                assertThat(last.to()).isEqualTo(NodeState.READY);
                assertThat(before.attempt()).isEqualTo(last.attempt());
              }
              checks++;
            }
          } while (writing.get());
          return checks;
        }));
      }
      start.countDown();
      for (Future<?> f : writes) {
        f.get(60, TimeUnit.SECONDS);
      }
      writing.set(false);
      for (Future<Integer> f : reads) {
        assertThat(f.get(60, TimeUnit.SECONDS)).isPositive();
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    for (int w = 0; w < writers; w++) {
      String runId = "c-" + w;
      List<StateTransition> all = store.transitions(runId);
      assertThat(all).hasSize(2 * applies);
      for (int i = 0; i < applies; i++) {
        assertThat(all.get(2 * i).attempt()).isEqualTo(i);
        assertThat(all.get(2 * i).runId()).isEqualTo(runId);
      }
      assertThat(store.history(runId)).hasSize(applies);
      assertThat(store.nodes(runId)).hasSize(3);
    }
  }

  /** {@link #RACE_RUNS} PENDING runs, oldest first, held by {@link #OWNER} and expired. */
  private List<String> raceRuns() {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < RACE_RUNS; i++) {
      String runId = String.format("race-%03d", i);
      createFor(runId, i, Duration.ZERO);
      ids.add(runId);
    }
    return ids;
  }

  @Test
  void concurrentClaimsNeverGrantOneEpochOfARunTwice() throws Exception {
    List<String> ids = raceRuns();
    // leases that expire at once: every claim takes runs from the other claimers
    List<List<Lease>> grants = onThreads(CLAIMERS, thread -> {
      List<Lease> got = new ArrayList<>();
      for (int call = 0; call < 100; call++) {
        got.addAll(store.claim("claimer-" + thread, 1 + thread % 3, Duration.ZERO));
      }
      return got;
    });

    Map<String, TreeMap<Long, Lease>> byRun = new HashMap<>();
    for (int thread = 0; thread < CLAIMERS; thread++) {
      assertThat(grants.get(thread)).as("grants of claimer-%d", thread).isNotEmpty();
      Map<String, Long> lastEpoch = new HashMap<>();
      for (Lease lease : grants.get(thread)) {
        assertThat(lease.owner()).isEqualTo("claimer-" + thread);
        Lease before = byRun.computeIfAbsent(lease.runId(), id -> new TreeMap<>())
            .put(lease.epoch(), lease);
        assertThat(before).as("epoch %d of %s granted twice", lease.epoch(), lease.runId())
            .isNull();
        Long last = lastEpoch.put(lease.runId(), lease.epoch());
        if (last != null) {
          assertThat(lease.epoch()).as("a later grant of %s", lease.runId()).isGreaterThan(last);
        }
      }
    }
    for (String runId : ids) {
      TreeMap<Long, Lease> epochs = byRun.getOrDefault(runId, new TreeMap<>());
      // every claim raised the epoch by one from the creator's 1: no epoch is skipped
      assertThat(epochs.keySet()).as("epochs granted of %s", runId)
          .containsExactlyElementsOf(LongStream.rangeClosed(2, epochs.size() + 1).boxed()
              .toList());
      if (!epochs.isEmpty()) {
        assertHeld(runId, epochs.lastEntry().getValue());
      }
    }
  }

  @Test
  void concurrentClaimsOfLiveLeasesGrantEachRunToExactlyOneOwner() throws Exception {
    List<String> ids = raceRuns();
    List<List<Lease>> grants = onThreads(CLAIMERS, thread -> {
      List<Lease> got = new ArrayList<>();
      for (int call = 0; call < RACE_RUNS; call++) {
        List<Lease> claimed = store.claim("claimer-" + thread, 1 + thread % 3, LIVE);
        if (claimed.isEmpty()) {
          break;
        }
        got.addAll(claimed);
      }
      return got;
    });

    Map<String, Lease> byRun = new HashMap<>();
    for (int thread = 0; thread < CLAIMERS; thread++) {
      for (Lease lease : grants.get(thread)) {
        assertThat(lease.owner()).isEqualTo("claimer-" + thread);
        assertThat(lease.epoch()).isEqualTo(2);
        Lease before = byRun.put(lease.runId(), lease);
        assertThat(before).as("%s granted to %s and %s", lease.runId(), before, lease).isNull();
      }
    }
    assertThat(byRun.keySet()).containsExactlyInAnyOrderElementsOf(ids);
    for (Lease lease : byRun.values()) {
      assertHeld(lease.runId(), lease);
    }
    assertThat(store.claim("latecomer", RACE_RUNS, LIVE)).isEmpty();
  }
}
