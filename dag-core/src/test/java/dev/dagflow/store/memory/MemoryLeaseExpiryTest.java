package dev.dagflow.store.memory;

import static dev.dagflow.store.contract.StoreFixtures.T0;
import static dev.dagflow.store.contract.StoreFixtures.run;
import static dev.dagflow.store.contract.StoreFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.store.Lease;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The in-memory store judges expiry on the clock it was given, not on the system's: its clock
 * stands at {@code T0}, years before the system's now, and moves only by hand, so a store that
 * read the system clock to grant or to judge a lease would fail these tests.
 */
class MemoryLeaseExpiryTest {
  private static final Duration TEN_SECONDS = Duration.ofSeconds(10);
  private static final Duration HOUR = Duration.ofHours(1);

  /** A store's clock that moves only when told. */
  private static final class HandClock implements InstantSource {
    private final AtomicReference<Instant> now = new AtomicReference<>(T0);

    @Override
    public Instant instant() {
      return now.get();
    }

    void advance(Duration by) {
      now.updateAndGet(t -> t.plus(by));
    }
  }

  private final HandClock clock = new HandClock();
  private final RunStore store = MemoryStores.runStore(clock);

  private Lease create(String runId) {
    return store.create(run(runId, spec("s", 1), T0), "engine-a", TEN_SECONDS);
  }

  @Test
  void aLeaseExpiresOnTheStoresClock() {
    Lease lease = create("r-0");
    assertThat(lease.expiresAt()).isEqualTo(T0.plus(TEN_SECONDS));
    assertThat(store.lease("r-0")).contains(lease);

    clock.advance(Duration.ofSeconds(9));
    assertThat(store.claim("engine-b", 10, HOUR)).isEmpty();
    assertThat(store.claim("r-0", "engine-b", HOUR)).isEmpty();

    clock.advance(Duration.ofSeconds(1));
    List<Lease> claimed = store.claim("engine-b", 10, HOUR);
    assertThat(claimed).containsExactly(
        new Lease("r-0", "engine-b", 2, T0.plus(TEN_SECONDS).plus(HOUR)));
    assertThat(store.lease("r-0")).contains(claimed.get(0));
  }

  @Test
  void aClaimByIdWaitsForTheStoresClockToo() {
    create("r-0");
    clock.advance(TEN_SECONDS.minusMillis(1));
    assertThat(store.claim("r-0", "engine-b", HOUR)).isEmpty();
    clock.advance(Duration.ofMillis(1));
    assertThat(store.claim("r-0", "engine-b", HOUR))
        .contains(new Lease("r-0", "engine-b", 2, T0.plus(TEN_SECONDS).plus(HOUR)));
  }

  @Test
  void aRenewalLastsItsLeaseTimeFromTheStoresNow() {
    Lease lease = create("r-0");
    clock.advance(Duration.ofSeconds(9));
    assertThat(store.renew(List.of(lease), TEN_SECONDS)).isEmpty();
    assertThat(store.lease("r-0")).contains(new Lease("r-0", "engine-a", 1,
        T0.plus(Duration.ofSeconds(19))));

    clock.advance(Duration.ofSeconds(9));
    assertThat(store.claim("engine-b", 10, HOUR)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(store.claim("engine-b", 10, HOUR)).extracting(Lease::epoch).containsExactly(2L);
  }

  @Test
  void theStoresOfStoresInMemoryTakeTheClockTheyAreGiven() {
    RunStore runs = Stores.inMemory(clock).runs();
    Lease lease = runs.create(run("r-0", spec("s", 1), T0), "engine-a", TEN_SECONDS);
    assertThat(lease.expiresAt()).isEqualTo(T0.plus(TEN_SECONDS));
    clock.advance(Duration.ofSeconds(9));
    assertThat(runs.claim("engine-b", 10, HOUR)).isEmpty();
    clock.advance(Duration.ofSeconds(1));
    assertThat(runs.claim("engine-b", 10, HOUR)).extracting(Lease::runId).containsExactly("r-0");
  }
}
