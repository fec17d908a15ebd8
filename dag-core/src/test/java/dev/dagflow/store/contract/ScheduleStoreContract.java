package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.onThreads;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.schedule.ScheduleState.Outcome;
import dev.dagflow.schedule.UnknownScheduleException;
import dev.dagflow.store.ScheduleStore;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The contract of {@link ScheduleStore}: implementations subclass it with a factory of empty
 * stores.
 */
public abstract class ScheduleStoreContract {
  private static final Optional<String> NO_ERROR = Optional.empty();
  private static final Instant T1 = Instant.parse("2026-03-01T02:30:00Z");
  private static final Instant T2 = T1.plusSeconds(86_400);
  private static final Instant T3 = T2.plusSeconds(86_400);

  protected ScheduleStore store;

  /** A new, empty store. */
  protected abstract ScheduleStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static Schedule schedule(String id, String project) {
    Schedule.Builder b = Schedule.builder(id).template("scan").cron("30 2 * * *");
    return (project == null ? b : b.project(project)).build();
  }

  @Test
  void everyFieldRoundTrips() {
    Schedule full = Schedule.builder("full").project("p1").template("scan", 3)
        .cron("*/5 9-17 * * MON-FRI").zone(ZoneId.of("Europe/Berlin"))
        .params(JsonNodeFactory.instance.objectNode().put("depth", 2).put("name", "é\u0000"))
        .enabled(false).overlap(OverlapPolicy.SKIP).misfireRunAll(24).build();
    Schedule bare = schedule("bare", null);
    store.save(full);
    store.save(bare);
    assertThat(store.get("full")).contains(full);
    assertThat(store.get("bare")).contains(bare);
    assertThat(store.state("full")).isEqualTo(ScheduleState.zero("full"));
    assertThat(store.cursor("full")).isEmpty();
  }

  @Test
  void anUnknownIdIsEmptyOrRefused() {
    assertThat(store.get("nope")).isEmpty();
    assertThat(store.delete("nope")).isFalse();
    assertThatThrownBy(() -> store.state("nope")).isInstanceOf(UnknownScheduleException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> store.cursor("nope")).isInstanceOf(UnknownScheduleException.class);
    assertThatThrownBy(() -> store.record("nope", T1, Outcome.FIRED, NO_ERROR))
        .isInstanceOf(UnknownScheduleException.class);
    assertThatThrownBy(() -> store.handled("nope", T1))
        .isInstanceOf(UnknownScheduleException.class);
    assertThatThrownBy(() -> store.nextFireTime("nope", Optional.of(T1)))
        .isInstanceOf(UnknownScheduleException.class);
  }

  @Test
  void listIsByIdAndByProject() {
    store.save(schedule("m", null));
    store.save(schedule("b", "p1"));
    store.save(schedule("z", "p2"));
    store.save(schedule("a", "p1"));
    assertThat(store.list()).extracting(Schedule::id).containsExactly("a", "b", "m", "z");
    assertThat(store.list(Optional.of("p1"))).extracting(Schedule::id).containsExactly("a", "b");
    assertThat(store.list(Optional.empty())).extracting(Schedule::id).containsExactly("m");
  }

  @Test
  void savingAgainKeepsStateAndCursorAndDeletingForgetsThem() {
    store.save(schedule("s", null));
    store.record("s", T1, Outcome.FIRED, NO_ERROR);
    store.handled("s", T2);
    Schedule changed = schedule("s", null).toBuilder().cron("0 3 * * *").build();
    store.save(changed);
    assertThat(store.get("s")).contains(changed);
    assertThat(store.state("s").fired()).isEqualTo(1);
    assertThat(store.cursor("s")).contains(T2);
    assertThat(store.delete("s")).isTrue();
    store.save(schedule("s", null));
    assertThat(store.state("s")).isEqualTo(ScheduleState.zero("s"));
    assertThat(store.cursor("s")).isEmpty();
  }

  @Test
  void recordCountsEachOutcomeAndKeepsTheLatestFireTime() {
    store.save(schedule("s", null));
    assertThat(store.record("s", T2, Outcome.FIRED, NO_ERROR)).isTrue();
    assertThat(store.record("s", T3, Outcome.FAILED, Optional.of("no template"))).isTrue();
    assertThat(store.record("s", T1, Outcome.FIRED, NO_ERROR)).isTrue(); // fired: always
    store.nextFireTime("s", Optional.of(T3.plusSeconds(60)));
    assertThat(store.state("s")).isEqualTo(new ScheduleState("s", 2, 0, 1, Optional.of(T3),
        Optional.of(T3.plusSeconds(60)), Optional.of("no template")));
    assertThat(store.cursor("s")).contains(T3);
    store.nextFireTime("s", Optional.empty());
    assertThat(store.state("s").nextFireTime()).isEmpty();
  }

  @Test
  void aSkipOrFailureAtOrBeforeTheCursorDoesNotCount() {
    store.save(schedule("s", null));
    assertThat(store.record("s", T2, Outcome.SKIPPED, NO_ERROR)).isTrue();
    assertThat(store.record("s", T2, Outcome.SKIPPED, NO_ERROR)).isFalse();
    assertThat(store.record("s", T1, Outcome.FAILED, Optional.of("x"))).isFalse();
    store.handled("s", T3);
    store.handled("s", T1); // never back
    assertThat(store.cursor("s")).contains(T3);
    assertThat(store.record("s", T3, Outcome.SKIPPED, NO_ERROR)).isFalse();
    assertThat(store.state("s")).isEqualTo(new ScheduleState("s", 0, 1, 0, Optional.of(T2),
        Optional.empty(), Optional.empty()));
  }

  @Test
  void aContradictoryErrorIsRefused() {
    store.save(schedule("s", null));
    assertThatThrownBy(() -> store.record("s", T1, Outcome.FAILED, NO_ERROR))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.record("s", T1, Outcome.SKIPPED, Optional.of("x")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.state("s")).isEqualTo(ScheduleState.zero("s"));
  }

  @Test
  void ofConcurrentSkipsOfOneFireTimeOneCounts() throws Exception {
    store.save(schedule("s", null));
    List<Boolean> counted = onThreads(8, thread -> store.record("s", T1, Outcome.SKIPPED,
        NO_ERROR));
    assertThat(counted).containsOnlyOnce(true);
    List<Boolean> fired = onThreads(8, thread -> store.record("s", T2.plusSeconds(thread),
        Outcome.FIRED, NO_ERROR));
    assertThat(fired).containsOnly(true);
    assertThat(store.state("s").skipped()).isEqualTo(1);
    assertThat(store.state("s").fired()).isEqualTo(8);
    assertThat(store.cursor("s")).contains(T2.plusSeconds(7));
  }
}
