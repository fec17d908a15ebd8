package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.withStartKey;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.state.RunState;
import dev.dagflow.store.Fence;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The part of the {@link RunStore} contract that instances sharing a store count together: the
 * places of a scope's runs ({@link RunStore#admit}), and the listing of a trigger's runs by start
 * key prefix. Extended by {@link RunPurgeContract} and so by {@link RunStoreContract}, which
 * implementations subclass.
 */
public abstract class RunAdmissionContract extends RunPagesContract {

  /** Creates PENDING run {@code runId} of {@code project}'s scope (null: the global scope). */
  private Lease pending(String runId, String project) {
    return store.create(run(runId, SPEC, at(runId.hashCode() & 0xff), RunState.PENDING, project,
        null), OWNER, LIVE);
  }

  @Test
  void aScopeAdmitsUpToItsLimitAndAnEndingRunFreesAPlace() {
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      leases.add(pending("r-" + i, "p"));
    }
    assertThat(store.admit("r-0", leases.get(0).fence(), 2)).isTrue();
    assertThat(store.admit("r-1", leases.get(1).fence(), 2)).isTrue();
    assertThat(store.admit("r-2", leases.get(2).fence(), 2)).isFalse();
    // a run admitted again keeps its one place
    assertThat(store.admit("r-0", leases.get(0).fence(), 2)).isTrue();
    assertThat(store.admit("r-2", leases.get(2).fence(), 2)).isFalse();

