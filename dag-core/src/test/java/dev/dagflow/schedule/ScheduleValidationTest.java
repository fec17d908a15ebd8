package dev.dagflow.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Each field of a schedule is checked when it is set, with a message naming it. */
class ScheduleValidationTest {

  private static Schedule.Builder valid() {
    return Schedule.builder("nightly").template("scan").cron("30 2 * * *");
  }

  @Test
  void aBadCronExpressionIsRefusedNamingTheFieldAndCronUtilsReason() {
    assertThatThrownBy(() -> valid().cron("61 * * * *"))
        .isInstanceOfSatisfying(InvalidScheduleException.class,
            e -> assertThat(e.field()).isEqualTo("cron"))
        .hasMessageStartingWith("cron: '61 * * * *' is not a UNIX cron expression")
        .hasMessageContaining("Value 61 not in range [0, 59]");
    assertThatThrownBy(() -> valid().cron("0 0 2 * * *")) // a seconds field: Quartz, not UNIX
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessageStartingWith("cron: ").hasMessageContaining("6 parts");
    assertThatThrownBy(() -> valid().cron("@daily")).isInstanceOf(InvalidScheduleException.class)
        .hasMessageStartingWith("cron: ");
    assertThatThrownBy(() -> valid().cron("")).isInstanceOf(InvalidScheduleException.class)
        .hasMessageStartingWith("cron: ");
    assertThatThrownBy(() -> valid().cron("0 0 31 2 *"))
        .isInstanceOf(InvalidScheduleException.class)
        .hasMessage("cron: '0 0 31 2 *' never fires");
  }

  @Test
  void everyOtherFieldIsCheckedByName() {
    assertThatThrownBy(() -> Schedule.builder("a/b")).hasMessageStartingWith("id: must match");
    assertThatThrownBy(() -> valid().project("no such")).hasMessageStartingWith("project: ");
    assertThatThrownBy(() -> valid().template("scan", 0))
        .hasMessage("templateVersion: must be at least 1, was 0");
    assertThatThrownBy(() -> valid().zone("Mars/Olympus"))
        .hasMessageStartingWith("zone: 'Mars/Olympus' is not a time zone id");
    assertThatThrownBy(() -> valid().misfireRunAll(0))
        .hasMessage("misfireLimit: must be 1 to 1000, was 0");
    assertThatThrownBy(() -> valid().misfireLimit(1001)).hasMessageStartingWith("misfireLimit:");
    assertThatThrownBy(() -> valid().overlap(OverlapPolicy.QUEUE_ONE))
        .hasMessageStartingWith("overlap: QUEUE_ONE is not offered");
    ObjectNode nan = JsonNodeFactory.instance.objectNode().put("x", Double.NaN);
    assertThatThrownBy(() -> valid().params(nan)).hasMessageStartingWith("params: ");
    assertThatThrownBy(() -> Schedule.builder("s").cron("* * * * *").build())
        .hasMessage("template: is required");
    assertThatThrownBy(() -> Schedule.builder("s").template("scan").build())
        .hasMessage("cron: is required");
  }

  @Test
  void defaultsAreUtcAllowRunOnceAndEnabled() {
    Schedule s = valid().build();
    assertThat(s.zone()).isEqualTo(ZoneOffset.UTC);
    assertThat(s.overlap()).isEqualTo(OverlapPolicy.ALLOW);
    assertThat(s.misfire()).isEqualTo(MisfirePolicy.RUN_ONCE);
    assertThat(s.misfireLimit()).isEqualTo(Schedule.DEFAULT_MISFIRE_LIMIT);
    assertThat(s.enabled()).isTrue();
    assertThat(s.params()).isEmpty();
    assertThat(s.project()).isEmpty();
    assertThat(s.templateVersion()).isEmpty();
  }

  @Test
  void paramsAreCopiedInAndOut() {
    ObjectNode params = JsonNodeFactory.instance.objectNode().put("depth", 2);
    Schedule s = valid().params(params).build();
    params.put("depth", 3);
    s.params().put("depth", 4);
    assertThat(s.params().get("depth").intValue()).isEqualTo(2);
    assertThat(s.toBuilder().build()).isEqualTo(s);
  }

  @Test
  void everyFieldRoundTripsThroughJson() {
    Schedule full = Schedule.builder("nightly-scan").project("acme").template("scan", 3)
        .cron("*/5 9-17 * * MON-FRI").zone(ZoneId.of("Europe/Berlin"))
        .params(JsonNodeFactory.instance.objectNode().put("depth", 2).put("ratio", 0.5))
        .enabled(false).overlap(OverlapPolicy.SKIP).misfireRunAll(24).build();
    Schedule bare = valid().build();
    for (Schedule s : new Schedule[] {full, bare}) {
      assertThat(ScheduleJson.fromJson(ScheduleJson.toJson(s))).isEqualTo(s);
      assertThat(ScheduleJson.fromJson(json(ScheduleJson.toJson(s).toString()))).isEqualTo(s);
    }
    assertThat(ScheduleJson.toJson(bare).toString()).isEqualTo("{\"id\":\"nightly\","
        + "\"template\":\"scan\",\"cron\":\"30 2 * * *\",\"zone\":\"Z\",\"params\":{},"
        + "\"enabled\":true,\"overlap\":\"ALLOW\",\"misfire\":\"RUN_ONCE\","
        + "\"misfireLimit\":10}");
  }

  private static JsonNode json(String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static Schedule read(String text) {
    return ScheduleJson.fromJson(json(text));
  }

  @Test
  void badJsonIsRefusedNamingTheField() {
    assertThatThrownBy(() -> read("{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"61 * * * *\"}")).hasMessageStartingWith("cron: ");
    assertThatThrownBy(() -> read("{\"id\": \"s\", \"cron\": \"* * * * *\"}"))
        .hasMessage("template: is required");
    assertThatThrownBy(() -> read("{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"* * * * *\", \"every\": 5}"))
        .isInstanceOfSatisfying(InvalidScheduleException.class,
            e -> assertThat(e.field()).isEqualTo("every"))
        .hasMessageStartingWith("every: is not a field here");
    assertThatThrownBy(() -> read("{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"* * * * *\", \"misfire\": \"SOMETIMES\"}"))
        .hasMessageStartingWith("misfire: must be one of [SKIP, RUN_ONCE, RUN_ALL]");
    assertThatThrownBy(() -> read("{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"* * * * *\", \"enabled\": \"yes\"}"))
        .hasMessageStartingWith("enabled: ");
    assertThatThrownBy(() -> read("{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"* * * * *\", \"params\": [1]}"))
        .hasMessageStartingWith("params: ");
    assertThatThrownBy(() -> read("{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"* * * * *\", \"zone\": \"Mars/Olympus\"}"))
        .hasMessageStartingWith("zone: ");
    assertThatThrownBy(() -> read("{\"id\": 7}")).hasMessageStartingWith("id: ");
    assertThatThrownBy(() -> read("[]")).isInstanceOfSatisfying(InvalidScheduleException.class,
        e -> assertThat(e.field()).isEqualTo("schedule"));
  }
}
