package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.state.RunState;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * Schedules created, read, replaced and deleted in their stored form with their state; one
 * fired on the engine's manual clock; bodies of the wrong shape named and not saved.
 */
class ScheduleRoutesTest extends ApiTestBase {
  private static final String P = "/api/v1/projects/a";

  @Test
  void aScheduleIsCreatedReadReplacedAndDeletedWithItsState() {
    publish("a", A, "scan", spec("scan", task("n")));
    String body = "{\"id\": \"nightly\", \"template\": \"scan\", \"cron\": \"30 2 * * *\","
        + " \"zone\": \"Europe/Berlin\", \"params\": {\"depth\": 2}, \"overlap\": \"SKIP\"}";
    JsonNode created = ok(send("POST", P + "/schedules", A, body), 201).data();
    assertThat(created.get("project").asText()).isEqualTo("a");
    assertThat(created.get("zone").asText()).isEqualTo("Europe/Berlin");
    assertThat(created.get("misfire").asText()).isEqualTo("RUN_ONCE");
    JsonNode state = created.get("state");
    assertThat(state.get("fired").asLong()).isZero();
    assertThat(state.get("skipped").asLong()).isZero();
    assertThat(state.get("failed").asLong()).isZero();
    assertThat(state.has("lastFireTime")).isFalse();
    // 02:30 in Berlin on 1 January, CET (+01:00)
    assertThat(state.get("nextFireTime").asText()).isEqualTo("2026-01-01T01:30:00Z");
    Schedule stored = engine.schedules().get("nightly").orElseThrow();
    assertThat(stored.project()).contains("a");
    assertThat(stored.zone()).isEqualTo(ZoneId.of("Europe/Berlin"));
    assertThat(stored.overlap()).isEqualTo(OverlapPolicy.SKIP);
    assertThat(stored.params().get("depth").asInt()).isEqualTo(2);
    refused(send("POST", P + "/schedules", A, body), 409, "nightly");

    JsonNode list = ok(get(P + "/schedules", A_RO), 200).data();
    assertThat(list).extracting(s -> s.get("id").asText()).containsExactly("nightly");
    assertThat(list.get(0).at("/state/nextFireTime").asText())
        .isEqualTo("2026-01-01T01:30:00Z");
    assertThat(ok(get(P + "/schedules/nightly", A_RO), 200).data().get("cron").asText())
        .isEqualTo("30 2 * * *");

    JsonNode replaced = ok(send("PUT", P + "/schedules/nightly", A, "{\"template\": \"scan\","
        + " \"cron\": \"0 6 * * 6,0\"}"), 200).data();
    assertThat(ZoneId.of(replaced.get("zone").asText()).normalized()).isEqualTo(ZoneOffset.UTC);
    // 1 January 2026 is a Thursday: Saturday 3 January, 06:00 UTC
    assertThat(replaced.at("/state/nextFireTime").asText()).isEqualTo("2026-01-03T06:00:00Z");
    assertThat(engine.schedules().get("nightly").orElseThrow().cron()).isEqualTo("0 6 * * 6,0");
    JsonNode disabled = ok(send("PUT", P + "/schedules/nightly", A, "{\"template\": \"scan\","
        + " \"cron\": \"0 6 * * 6,0\", \"enabled\": false}"), 200).data();
    assertThat(disabled.get("enabled").asBoolean()).isFalse();
    assertThat(disabled.get("state").has("nextFireTime")).as(disabled.toString()).isFalse();

    ok(send("PUT", P + "/schedules/hourly", A, "{\"id\": \"hourly\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\"}"), 201);
    refused(send("PUT", P + "/schedules/hourly", A, "{\"id\": \"other\", \"template\":"
        + " \"scan\", \"cron\": \"0 * * * *\"}"), 400, "id");
    refused(send("PUT", P + "/schedules/hourly", A, "{\"project\": \"b\", \"template\":"
        + " \"scan\", \"cron\": \"0 * * * *\"}"), 400, "project");
    assertThat(ok(get(P + "/schedules", A), 200).data()).hasSize(2);

    assertThat(ok(send("DELETE", P + "/schedules/nightly", A, null), 200).data()
        .get("deleted").asText()).isEqualTo("nightly");
    assertThat(engine.schedules().get("nightly")).isEmpty();
    refused(send("DELETE", P + "/schedules/nightly", A, null), 404, "nightly");
    refused(get(P + "/schedules/nightly", A), 404, "nightly");
    refused(send("PUT", P + "/schedules/nightly", A_RO, "{\"template\": \"scan\", \"cron\":"
        + " \"0 * * * *\"}"), 403, "olga");
    assertThat(engine.schedules().list()).extracting(Schedule::id).containsExactly("hourly");
  }