    write(leases.get(0), RunState.RUNNING); // still holds its place
    assertThat(store.admit("r-2", leases.get(2).fence(), 2)).isFalse();
    write(leases.get(0), RunState.COMPLETED);
    assertThat(store.admit("r-2", leases.get(2).fence(), 2)).isTrue();
  }

  @Test
  void aRunThatLeftPendingWithoutAdmissionHoldsAPlace() {
    Lease started = pending("r-0", "p");
    Lease waiting = pending("r-1", "p");
    write(started, RunState.RUNNING);
    assertThat(store.admit("r-1", waiting.fence(), 1)).isFalse();
    write(started, RunState.PAUSED);
    assertThat(store.admit("r-1", waiting.fence(), 1)).isFalse();
    write(started, RunState.STOPPED);
    assertThat(store.admit("r-1", waiting.fence(), 1)).isTrue();
  }

  @Test
  void aRunCreatedPastPendingHoldsAPlace() {
    store.create(run("r-0", SPEC, at(0), RunState.RUNNING, "p", null), OWNER, LIVE);
    Lease waiting = pending("r-1", "p");
    assertThat(store.admit("r-1", waiting.fence(), 1)).isFalse();
  }

  @Test
  void eachScopeCountsOnlyItsOwnRuns() {
    Lease a = pending("r-0", "p");
    Lease b = pending("r-1", "q");
    Lease global = pending("r-2", null);
    assertThat(store.admit("r-0", a.fence(), 1)).isTrue();
    assertThat(store.admit("r-1", b.fence(), 1)).isTrue();
    assertThat(store.admit("r-2", global.fence(), 1)).isTrue();
  }

  @Test
  void runsWithDifferentLimitsShareOneCount() {
    Lease first = pending("r-0", "p");
    Lease second = pending("r-1", "p");
    Lease third = pending("r-2", "p");
    assertThat(store.admit("r-0", first.fence(), 1)).isTrue();
    assertThat(store.admit("r-1", second.fence(), 1)).isFalse();
    assertThat(store.admit("r-1", second.fence(), 2)).isTrue();
    assertThat(store.admit("r-2", third.fence(), 2)).isFalse();
  }

  @Test
  void anEndedRunIsNotAdmitted() {
    Lease lease = pending("r-0", "p");
    write(lease, RunState.STOPPED);
    assertThat(store.admit("r-0", lease.fence(), 5)).isFalse();
  }

  @Test
  void aRetriedRunTakesAPlaceByRunningAgain() {
    Lease ended = pending("r-0", "p");
    write(ended, RunState.FAILED);
    Lease waiting = pending("r-1", "p");
    Lease again = store.claim("r-0", OWNER, LIVE).orElseThrow();
    write(again, RunState.RUNNING);
    assertThat(store.admit("r-1", waiting.fence(), 1)).isFalse();
  }

  @Test
  void anAdmissionUnderAStaleFenceIsRefusedAndTakesNoPlace() {
    Lease stale = pending("r-0", "p");
    Lease other = pending("r-1", "p");
    store.release(List.of(stale));
    Lease taken = store.claim("r-0", OTHER, LIVE).orElseThrow();
    assertThatThrownBy(() -> store.admit("r-0", stale.fence(), 1))
        .isInstanceOfSatisfying(LeaseLostException.class, e -> {
          assertThat(e.runId()).isEqualTo("r-0");
          assertThat(e.currentEpoch()).isEqualTo(taken.epoch());
        });
    assertThat(store.admit("r-1", other.fence(), 1)).isTrue();
    assertThat(store.admit("r-0", taken.fence(), 1)).isFalse();
  }

  @Test
  void badAdmissionsAreRefused() {
    Lease lease = pending("r-0", "p");
    assertThatThrownBy(() -> store.admit("nope", new Fence(OWNER, 1), 1))
        .isInstanceOf(StoreException.class).hasMessageContaining("nope");
    assertThatThrownBy(() -> store.admit("r-0", lease.fence(), 0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("limit");
  }

  @Test
  void concurrentAdmissionsNeverPassTheLimit() throws Exception {
    int runs = 40;
    int limit = 3;
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < runs; i++) {
      leases.add(pending("r-" + i, "p"));
    }
    List<Integer> admitted = onThreads(8, thread -> {
      int n = 0;
      for (int i = thread; i < runs; i += 8) {
        if (store.admit("r-" + i, leases.get(i).fence(), limit)) {
          n++;
        }
      }
      return n;
    });
    assertThat(admitted.stream().mapToInt(Integer::intValue).sum()).isEqualTo(limit);
  }

  // ---- a trigger's runs ----

  @Test
  void runsAreListedByTheirStartKeysPrefix() {
    store.create(withStartKey(run("r-0", SPEC, at(0)), "trigger:t1/e1"), OWNER, LIVE);
    store.create(withStartKey(run("r-1", SPEC, at(1)), "trigger:t1/e2"), OWNER, LIVE);
    store.create(withStartKey(run("r-2", SPEC, at(2)), "trigger:t10/e1"), OWNER, LIVE);
    store.create(withStartKey(run("r-3", SPEC, at(3)), "trigger:T1/e3"), OWNER, LIVE);
    store.create(withStartKey(run("r-4", SPEC, at(4)), "trigger:t_/e4"), OWNER, LIVE);
    store.create(withStartKey(run("r-5", SPEC, at(5)), "trigger:t%/e5"), OWNER, LIVE);
    store.create(run("r-6", SPEC, at(6)), OWNER, LIVE);
    assertThat(ids(RunQuery.all().startKeyPrefix("trigger:t1/"))).containsExactly("r-1", "r-0");
    // the characters SQL's LIKE treats as wildcards are plain characters here
    assertThat(ids(RunQuery.all().startKeyPrefix("trigger:t_/"))).containsExactly("r-4");
    assertThat(ids(RunQuery.all().startKeyPrefix("trigger:t%/"))).containsExactly("r-5");
    assertThat(store.list(RunQuery.all().startKeyPrefix("trigger:")).total()).isEqualTo(6);
  }

  @Test
  void aStartKeyPrefixCombinesWithStates() {
    Lease ended = store.create(withStartKey(run("r-0", SPEC, at(0)), "trigger:t1/e1"), OWNER,
        LIVE);
    store.create(withStartKey(run("r-1", SPEC, at(1)), "trigger:t1/e2"), OWNER, LIVE);
    write(ended, RunState.COMPLETED);
    assertThat(ids(RunQuery.all().startKeyPrefix("trigger:t1/")
        .states(RunState.PENDING, RunState.RUNNING, RunState.PAUSED))).containsExactly("r-1");
  }

  private List<String> ids(RunQuery query) {
    return store.list(query).items().stream().map(r -> r.runId()).toList();
  }
}
