package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static dev.dagflow.store.contract.StoreFixtures.json;
import static dev.dagflow.store.contract.StoreFixtures.node;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.transition;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.TriggerType;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Fence;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.Lease;
import dev.dagflow.store.LeaseLostException;
import dev.dagflow.store.RunChanges;
import dev.dagflow.store.RunRecord;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.StoreException;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The part of the {@link RunStore} contract about who owns a run: the creator's lease, claims,
 * renewals, releases and fenced writes. The tests never move the store's clock: a lease of
 * {@link Duration#ZERO} has expired at once, one of {@link #LIVE} is live for the whole test.
 * Extended by {@link RunCommandContract} and so by {@link RunStoreContract}, which
 * implementations subclass.
 */
public abstract class RunLeaseContract extends RunChangesContract {
  /** Long enough that a lease granted in a test never expires during it. */
  protected static final Duration LIVE = Duration.ofHours(1);

  /** Engine instances other than {@link #OWNER}. */
  protected static final String OTHER = "engine-b";
  protected static final String THIRD = "engine-c";

  /** Creates PENDING run {@code runId} for {@link #OWNER}, held for {@code leaseTime}. */
  protected Lease createFor(String runId, long createdAt, Duration leaseTime) {
    return store.create(run(runId, SPEC, at(createdAt)), OWNER, leaseTime);
  }

  /** Writes run {@code lease.runId()} into {@code state} under {@code lease}'s fence. */
  protected void write(Lease lease, RunState state) {
    RunRecord run = store.run(lease.runId()).orElseThrow();
    store.apply(RunChanges.builder(lease.runId(), lease.fence())
        .status(run.withState(state, at(50)).status()).build());
  }

  /** {@code lease} with its expiry cut to the millisecond, the precision every store keeps. */
  protected static Lease millis(Lease lease) {
    return new Lease(lease.runId(), lease.owner(), lease.epoch(),
        lease.expiresAt().truncatedTo(ChronoUnit.MILLIS));
  }

  /** Asserts that the store holds {@code expected} as run {@code runId}'s lease. */
  protected void assertHeld(String runId, Lease expected) {
    assertThat(store.lease(runId).map(RunLeaseContract::millis)).contains(millis(expected));
  }

  private List<String> claimIds(String owner, int limit) {
    return store.claim(owner, limit, LIVE).stream().map(Lease::runId).toList();
  }

  private static void assertLease(Lease lease, String runId, String owner, long epoch) {
    assertThat(lease.runId()).isEqualTo(runId);
    assertThat(lease.owner()).isEqualTo(owner);
    assertThat(lease.epoch()).isEqualTo(epoch);
  }

  private static LeaseLostException lost(Runnable write) {
    Throwable thrown = catchThrowable(write::run);
    assertThat(thrown).isInstanceOf(LeaseLostException.class);
    return (LeaseLostException) thrown;
  }

  // ---- create ----

  @Test
  void createGivesTheCreatorALeaseAtEpochOne() {
    Lease lease = createFor("r-0", 0, LIVE);
    assertLease(lease, "r-0", OWNER, 1);
    assertHeld("r-0", lease);
    assertThat(store.claim("r-0", OTHER, LIVE)).isEmpty();
  }

  @Test
  void theCreatorsLeaseLastsItsLeaseTimeFromTheStoresNow() {
    Lease expired = createFor("r-0", 0, Duration.ZERO);
    Lease live = createFor("r-1", 0, LIVE);
    // both expiries are the store's now plus the lease time, the second now no earlier
    Duration apart = Duration.between(millis(expired).expiresAt(), millis(live).expiresAt());
    assertThat(apart).isBetween(LIVE, LIVE.plusMinutes(1));
    assertHeld("r-0", expired);
    assertHeld("r-1", live);
  }

  @Test
  void theLeaseOfAnUnknownRunIsEmpty() {
    assertThat(store.lease("nope")).isEmpty();
  }

  // ---- claim(owner, limit, leaseTime) ----

  @Test
  void aClaimTakesUnfinishedRunsOnly() {
    int second = 0;
    for (RunState state : RunState.values()) {
      store.create(run(state.name(), SPEC, at(1_000L * second++), state, null, null), OWNER,
          Duration.ZERO);
      if (state.isTerminal()) {
        write(createFor("ended-" + state, 1_000L * second++, Duration.ZERO), state);
      }
    }
    assertThat(claimIds(OTHER, 10)).containsExactly("PENDING", "RUNNING", "PAUSED");
  }

  @Test
  void aClaimTakesTheOldestRunsFirstByCreationTimeThenId() {
    createFor("c", 3_000, Duration.ZERO);
    createFor("b", 2_000, Duration.ZERO);
    createFor("z", 1_000, Duration.ZERO);
    createFor("y", 4_000, Duration.ZERO);
    createFor("a", 2_000, Duration.ZERO);
    List<Lease> claimed = store.claim(OTHER, 10, LIVE);
    assertThat(claimed).extracting(Lease::runId).containsExactly("z", "a", "b", "c", "y");
    for (Lease lease : claimed) {
      assertLease(lease, lease.runId(), OTHER, 2);
      assertHeld(lease.runId(), lease);
    }
  }

  @Test
  void aClaimTakesNoMoreRunsThanItsLimit() {
    for (int i = 0; i < 5; i++) {
      createFor("r-" + i, i, Duration.ZERO);
    }
    assertThat(claimIds(OTHER, 2)).containsExactly("r-0", "r-1");
    assertThat(claimIds(THIRD, 2)).containsExactly("r-2", "r-3");
    assertThat(claimIds(OTHER, 2)).containsExactly("r-4");
    assertThat(claimIds(THIRD, 2)).isEmpty();
  }

  @Test
  void aClaimNeverTakesARunWithALiveLease() {
    Lease live = createFor("r-0", 0, LIVE);
    createFor("r-1", 1, Duration.ZERO);
    assertThat(claimIds(OTHER, 10)).containsExactly("r-1");
    assertThat(claimIds(THIRD, 10)).isEmpty();
    assertHeld("r-0", live);
  }

  @Test
  void aClaimTakesARunWhoseLeaseTheClaimerItselfLetExpire() {
    createFor("r-0", 0, Duration.ZERO); // an instance restarted under the same id claims it back
    createFor("r-1", 1, LIVE);
    List<Lease> claimed = store.claim(OWNER, 10, LIVE);
    assertThat(claimed).extracting(Lease::runId).containsExactly("r-0");
    assertLease(claimed.get(0), "r-0", OWNER, 2);
    assertHeld("r-0", claimed.get(0));
    assertThat(claimIds(OTHER, 10)).as("both live now").isEmpty();
  }

  @Test
  void everyClaimRaisesTheEpochByOneAndGivesTheRunToTheClaimer() {
    createFor("r-0", 0, Duration.ZERO);
    long epoch = 1;
    for (String owner : List.of(OTHER, THIRD, OWNER, OTHER)) {
      List<Lease> claimed = store.claim(owner, 10, Duration.ZERO);
      assertThat(claimed).hasSize(1);
      assertLease(claimed.get(0), "r-0", owner, ++epoch);
      assertHeld("r-0", claimed.get(0));
    }
  }

  @ParameterizedTest
  @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
  void aClaimOfFewerThanOneRunIsRefused(int limit) {
    Lease lease = createFor("r-0", 0, Duration.ZERO);
    assertThatThrownBy(() -> store.claim(OTHER, limit, LIVE))
        .isInstanceOf(IllegalArgumentException.class);
    assertHeld("r-0", lease);
  }

  // ---- claim(runId, owner, leaseTime) ----

  @ParameterizedTest
  @EnumSource(RunState.class)
  void aClaimByIdTakesARunInAnyStateNobodyHoldsALiveLeaseOn(RunState state) {
    Lease lease = createFor("r-0", 0, Duration.ZERO);
    write(lease, state);
    Optional<Lease> claimed = store.claim("r-0", OTHER, LIVE);
    assertThat(claimed).isPresent();
    assertLease(claimed.get(), "r-0", OTHER, 2);
    assertHeld("r-0", claimed.get());
    assertThat(store.claim("r-0", THIRD, LIVE)).isEmpty();
  }

  @Test
  void aClaimByIdIsRefusedWhileALiveLeaseIsHeldEvenByTheClaimer() {
    Lease live = createFor("r-0", 0, LIVE);
    assertThat(store.claim("r-0", OTHER, LIVE)).isEmpty();
    assertThat(store.claim("r-0", OWNER, LIVE)).isEmpty();
    assertHeld("r-0", live);
  }

  @Test
  void aClaimByIdTakesAnExpiredLeaseTheClaimersOwnIncluded() {
    createFor("r-0", 0, Duration.ZERO);
    Lease other = store.claim("r-0", OTHER, Duration.ZERO).orElseThrow();
    assertLease(other, "r-0", OTHER, 2);
    Lease again = store.claim("r-0", OTHER, LIVE).orElseThrow();
    assertLease(again, "r-0", OTHER, 3);
    assertHeld("r-0", again);
  }

  @Test
  void aClaimByIdOfAnUnknownRunIsEmpty() {
    assertThat(store.claim("nope", OTHER, LIVE)).isEmpty();
    assertThat(store.lease("nope")).isEmpty();
    assertThat(store.run("nope")).isEmpty();
  }

  // ---- fenced writes ----

  @Test
  void aWriteUnderTheCurrentEpochSucceeds() {
    createFor("r-0", 0, Duration.ZERO);
    Lease claimed = store.claim("r-0", OTHER, LIVE).orElseThrow();
    write(claimed, RunState.RUNNING);
    assertThat(store.run("r-0").map(RunRecord::state)).contains(RunState.RUNNING);
    assertHeld("r-0", claimed);
  }

  @Test
  void aWriteUnderAnOlderEpochThrowsLeaseLostNamingBothWriters() {
    Lease stale = createFor("r-0", 0, Duration.ZERO);
    store.claim("r-0", OTHER, LIVE).orElseThrow();
    LeaseLostException lost = lost(() -> write(stale, RunState.RUNNING));
    assertThat(lost).isInstanceOf(StoreException.class);
    assertThat(lost.runId()).isEqualTo("r-0");
    assertThat(lost.fence()).isEqualTo(new Fence(OWNER, 1));
    assertThat(lost.currentEpoch()).isEqualTo(2);
    assertThat(lost.currentOwner()).contains(OTHER);
    assertThat(lost).hasMessageContaining("r-0").hasMessageContaining(OWNER)
        .hasMessageContaining("epoch 1").hasMessageContaining("epoch 2")
        .hasMessageContaining(OTHER);
  }

  @Test
  void aWriteUnderAnEpochAheadOfTheRunsIsRefused() {
    Lease lease = createFor("r-0", 0, LIVE);
    RunRecord run = store.run("r-0").orElseThrow();
    Fence ahead = new Fence(OWNER, 2);
    LeaseLostException lost = lost(() -> store.apply(RunChanges.builder("r-0", ahead)
        .status(run.withState(RunState.RUNNING, at(50)).status()).build()));
    assertThat(lost.fence()).isEqualTo(ahead);
    assertThat(lost.currentEpoch()).isEqualTo(1);
    assertThat(lost.currentOwner()).contains(OWNER);
    assertThat(store.run("r-0")).contains(run);
    assertHeld("r-0", lease);
  }

  /** A step writing every kind of change, ending the run when {@code state} is terminal. */
  private RunChanges step(Lease lease, RunState state, int n) {
    String runId = lease.runId();
    RunRecord run = store.run(runId).orElseThrow().withState(state, at(100L * n));
    return RunChanges.builder(runId, lease.fence()).status(run.status())
        .node(nodeIn(runId, node(n % 3), NodeState.RUNNING))
        .attempt(AttemptRecord.started(runId, node(n % 3), n, at(100L * n)))
        .transition(transition(runId, node(n % 3), n, NodeState.READY, NodeState.RUNNING,
            TriggerType.SYSTEM, at(100L * n)))
        .history(new HistoryEntry(runId, Optional.empty(), "run.step", "t", json("n", n),
            json("n", n + 1), at(100L * n)))
        .build();
  }

  @Test
  void aRefusedWriteChangesNothing() {
    Lease stale = createFor("r-0", 0, Duration.ZERO);
    store.apply(step(stale, RunState.RUNNING, 1));
    RunRecord run = store.run("r-0").orElseThrow();
    var nodes = store.nodes("r-0");
    var attempts = store.attempts("r-0");
    var transitions = store.transitions("r-0");
    var history = store.history("r-0");
    Lease current = store.claim("r-0", OTHER, LIVE).orElseThrow();

    RunChanges refused = step(stale, RunState.COMPLETED, 2);
    assertThatThrownBy(() -> store.apply(refused)).isInstanceOf(LeaseLostException.class);
    assertThat(store.run("r-0")).contains(run);
    assertThat(store.nodes("r-0")).containsExactlyInAnyOrderElementsOf(nodes);
    assertThat(store.attempts("r-0")).isEqualTo(attempts);
    assertThat(store.transitions("r-0")).isEqualTo(transitions);
    assertThat(store.history("r-0")).isEqualTo(history);
    assertHeld("r-0", current);
    assertThat(store.claim(THIRD, 10, LIVE)).isEmpty();
  }

  @Test
  void aWriteOnAnExpiredLeaseNobodyClaimedSucceeds() {
    Lease expired = createFor("r-0", 0, Duration.ZERO);
    store.apply(step(expired, RunState.RUNNING, 1));
    assertThat(store.run("r-0").map(RunRecord::state)).contains(RunState.RUNNING);
    assertThat(store.transitions("r-0")).hasSize(1);
    assertHeld("r-0", expired);
  }

  @Test
  void aWriteAfterAReleaseIsFencedOnTheEpochAlone() {
    Lease lease = createFor("r-0", 0, LIVE);
    store.release(List.of(lease));
    write(lease, RunState.RUNNING);
    assertThat(store.run("r-0").map(RunRecord::state)).contains(RunState.RUNNING);
    assertThat(store.lease("r-0")).isEmpty();
  }

  @Test
  void aStaleWriteAfterTheRunEndedNamesNobodyAsItsOwner() {
    Lease stale = createFor("r-0", 0, Duration.ZERO);
    Lease current = store.claim("r-0", OTHER, LIVE).orElseThrow();
    write(current, RunState.COMPLETED);
    LeaseLostException lost = lost(() -> write(stale, RunState.RUNNING));
    assertThat(lost.currentEpoch()).isEqualTo(2);
    assertThat(lost.currentOwner()).isEmpty();
    assertThat(store.run("r-0").map(RunRecord::state)).contains(RunState.COMPLETED);
  }

  @ParameterizedTest
  @EnumSource(value = RunState.class, names = {"COMPLETED", "FAILED", "STOPPED"})
  void aWriteThatEndsTheRunReleasesItsLease(RunState end) {
    Lease lease = createFor("r-0", 0, LIVE);
    write(lease, end);
    assertThat(store.lease("r-0")).isEmpty();
    assertThat(store.claim(OTHER, 10, LIVE)).isEmpty();
    Lease claimed = store.claim("r-0", OTHER, LIVE).orElseThrow();
    assertLease(claimed, "r-0", OTHER, 2);
    assertHeld("r-0", claimed);
  }

  @ParameterizedTest
  @EnumSource(value = RunState.class, names = {"PENDING", "RUNNING", "PAUSED"})
  void aWriteThatDoesNotEndTheRunKeepsItsLease(RunState state) {
    Lease lease = createFor("r-0", 0, LIVE);
    store.apply(step(lease, state, 1));
    assertHeld("r-0", lease);
    assertThat(store.claim("r-0", OTHER, LIVE)).isEmpty();
  }

  // ---- renew ----

  @Test
  void renewRenewsSeveralLeasesInOneCall() {
    List<Lease> leases = List.of(createFor("r-0", 0, Duration.ZERO),
        createFor("r-1", 1, Duration.ZERO), createFor("r-2", 2, LIVE));
    assertThat(store.renew(leases, LIVE)).isEmpty();
    for (Lease before : leases) {
      Lease after = store.lease(before.runId()).orElseThrow();
      assertLease(after, before.runId(), OWNER, 1);
      assertThat(millis(after).expiresAt()).isAfterOrEqualTo(millis(before).expiresAt());
    }
    assertThat(store.claim(OTHER, 10, LIVE)).isEmpty();
  }

  @Test
  void renewingAnExpiredLeaseNobodyClaimedSucceeds() {
    Lease expired = createFor("r-0", 0, Duration.ZERO);
    assertThat(store.renew(List.of(expired), LIVE)).isEmpty();
    Lease renewed = store.lease("r-0").orElseThrow();
    assertLease(renewed, "r-0", OWNER, 1);
    assertThat(millis(renewed).expiresAt())
        .isAfterOrEqualTo(millis(expired).expiresAt().plus(LIVE));
    write(expired, RunState.RUNNING);
  }

  @Test
  void aRenewedLeaseKeepsOtherClaimersAway() {
    Lease lease = createFor("r-0", 0, Duration.ZERO);
    assertThat(store.renew(List.of(lease), LIVE)).isEmpty();
    assertThat(store.claim(OTHER, 10, LIVE)).isEmpty();
    assertThat(store.claim("r-0", OTHER, LIVE)).isEmpty();
    // a renewal sets the expiry from now rather than adding to it: renewed for no time, it
    // has expired at once
    assertThat(store.renew(List.of(lease), Duration.ZERO)).isEmpty();
    assertThat(claimIds(OTHER, 10)).containsExactly("r-0");
  }

  @Test
  void renewReturnsTheRunsWhoseLeaseIsNoLongerHeld() {
    Lease kept = createFor("kept", 0, Duration.ZERO);
    Lease claimed = createFor("claimed", 1, Duration.ZERO);
    Lease taker = store.claim("claimed", OTHER, LIVE).orElseThrow();
    Lease released = createFor("released", 2, LIVE);
    store.release(List.of(released));
    Lease ended = createFor("ended", 3, LIVE);
    write(ended, RunState.COMPLETED);
    Lease gone = new Lease("gone", OWNER, 1, kept.expiresAt());

    Set<String> lost = store.renew(List.of(kept, claimed, released, ended, gone), LIVE);
    assertThat(lost).containsExactlyInAnyOrder("claimed", "released", "ended", "gone");
    assertHeld("claimed", taker);
    assertThat(store.lease("released")).isEmpty();
    assertThat(store.lease("ended")).isEmpty();
    assertThat(store.lease("gone")).isEmpty();
    assertThat(store.run("gone")).isEmpty();
    assertThat(claimIds(THIRD, 10)).containsExactly("released");
  }

  @Test
  void renewingAnOlderEpochFailsEvenForTheSameOwner() {
    Lease first = createFor("r-0", 0, Duration.ZERO);
    store.claim("r-0", OTHER, Duration.ZERO).orElseThrow();
    Lease again = store.claim("r-0", OWNER, Duration.ZERO).orElseThrow();
    assertThat(store.renew(List.of(first), LIVE)).containsExactly("r-0");
    assertHeld("r-0", again);
    assertThat(store.renew(List.of(again), LIVE)).isEmpty();
    assertThat(store.claim("r-0", OTHER, LIVE)).isEmpty();
  }

  // ---- release ----

  @Test
  void aReleasedRunCanBeClaimedAtOnceByAnyone() {
    List<Lease> leases = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      leases.add(createFor("r-" + i, i, LIVE));
    }
    store.release(leases);
    for (Lease lease : leases) {
      assertThat(store.lease(lease.runId())).isEmpty();
    }
    List<Lease> first = store.claim(OTHER, 1, LIVE);
    assertThat(first).hasSize(1);
    assertLease(first.get(0), "r-0", OTHER, 2);
    assertLease(store.claim("r-1", THIRD, LIVE).orElseThrow(), "r-1", THIRD, 2);
    List<Lease> back = store.claim(OWNER, 10, LIVE);
    assertThat(back).hasSize(1);
    assertLease(back.get(0), "r-2", OWNER, 2);
  }

  @Test
  void releasingAStaleLeaseLeavesTheCurrentOwnerAlone() {
    Lease stale = createFor("r-0", 0, Duration.ZERO);
    Lease current = store.claim("r-0", OTHER, LIVE).orElseThrow();
    store.release(List.of(stale));
    assertHeld("r-0", current);
    assertThat(store.claim(THIRD, 10, LIVE)).isEmpty();
    assertThat(store.claim("r-0", THIRD, LIVE)).isEmpty();
    assertThat(store.renew(List.of(current), LIVE)).isEmpty();
  }

  @Test
  void releasingAnOlderEpochOfTheSameOwnerLeavesItsNewerLeaseAlone() {
    Lease first = createFor("r-0", 0, Duration.ZERO);
    store.claim("r-0", OTHER, Duration.ZERO).orElseThrow();
    Lease again = store.claim("r-0", OWNER, LIVE).orElseThrow();
    store.release(List.of(first));
    assertHeld("r-0", again);
  }

  @Test
  void renewingOrReleasingNoLeaseOrTheLeaseOfAnUnknownRunChangesNothing() {
    Lease lease = createFor("r-0", 0, LIVE);
    Lease gone = new Lease("gone", OWNER, 1, lease.expiresAt());
    assertThat(store.renew(List.of(), LIVE)).isEmpty();
    store.release(List.of());
    store.release(List.of(gone));
    assertThat(store.lease("gone")).isEmpty();
    assertHeld("r-0", lease);
  }
}
