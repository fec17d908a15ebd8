package dev.dagflow.engine;

import static dev.dagflow.engine.ScheduleHarness.every;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.schedule.MisfirePolicy;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An engine down for an hour over a schedule of every 5 minutes: the first engine fires 10:05
 * and 10:10 and closes at 10:10:30; the next starts at 11:10:30, when 10:15 to 11:10 (12 fire
 * times) have been missed. What it does with them is the schedule's misfire policy.
 */
class ScheduleMisfireTest {
  private static final Instant START = Instant.parse("2026-06-01T10:00:30Z");
  private static final List<Instant> BEFORE = List.of(Instant.parse("2026-06-01T10:05:00Z"),
      Instant.parse("2026-06-01T10:10:00Z"));
  private static final List<Instant> MISSED = every(5, Instant.parse("2026-06-01T10:15:00Z"),
      Instant.parse("2026-06-01T11:10:00Z"));
  private static final Instant AFTER = Instant.parse("2026-06-01T11:15:00Z");

  static Stream<Arguments> policies() {
    return Stream.of(
        Arguments.of("SKIP", (UnaryOperator<Schedule.Builder>) b -> b.misfire(MisfirePolicy.SKIP),
            List.of()),
        Arguments.of("RUN_ONCE", (UnaryOperator<Schedule.Builder>) b ->
            b.misfire(MisfirePolicy.RUN_ONCE), List.of(MISSED.get(11))),
        Arguments.of("RUN_ALL(5)", (UnaryOperator<Schedule.Builder>) b -> b.misfireRunAll(5),
            MISSED.subList(7, 12)),
        Arguments.of("RUN_ALL(20)", (UnaryOperator<Schedule.Builder>) b -> b.misfireRunAll(20),
            MISSED));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("policies")
  void anEngineDownForAnHourRunsWhatTheMisfirePolicySays(String name,
      UnaryOperator<Schedule.Builder> policy, List<Instant> caughtUp) {
    try (ScheduleHarness h = new ScheduleHarness(START)) {
      DagEngine first = h.engine("a");
      first.schedules().save(policy.apply(Schedule.builder("s").template("scan")
          .cron("*/5 * * * *")).build());
      h.clock.advance(Duration.ofMinutes(10));
      assertThat(h.fireTimes("s")).isEqualTo(BEFORE);
      first.close();
      h.clock.advance(Duration.ofHours(1)); // nobody runs
      assertThat(h.fireTimes("s")).isEqualTo(BEFORE);

      DagEngine next = h.engine("b");
      List<Instant> expected = Stream.concat(BEFORE.stream(), caughtUp.stream()).toList();
      assertThat(h.fireTimes("s")).as(name).isEqualTo(expected);
      ScheduleState state = next.schedules().state("s");
      assertThat(state.fired()).isEqualTo(2 + caughtUp.size());
      assertThat(state.skipped()).isEqualTo(MISSED.size() - caughtUp.size());
      assertThat(state.lastFireTime()).contains(MISSED.get(11));
      assertThat(state.nextFireTime()).contains(AFTER);

      h.clock.advance(Duration.ofMinutes(5)); // and on from there as usual
      assertThat(h.fireTimes("s")).endsWith(AFTER).hasSize(expected.size() + 1);
    }
  }

  @Test
  void aScheduleEnabledAgainJudgesTheFireTimesItMissedWhileDisabled() {
    try (ScheduleHarness h = new ScheduleHarness(START)) {
      DagEngine engine = h.engine("a");
      Schedule s = Schedule.builder("s").template("scan").cron("*/5 * * * *").build();
      engine.schedules().save(s);
      h.clock.advance(Duration.ofMinutes(5)); // 10:05 fires
      engine.schedules().save(s.toBuilder().enabled(false).build());
      h.clock.advance(Duration.ofMinutes(30)); // 10:10 to 10:35 missed
      engine.schedules().save(s); // RUN_ONCE, the default: 10:35 runs
      assertThat(h.fireTimes("s")).containsExactly(BEFORE.get(0),
          Instant.parse("2026-06-01T10:35:00Z"));
      assertThat(engine.schedules().state("s").skipped()).isEqualTo(5);
      // saved again while enabled: nothing more is missed
      engine.schedules().save(s.toBuilder().params(EventTriggersTest.json("{\"a\": 1}")).build());
      assertThat(h.fireTimes("s")).hasSize(2);
    }
  }

  @Test
  void aSecondEngineStartingAfterTheFirstCaughtUpAddsNoRun() {
    try (ScheduleHarness h = new ScheduleHarness(START)) {
      DagEngine first = h.engine("a");
      first.schedules().save(Schedule.builder("s").template("scan").cron("*/5 * * * *")
          .misfireRunAll(20).build());
      h.clock.advance(Duration.ofMinutes(10));
      first.close();
      h.clock.advance(Duration.ofHours(1));
      DagEngine b = h.engine("b");
      DagEngine c = h.engine("c"); // b moved the cursor: c misses nothing
      assertThat(h.fireTimes("s")).hasSize(14).doesNotHaveDuplicates();
      assertThat(c.schedules().state("s").fired()).isEqualTo(14);
      h.clock.advance(Duration.ofMinutes(5));
      assertThat(h.fireTimes("s")).hasSize(15);
      assertThat(b.schedules().state("s").fired()).isEqualTo(15);
    }
  }
}
