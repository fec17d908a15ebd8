package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.withIdempotencyKey;
import static dev.dagflow.store.contract.StoreFixtures.withStartKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.state.RunState;
import dev.dagflow.store.EndedRuns;
import dev.dagflow.store.IdempotencyKeyTakenException;
import dev.dagflow.store.KeyReuse;
import dev.dagflow.store.Lease;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link RunStore} contract about idempotency keys: {@link RunStore#create(
 * RunRecord, String, java.time.Duration, KeyReuse)} claims a run's key in its project in the
 * step that stores the run, once across concurrent creates, and a purge frees it with its
 * current run. Extended by {@link RunStoreContract}, which implementations subclass.
 */
public abstract class RunIdempotencyContract extends RunPurgeContract {
  private static final int THREADS = 8;

  /** PENDING run {@code runId} of {@code project} (null: global) with idempotency key. */
  private static RunRecord keyed(String runId, String project, String key) {
    return withIdempotencyKey(run(runId, SPEC, at(runId.hashCode() & 0xff), RunState.PENDING,
        project, null), key);
  }

  private Lease createKeyed(String runId, String project, String key, KeyReuse reuse) {
    return store.create(keyed(runId, project, key), OWNER, LIVE, reuse);
  }

  /** Asserts that a create of {@code runId} is refused for {@code key}, naming {@code holder}. */
  private void refused(String runId, String project, String key, KeyReuse reuse,
      String holder) {
    assertThatThrownBy(() -> createKeyed(runId, project, key, reuse))
        .isInstanceOfSatisfying(IdempotencyKeyTakenException.class, e -> {
          assertThat(e.existingRunId()).isEqualTo(holder);
          assertThat(e.idempotencyKey()).isEqualTo(key);
          assertThat(e.project()).isEqualTo(Optional.ofNullable(project));
        })
        .hasMessageContaining("'" + key + "'").hasMessageContaining(holder);
    assertThat(store.run(runId)).as("refused run %s", runId).isEmpty();
  }

  @Test
  void aKeyedRunReadsBackWithItsKeyInItsDefinitionAndSummary() {
    RunRecord run = keyed("r-1", "p", "order-42");
    store.create(run, OWNER, LIVE, KeyReuse.NEVER);

    assertThat(store.run("r-1")).contains(run);
    assertThat(store.list(RunQuery.all()).items()).singleElement()
        .extracting(RunSummary::idempotencyKey).isEqualTo(Optional.of("order-42"));
  }

  @Test
  void neverRefusesASecondRunWithTheKeyWhetherTheFirstHasEndedOrNot() {
    Lease first = createKeyed("r-1", "p", "k", KeyReuse.NEVER);
    refused("r-2", "p", "k", KeyReuse.NEVER, "r-1");

    write(first, RunState.RUNNING);
    write(first, RunState.COMPLETED);
    refused("r-3", "p", "k", KeyReuse.NEVER, "r-1");
    assertThat(store.list(RunQuery.all()).total()).isEqualTo(1);
  }

  @Test
  void afterEndRefusesWhileTheKeysRunIsUnfinishedAndTakesTheKeyOverOnceItHasEnded() {
    Lease first = createKeyed("r-1", "p", "k", KeyReuse.AFTER_END);
    refused("r-2", "p", "k", KeyReuse.AFTER_END, "r-1");
    write(first, RunState.RUNNING);
    write(first, RunState.PAUSED);
    refused("r-2", "p", "k", KeyReuse.AFTER_END, "r-1");

    write(first, RunState.RUNNING);
    write(first, RunState.FAILED);
    Lease second = createKeyed("r-2", "p", "k", KeyReuse.AFTER_END);

    // the key's record points at the new run now; the ended one keeps the key it started with
    refused("r-3", "p", "k", KeyReuse.AFTER_END, "r-2");
    refused("r-3", "p", "k", KeyReuse.NEVER, "r-2");
    assertThat(store.run("r-1").orElseThrow().idempotencyKey()).contains("k");
    assertThat(store.run("r-2").orElseThrow().idempotencyKey()).contains("k");

    write(second, RunState.STOPPED);
    createKeyed("r-3", "p", "k", KeyReuse.AFTER_END);
    refused("r-4", "p", "k", KeyReuse.NEVER, "r-3");
  }

