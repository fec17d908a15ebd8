package dev.dagflow.engine;

import static dev.dagflow.engine.ScheduleHarness.every;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.schedule.MisfirePolicy;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunRecord;
import dev.dagflow.template.UnknownTemplateException;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Schedules fire on the engine's time source: one run per fire time, with its start key. */
class ScheduleFiringTest {
  private static final Duration WAIT = Duration.ofSeconds(20);

  private static Schedule.Builder every5(String id) {
    return Schedule.builder(id).template("scan").cron("*/5 * * * *");
  }

  @Test
  void everyFiveMinutesAcrossTheAutumnChangeInBerlinFiresEveryFiveMinutesOfUtc() {
    Instant start = Instant.parse("2026-10-24T23:00:30Z"); // 01:00:30 CEST
    Instant first = Instant.parse("2026-10-24T23:05:00Z");
    try (ScheduleHarness h = new ScheduleHarness(start)) {
      DagEngine engine = h.engine("a");
      engine.schedules().save(every5("every5").zone("Europe/Berlin").build());
      assertThat(engine.schedules().state("every5").nextFireTime())
          .contains(first);
      h.clock.advance(Duration.ofHours(4)); // to 04:00 CET, over the repeated hour 02:00-03:00
      List<Instant> expected = every(5, first, Instant.parse("2026-10-25T03:00:00Z"));
      assertThat(expected).hasSize(48);
      assertThat(h.fireTimes("every5")).isEqualTo(expected);
      ScheduleState state = engine.schedules().state("every5");
      assertThat(state.fired()).isEqualTo(48);
      assertThat(state.skipped()).isZero();
      assertThat(state.lastFireTime()).contains(expected.get(47));
      assertThat(state.nextFireTime()).contains(expected.get(47).plusSeconds(300));
      RunRecord run = h.stores.runs().run(h.runs("every5").get(0).runId()).orElseThrow();
      assertThat(run.startKey()).contains("schedule:every5/" + first.toEpochMilli());
      assertThat(run.template()).contains("scan");
    }
  }

  @Test
  void aDailyJobAtHalfPastTwoFiresOnTheSpringForwardDay() {
    Instant start = Instant.parse("2026-03-28T12:00:00Z");
    try (ScheduleHarness h = new ScheduleHarness(start)) {
      DagEngine engine = h.engine("a");
      engine.schedules().save(Schedule.builder("nightly").template("scan").cron("30 2 * * *")
          .zone("Europe/Berlin").build());
      h.clock.advance(Duration.ofDays(2));
      assertThat(h.fireTimes("nightly")).containsExactly(
          Instant.parse("2026-03-29T01:30:00Z"), // 02:30 does not exist: 03:30 CEST
          Instant.parse("2026-03-30T00:30:00Z"));
    }
  }

  @Test
  void twoEnginesOnTheSameStoresStartOneRunPerFireTime() {
    Instant start = Instant.parse("2026-06-01T10:00:30Z");
    try (ScheduleHarness h = new ScheduleHarness(start)) {
      DagEngine a = h.engine("a");
      a.schedules().save(every5("shared").build());
      DagEngine b = h.engine("b"); // loads the schedule at start
      h.clock.advance(Duration.ofHours(1));
      assertThat(h.fireTimes("shared")).isEqualTo(every(5,
          Instant.parse("2026-06-01T10:05:00Z"), Instant.parse("2026-06-01T11:00:00Z")));
      assertThat(a.schedules().state("shared").fired()).isEqualTo(12);
      assertThat(b.schedules().state("shared").fired()).isEqualTo(12);
    }
  }

