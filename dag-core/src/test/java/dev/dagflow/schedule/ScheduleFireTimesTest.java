package dev.dagflow.schedule;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Fire times in a zone across changes of offset (Europe/Berlin: 2026-03-29 02:00 CET becomes
 * 03:00 CEST; 2026-10-25 03:00 CEST becomes 02:00 CET): none lost, none doubled, in UTC terms.
 */
class ScheduleFireTimesTest {
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

  private static Schedule schedule(String cron) {
    return Schedule.builder("s").template("t").cron(cron).zone(BERLIN).build();
  }

  private static List<Instant> times(Schedule s, Instant after, Instant until) {
    List<Instant> out = new ArrayList<>();
    for (Instant t = s.nextFireTime(after).orElseThrow(); !t.isAfter(until);
        t = s.nextFireTime(t).orElseThrow()) {
      out.add(t);
    }
    return out;
  }

  @Test
  void everyFiveMinutesAcrossTheAutumnChangeIsEveryFiveMinutesOfElapsedTime() {
    Instant from = Instant.parse("2026-10-24T23:00:00Z"); // 01:00 CEST
    Instant until = Instant.parse("2026-10-25T03:00:00Z"); // 04:00 CET
    List<Instant> times = times(schedule("*/5 * * * *"), from, until);
    // 4 hours of UTC time: 48 fire times, the repeated hour 02:00-03:00 in both passes
    assertThat(times).hasSize(48).doesNotHaveDuplicates();
    for (int i = 1; i < times.size(); i++) {
      assertThat(Duration.between(times.get(i - 1), times.get(i))).isEqualTo(
          Duration.ofMinutes(5));
    }
    assertThat(times).contains(Instant.parse("2026-10-25T00:55:00Z"), // 02:55 CEST
        Instant.parse("2026-10-25T01:00:00Z")); // 02:00 CET
  }

  @Test
  void everyFiveMinutesAcrossTheSpringChangeLosesOnlyTheWallTimesThatDoNotExist() {
    Instant from = Instant.parse("2026-03-29T00:00:00Z"); // 01:00 CET
    Instant until = Instant.parse("2026-03-29T02:00:00Z"); // 04:00 CEST
    List<Instant> times = times(schedule("*/5 * * * *"), from, until);
    assertThat(times).hasSize(24).doesNotHaveDuplicates(); // still every 5 minutes of UTC
    assertThat(times.get(10)).isEqualTo(Instant.parse("2026-03-29T00:55:00Z")); // 01:55 CET
    assertThat(times.get(11)).isEqualTo(Instant.parse("2026-03-29T01:00:00Z")); // 03:00 CEST
  }

  @Test
  void aDailyTimeSkippedInSpringFiresAtTheInstantItWouldHaveHad() {
    Schedule s = schedule("30 2 * * *");
    List<Instant> times = times(s, Instant.parse("2026-03-27T12:00:00Z"),
        Instant.parse("2026-03-31T12:00:00Z"));
    assertThat(times).containsExactly(
        Instant.parse("2026-03-28T01:30:00Z"), // 02:30 CET
        Instant.parse("2026-03-29T01:30:00Z"), // 02:30 does not exist: 03:30 CEST
        Instant.parse("2026-03-30T00:30:00Z"), // 02:30 CEST
        Instant.parse("2026-03-31T00:30:00Z"));
    assertThat(ZonedDateTime.ofInstant(times.get(1), BERLIN).toLocalTime().toString())
        .isEqualTo("03:30");
  }

  @Test
  void theFireTimeOfASkippedWallTimeIsFoundFromJustBeforeIt() {
    Schedule s = schedule("30 2 * * *");
    Instant inGap = Instant.parse("2026-03-29T01:30:00Z");
    assertThat(s.nextFireTime(inGap.minusMillis(1))).contains(inGap);
    assertThat(s.nextFireTime(Instant.parse("2026-03-29T01:00:00Z"))).contains(inGap);
    assertThat(s.nextFireTime(inGap)).contains(Instant.parse("2026-03-30T00:30:00Z"));
  }

  @Test
  void aDailyTimeRepeatedInAutumnFiresOnce() {
    List<Instant> times = times(schedule("30 2 * * *"), Instant.parse("2026-10-24T12:00:00Z"),
        Instant.parse("2026-10-26T12:00:00Z"));
    assertThat(times).containsExactly(
        Instant.parse("2026-10-25T00:30:00Z"), // 02:30 CEST, the first pass
        Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
  }

  @Test
  void aTimeAtTheStartOfTheGapAndOneAfterItAreOneFireTime() {
    // 02:00 does not exist and reads as 01:00Z, which is 03:00 CEST: one fire time, not two
    List<Instant> times = times(schedule("0 2,3 * * *"), Instant.parse("2026-03-28T12:00:00Z"),
        Instant.parse("2026-03-29T12:00:00Z"));
    assertThat(times).containsExactly(Instant.parse("2026-03-29T01:00:00Z"));
  }

  @Test
  void utcIsTheDefaultAndHasNoChanges() {
    Schedule s = Schedule.builder("s").template("t").cron("0 0 * * *").build();
    assertThat(s.nextFireTime(Instant.parse("2026-03-29T00:00:00Z")))
        .contains(Instant.parse("2026-03-30T00:00:00Z"));
  }
}