  @Test
  void aKeyBelongsToItsProjectAndIsComparedExactly() {
    createKeyed("r-p1", "p1", "k", KeyReuse.NEVER);
    createKeyed("r-p2", "p2", "k", KeyReuse.NEVER);
    createKeyed("r-global", null, "k", KeyReuse.NEVER);
    createKeyed("r-upper", "p1", "K", KeyReuse.NEVER);

    refused("r-x", "p2", "k", KeyReuse.NEVER, "r-p2");
    refused("r-y", null, "k", KeyReuse.NEVER, "r-global");
    assertThat(store.list(RunQuery.all()).total()).isEqualTo(4);
  }

  @Test
  void aRunRefusedForItsKeyLeavesItsStartKeyFree() {
    createKeyed("r-1", "p", "k", KeyReuse.NEVER);
    RunRecord both = withStartKey(keyed("r-2", "p", "k"), "trigger:t/e-1");
    assertThatThrownBy(() -> store.create(both, OWNER, LIVE, KeyReuse.NEVER))
        .isInstanceOf(IdempotencyKeyTakenException.class);

    store.create(withStartKey(run("r-3", SPEC, at(3)), "trigger:t/e-1"), OWNER, LIVE);
    assertThat(store.run("r-3")).isPresent();
  }

  @Test
  void eightThreadsCreatingRunsWithOneKeyAtOnceMakeOneRun() throws Exception {
    for (KeyReuse reuse : KeyReuse.values()) {
      String key = "race-" + reuse;
      List<String> created = onThreads(THREADS, t -> {
        try {
          createKeyed(reuse + "-" + t, "p", key, reuse);
          return reuse + "-" + t;
        } catch (IdempotencyKeyTakenException e) {
          return null;
        }
      }).stream().filter(Objects::nonNull).toList();

      assertThat(created).as(reuse.name()).hasSize(1);
      refused("late-" + reuse, "p", key, reuse, created.get(0));
    }
    assertThat(store.list(RunQuery.all()).total()).isEqualTo(2);
  }

  @Test
  void eightThreadsTakingOverTheKeyOfAnEndedRunMakeOneRunWhichTheKeyThenNames()
      throws Exception {
    Lease first = createKeyed("r-0", "p", "k", KeyReuse.AFTER_END);
    write(first, RunState.RUNNING);
    write(first, RunState.COMPLETED);

    List<String> created = onThreads(THREADS, t -> {
      try {
        createKeyed("r-" + (t + 1), "p", "k", KeyReuse.AFTER_END);
        return "r-" + (t + 1);
      } catch (IdempotencyKeyTakenException e) {
        assertThat(e.existingRunId()).isNotEqualTo("r-0");
        return null;
      }
    }).stream().filter(Objects::nonNull).toList();

    assertThat(created).hasSize(1);
    refused("r-late", "p", "k", KeyReuse.AFTER_END, created.get(0));
    assertThat(store.list(RunQuery.all()).total()).isEqualTo(2);
  }

  @Test
  void aPurgeDeletesAKeysRecordWithItsCurrentRunOnly() {
    Lease first = createKeyed("r-1", "p", "k", KeyReuse.AFTER_END);
    write(first, RunState.RUNNING);
    write(first, RunState.COMPLETED);
    Lease second = createKeyed("r-2", "p", "k", KeyReuse.AFTER_END);

    // r-1 is no longer the key's current run: the key stays r-2's
    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 10)).containsExactly("r-1");
    refused("r-3", "p", "k", KeyReuse.NEVER, "r-2");

    write(second, RunState.RUNNING);
    write(second, RunState.COMPLETED);
    assertThat(store.purgeEnded(EndedRuns.before(at(100)), 10)).containsExactly("r-2");
    createKeyed("r-3", "p", "k", KeyReuse.NEVER); // free again
    refused("r-4", "p", "k", KeyReuse.NEVER, "r-3");
  }
}
