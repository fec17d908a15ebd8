package dev.dagflow.docs;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.schedule.MisfirePolicy;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.schedule.ScheduleJson;
import dev.dagflow.schedule.ScheduleState;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.testing.ManualClock;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The example of docs/schedules.md, compiled and run on a manual clock. */
class SchedulesPageTest {

  @Test
  void theNightlyScanOfThePageFiresAtHalfPastTwoBerlinTime() {
    ManualClock clock = new ManualClock(Instant.parse("2026-03-28T12:00:00Z"));
    ScheduleState state;
    try (DagEngine engine = DagEngine.builder().timeSource(clock).handler("scan", ctx -> null)
        .build()) {
      engine.templates().save("nightly-scan", Optional.of("acme"),
          DagSpec.builder("nightly-scan").node(NodeSpec.task("scan", "scan")).build());
      // docs:start schedules.md
      engine.schedules().save(Schedule.builder("nightly-scan")
          .project("acme")
          .template("nightly-scan")                 // the latest version at each fire time
          .cron("30 2 * * *")                       // UNIX cron: minute hour day month weekday
          .zone("Europe/Berlin")                    // default UTC
          .params(JsonNodeFactory.instance.objectNode().put("depth", 2))
          .overlap(OverlapPolicy.SKIP)              // not while last night's scan still runs
          .misfire(MisfirePolicy.RUN_ONCE)          // after downtime: one catch-up run
          .build());
      engine.start();
      ScheduleState nightly = engine.schedules().state("nightly-scan");
      // nightly.nextFireTime(): 2026-03-29T01:30:00Z, 03:30 CEST on the spring-forward day
      // docs:end
      assertThat(nightly.nextFireTime()).contains(Instant.parse("2026-03-29T01:30:00Z"));
      clock.advance(Duration.ofDays(1));
      state = engine.schedules().state("nightly-scan");
      assertThat(ScheduleJson.fromJson(ScheduleJson.toJson(engine.schedules().get("nightly-scan")
          .orElseThrow()))).isEqualTo(engine.schedules().get("nightly-scan").orElseThrow());
    }
    assertThat(state.fired()).isEqualTo(1);
    assertThat(state.nextFireTime()).contains(Instant.parse("2026-03-30T00:30:00Z"));
  }
}