  @Test
  void overlapSkipSkipsFireTimesWhileThePreviousRunIsActive() throws Exception {
    Instant start = Instant.parse("2026-06-01T10:00:30Z");
    CountDownLatch release = new CountDownLatch(1);
    try (ScheduleHarness h = new ScheduleHarness(start)) {
      DagEngine engine = h.engine("a", ctx -> {
        assertThat(release.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
        return null;
      });
      engine.schedules().save(every5("serial").overlap(OverlapPolicy.SKIP).build());
      h.clock.advance(Duration.ofMinutes(5)); // 10:05: a run, held by its handler
      h.clock.advance(Duration.ofMinutes(10)); // 10:10 and 10:15: skipped
      assertThat(h.runs("serial")).hasSize(1);
      assertThat(engine.schedules().state("serial").skipped()).isEqualTo(2);
      release.countDown();
      String first = h.runs("serial").get(0).runId();
      assertThat(engine.await(first, WAIT).state()).isEqualTo(RunState.COMPLETED);
      h.clock.advance(Duration.ofMinutes(5)); // 10:20: the previous run has ended
      assertThat(h.fireTimes("serial")).containsExactly(Instant.parse("2026-06-01T10:05:00Z"),
          Instant.parse("2026-06-01T10:20:00Z"));
      ScheduleState state = engine.schedules().state("serial");
      assertThat(state.fired()).isEqualTo(2);
      assertThat(state.skipped()).isEqualTo(2);
    } finally {
      release.countDown();
    }
  }

  @Test
  void aDisabledScheduleDoesNotFireAndADeletedOneIsForgotten() {
    Instant start = Instant.parse("2026-06-01T10:00:30Z");
    try (ScheduleHarness h = new ScheduleHarness(start)) {
      DagEngine engine = h.engine("a");
      engine.schedules().save(every5("off").enabled(false).build());
      h.clock.advance(Duration.ofMinutes(30));
      assertThat(h.runs("off")).isEmpty();
      assertThat(engine.schedules().state("off").nextFireTime()).isEmpty();
      engine.schedules().save(every5("gone").build());
      assertThat(engine.schedules().delete("gone")).isTrue();
      h.clock.advance(Duration.ofMinutes(30));
      assertThat(h.runs("gone")).isEmpty();
      assertThat(engine.schedules().get("gone")).isEmpty();
      assertThat(h.clock.pending()).noneMatch(t -> t.equals(start.plus(Duration.ofMinutes(65))));
    }
  }

  @Test
  void aScheduleForAnUnknownTemplateIsRefusedAndOneWhoseTemplateWentCountsFailures() {
    Instant start = Instant.parse("2026-06-01T10:00:30Z");
    try (ScheduleHarness h = new ScheduleHarness(start)) {
      DagEngine engine = h.engine("a");
      assertThatThrownBy(() -> engine.schedules().save(Schedule.builder("s").template("nope")
          .cron("* * * * *").build())).isInstanceOf(UnknownTemplateException.class);
      assertThat(engine.schedules().get("s")).isEmpty();
      engine.schedules().save(every5("s").build());
      engine.templates().delete("scan");
      h.clock.advance(Duration.ofMinutes(10));
      ScheduleState state = engine.schedules().state("s");
      assertThat(state.failed()).isEqualTo(2);
      assertThat(state.fired()).isZero();
      assertThat(state.lastError()).hasValueSatisfying(e -> assertThat(e).contains("scan"));
    }
  }

  @Test
  void theRunGetsTheParamsAndTheProjectOfItsSchedule() throws Exception {
    Instant start = Instant.parse("2026-06-01T10:00:30Z");
    try (ScheduleHarness h = new ScheduleHarness(start)) {
      DagEngine engine = h.engine("a");
      engine.schedules().save(every5("p").project("acme")
          .params(EventTriggersTest.json("{\"depth\": 2}")).build());
      h.clock.advance(Duration.ofMinutes(5));
      RunRecord run = h.stores.runs().run(h.runs("p").get(0).runId()).orElseThrow();
      assertThat(run.project()).contains("acme");
      assertThat(run.params().get("depth").intValue()).isEqualTo(2);
      assertThat(engine.history(run.runId())).anySatisfy(e ->
          assertThat(e.operator()).isEqualTo("schedule:p"));
    }
  }

  @Test
  void misfirePolicyIsKeptInTheSchedule() {
    assertThat(every5("m").misfire(MisfirePolicy.SKIP).build().misfire())
        .isEqualTo(MisfirePolicy.SKIP);
    assertThat(Optional.of(every5("m").misfireRunAll(3).build().misfireLimit())).contains(3);
  }
}
