package dev.dagflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TriggerJsonTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  @Test
  void aTriggerComesBackEqualWithItsFilterAsText() throws Exception {
    EventTrigger trigger = EventTrigger.builder("t1").project("acme").eventType("asset_created")
        .filter("{\"payload.kind\": [\"domain\", \"ip\"]}").template("scan", 2)
        .map("domain", "payload.domain").enabled(false).overlap(OverlapPolicy.QUEUE_ONE).build();

    String json = TriggerJson.toJson(trigger).toString();

    assertThat(json).startsWith("{\"id\":\"t1\",\"project\":\"acme\",\"eventType\":"
        + "\"asset_created\",\"filter\":\"{").endsWith("\"template\":\"scan\","
        + "\"templateVersion\":2,\"mapping\":{\"domain\":\"payload.domain\"},"
        + "\"enabled\":false,\"overlap\":\"QUEUE_ONE\"}");
    assertThat(TriggerJson.fromJson(MAPPER.readTree(json))).isEqualTo(trigger);
    assertThat(TriggerJson.fromJson(MAPPER.readTree("{\"id\": \"t1\", \"project\": \"acme\","
        + " \"eventType\": \"asset_created\", \"filter\": {\"payload.kind\": [\"domain\", \"ip\"]},"
        + " \"template\": \"scan\", \"templateVersion\": 2, \"mapping\": {\"domain\":"
        + " \"payload.domain\"}, \"enabled\": false, \"overlap\": \"QUEUE_ONE\"}")))
        .as("a filter as an object").isEqualTo(trigger);
  }

  @Test
  void anEventIsItsDocument() {
    Event event = Event.builder("asset_created").id("e1").project("acme")
        .payload(MAPPER.createObjectNode().put("domain", "a.example"))
        .time(Instant.parse("2026-01-02T03:04:05Z")).cause("run-1").depth(2).build();

    assertThat(TriggerJson.toJson(event)).isEqualTo(event.document());
    assertThat(TriggerJson.eventFromJson(TriggerJson.toJson(event))).isEqualTo(event);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"eventType\": \"e\", \"template\": \"s\"}            | id",
      "{\"id\": \"t\", \"eventType\": \"e\"}                  | template",
      "{\"id\": \"t\", \"template\": \"s\"}                   | eventType",
      "{\"id\": 1, \"eventType\": \"e\", \"template\": \"s\"} | id",
      "{\"id\": \"t\", \"eventType\": \"e\", \"template\": \"s\", \"enabled\": \"yes\"} | enabled",
      "{\"id\": \"t\", \"eventType\": \"e\", \"template\": \"s\", \"filter\": 3} | filter",
      "{\"id\": \"t\", \"eventType\": \"e\", \"template\": \"s\", \"mapping\": {\"a\": 1}}"
          + " | mapping.a",
      "{\"id\": \"t\", \"eventType\": \"e\", \"template\": \"s\", \"overlap\": \"NEVER\"}"
          + " | overlap",
      "{\"id\": \"t\", \"eventType\": \"e\", \"template\": \"s\", \"x\": 1} | x",
  })
  void aBadTriggerFieldIsNamed(String json, String field) throws Exception {
    assertThatThrownBy(() -> TriggerJson.fromJson(MAPPER.readTree(json)))
        .isInstanceOf(InvalidTriggerException.class)
        .extracting(e -> ((InvalidTriggerException) e).field()).isEqualTo(field);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{}                                      | type",
      "{\"type\": \"e\", \"payload\": []}      | payload",
      "{\"type\": \"e\", \"time\": \"noon\"}   | time",
      "{\"type\": \"e\", \"depth\": -1}        | depth",
      "{\"type\": \"e\", \"size\": 1}          | size",
  })
  void aBadEventFieldIsNamed(String json, String field) throws Exception {
    assertThatThrownBy(() -> TriggerJson.eventFromJson(MAPPER.readTree(json)))
        .isInstanceOf(InvalidEventException.class)
        .extracting(e -> ((InvalidEventException) e).field()).isEqualTo(field);
  }
}