  @Test
  void aScheduleFiresOnTheEnginesClockAndItsCountersShowIt() throws Exception {
    publish("a", A, "scan", spec("scan", task("n")));
    // off the minute, so that the first fire time is the next one, not this one
    clock.advance(Duration.ofSeconds(30));
    JsonNode created = ok(send("POST", P + "/schedules", A, "{\"id\": \"every5\", \"template\":"
        + " \"scan\", \"cron\": \"*/5 * * * *\", \"params\": {\"depth\": 3}}"), 201).data();
    assertThat(created.at("/state/nextFireTime").asText()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(get(P + "/runs", A).data().get("total").asLong()).isZero();

    clock.advance(Duration.ofMinutes(5));
    JsonNode runs = ok(get(P + "/runs", A_RO), 200).data();
    assertThat(runs.get("total").asLong()).isEqualTo(1);
    JsonNode run = runs.get("items").get(0);
    assertThat(run.get("template").asText()).isEqualTo("scan");
    assertThat(run.get("project").asText()).isEqualTo("a");
    assertThat(await(run.get("runId").asText()).state()).isEqualTo(RunState.COMPLETED);
    assertThat(engine.get(run.get("runId").asText()).params().get("depth").asInt()).isEqualTo(3);

    JsonNode state = ok(get(P + "/schedules/every5", A_RO), 200).data().get("state");
    assertThat(state.get("fired").asLong()).isEqualTo(1);
    assertThat(state.get("skipped").asLong()).isZero();
    assertThat(state.get("failed").asLong()).isZero();
    assertThat(state.get("lastFireTime").asText()).isEqualTo("2026-01-01T00:05:00Z");
    assertThat(state.get("nextFireTime").asText()).isEqualTo("2026-01-01T00:10:00Z");
    assertThat(state.has("lastError")).isFalse();
    assertThat(ok(get("/api/v1/projects/b/schedules", B), 200).data()).isEmpty();
    assertThat(get("/api/v1/projects/b/runs", B).data().get("total").asLong()).isZero();

    // a PUT replaces the definition; the counters stay
    JsonNode replaced = ok(send("PUT", P + "/schedules/every5", A, "{\"template\": \"scan\","
        + " \"cron\": \"0 * * * *\"}"), 200).data().get("state");
    assertThat(replaced.get("fired").asLong()).isEqualTo(1);
    assertThat(replaced.get("nextFireTime").asText()).isEqualTo("2026-01-01T01:00:00Z");
  }

  @Test
  void aScheduleOfTheWrongShapeNamesTheFieldAndIsNotSaved() {
    publish("a", A, "scan", spec("scan", task("n")));
    publish("b", B, "theirs", spec("theirs", task("n")));
    Reply cron = refused(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\":"
        + " \"scan\", \"cron\": \"61 * * * *\"}"), 400, "61");
    assertThat(cron.field()).isEqualTo("cron");
    assertThat(cron.json().get("message").asText()).startsWith("cron: '61 * * * *' is not a"
        + " UNIX cron expression");
    assertThat(cron.data().get("error").asText()).isEqualTo("INVALID_FIELD");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 0 * * * *\"}"), "cron");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 0 31 2 *\"}"), "cron");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": 5}"), "cron");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\"}"),
        "cron");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"cron\": \"0 * * * *\"}"),
        "template");
    assertField(send("POST", P + "/schedules", A, "{\"template\": \"scan\", \"cron\":"
        + " \"0 * * * *\"}"), "id");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"not an id\", \"template\":"
        + " \"scan\", \"cron\": \"0 * * * *\"}"), "id");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"nope\","
        + " \"cron\": \"0 * * * *\"}"), "template");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"theirs\","
        + " \"cron\": \"0 * * * *\"}"), "template");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"templateVersion\": 7, \"cron\": \"0 * * * *\"}"), "template");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"zone\": \"Mars/Olympus\"}"), "zone");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"overlap\": \"QUEUE_ONE\"}"), "overlap");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"misfire\": \"maybe\"}"), "misfire");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"misfireLimit\": 0}"), "misfireLimit");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"params\": [1]}"), "params");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"speed\": 1}"), "speed");
    assertField(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"project\": \"b\"}"), "project");
    refused(send("POST", P + "/schedules", A, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\", \"params\": {\"x\": \"" + "y".repeat(MAX_BODY) + "\"}}"),
        413, MAX_BODY + " bytes");
    refused(send("PUT", P + "/schedules/s", A, "{\"template\": \"scan\", \"cron\":"
        + " \"0 25 * * *\"}"), 400, "cron");
    refused(send("POST", P + "/schedules", A_RO, "{\"id\": \"s\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\"}"), 403, "olga");
    assertThat(engine.schedules().list()).isEmpty();

    ok(send("POST", "/api/v1/projects/b/schedules", B, "{\"id\": \"theirs\", \"template\":"
        + " \"theirs\", \"cron\": \"0 * * * *\"}"), 201);
    refused(send("PUT", P + "/schedules/theirs", A, "{\"template\": \"scan\", \"cron\":"
        + " \"0 * * * *\"}"), 409, "theirs");
    refused(send("POST", P + "/schedules", A, "{\"id\": \"theirs\", \"template\": \"scan\","
        + " \"cron\": \"0 * * * *\"}"), 409, "theirs");
    refused(get(P + "/schedules/theirs", A), 404, "theirs");
    refused(send("DELETE", P + "/schedules/theirs", A, null), 404, "theirs");
    refused(get("/api/v1/projects/b/schedules/theirs", A), 404, "project 'b'");
    assertThat(ok(get(P + "/schedules", A), 200).data()).isEmpty();
    Schedule theirs = engine.schedules().get("theirs").orElseThrow();
    assertThat(theirs.project()).contains("b");
    assertThat(theirs.templateName()).isEqualTo("theirs");
    assertThat(engine.schedules().list()).hasSize(1);
  }

  /** A 400 whose field is {@code field}, its message starting with the field once. */
  private void assertField(Reply r, String field) {
    refused(r, 400, field);
    assertThat(r.field()).as(r.text()).isEqualTo(field);
    assertThat(r.json().get("message").asText()).as(r.text()).startsWith(field + ": ")
        .doesNotStartWith(field + ": " + field + ":");
  }
}
