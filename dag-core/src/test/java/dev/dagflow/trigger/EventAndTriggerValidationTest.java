package dev.dagflow.trigger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.filter.FilterException;
import dev.dagflow.internal.FilterDocument;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Every bad event and trigger is refused with an exception naming the field. */
class EventAndTriggerValidationTest {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final Instant T = Instant.parse("2026-11-24T08:00:00Z");

  private static EventTrigger.Builder valid() {
    return EventTrigger.builder("t1").eventType("asset_created").template("scan");
  }

  private static void refusesEvent(Runnable build, String field, String text) {
    assertThatThrownBy(build::run).isInstanceOfSatisfying(InvalidEventException.class,
        e -> assertThat(e.field()).isEqualTo(field)).hasMessageStartingWith(field + ": ")
        .hasMessageContaining(text);
  }

  private static void refusesTrigger(Runnable build, String field, String text) {
    assertThatThrownBy(build::run).isInstanceOfSatisfying(InvalidTriggerException.class,
        e -> assertThat(e.field()).isEqualTo(field)).hasMessageStartingWith(field + ": ")
        .hasMessageContaining(text);
  }

  @Test
  void anEventNeedsAType() {
    refusesEvent(() -> Event.builder(null), "type", "required");
    refusesEvent(() -> Event.builder(""), "type", "blank");
    refusesEvent(() -> Event.builder(" \t"), "type", "blank");
  }

  @Test
  void eventIdsCausesProjectsAndDepthsAreChecked() {
    refusesEvent(() -> Event.builder("e").id(" "), "id", "blank");
    refusesEvent(() -> Event.builder("e").id("x".repeat(257)), "id", "257 characters");
    refusesEvent(() -> Event.builder("e").cause(""), "cause", "blank");
    refusesEvent(() -> Event.builder("e").project("has space"), "project", "must match");
    refusesEvent(() -> Event.builder("e").depth(-1), "depth", "negative");
    assertThatThrownBy(() -> Event.builder("e").payload(null))
        .isInstanceOf(NullPointerException.class).hasMessage("payload");
    assertThat(Event.builder("e").id("x".repeat(256)).build().id()).hasSize(256);
  }

  @Test
  void anOversizePayloadIsRefused() {
    ObjectNode big = JSON.objectNode();
    String chunk = "x".repeat(1_000);
    for (int i = 0; i < 1_100; i++) {
      big.put("k" + i, chunk);
    }
    refusesEvent(() -> Event.builder("e").payload(big), "payload", "larger than 1048576 bytes");

    ObjectNode justUnder = JSON.objectNode().put("k", "x".repeat(Event.MAX_PAYLOAD_BYTES - 10));
    assertThat(Event.builder("e").payload(justUnder).build().payload()).isEqualTo(justUnder);
  }

  @Test
  void aPayloadThatIsNotJsonIsRefused() {
    ObjectNode nan = JSON.objectNode().put("x", Double.NaN);
    refusesEvent(() -> Event.builder("e").payload(nan), "payload.x", "finite");
  }

  @Test
  void anEventCopiesItsPayloadInAndOutAndDefaultsTheRest() {
    ObjectNode payload = JSON.objectNode().put("domain", "example.com");
    Event event = Event.builder("asset_created").payload(payload).build();
    payload.put("domain", "changed");
    event.payload().put("domain", "changed too");

    assertThat(event.payload().get("domain").asText()).isEqualTo("example.com");
    assertThat(event.id()).isNotBlank();
    assertThat(event.project()).isEmpty();
    assertThat(event.time()).isEmpty();
    assertThat(event.cause()).isEmpty();
    assertThat(event.depth()).isZero();
    assertThat(event.withTime(T).time()).contains(T);
    assertThat(event.withTime(T).id()).isEqualTo(event.id());
    assertThat(event.toBuilder().build()).isEqualTo(event);
  }

  @Test
  void triggerIdsProjectsAndTemplatesFollowTheIdRule() {
    refusesTrigger(() -> EventTrigger.builder("no spaces"), "id", "must match");
    refusesTrigger(() -> valid().project("a/b"), "project", "must match");
    refusesTrigger(() -> valid().template(""), "template", "must match");
    refusesTrigger(() -> valid().template("scan", 0), "templateVersion", "at least 1");
    refusesTrigger(() -> valid().eventType("  "), "eventType", "blank");
    refusesTrigger(() -> EventTrigger.builder("t").template("scan").build(), "eventType",
        "required");
    refusesTrigger(() -> EventTrigger.builder("t").eventType("e").build(), "template",
        "required");
  }

  @Test
  void aBadFilterIsRefusedWithItsPath() {
    assertThatThrownBy(() -> valid().filter("{\"payload.port\": {\"$gt\": []}}"))
        .isInstanceOfSatisfying(InvalidTriggerException.class, e -> {
          assertThat(e.field()).isEqualTo("filter");
          assertThat(e.getCause()).isInstanceOfSatisfying(FilterException.class,
              f -> assertThat(f.path()).isEqualTo("payload.port.$gt"));
        }).hasMessageStartingWith("filter: at payload.port.$gt: ");
    refusesTrigger(() -> valid().filter(JSON.objectNode().put("x", 1).set("$nope",
        JSON.objectNode())), "filter", "$nope");
    refusesTrigger(() -> valid().filter("{\"x\": "), "filter", "malformed JSON");
    refusesTrigger(() -> valid().filter(JSON.arrayNode()), "filter", "JSON object");
  }

  @Test
  void aFilterPathOutsideTheEventIsRefusedNamingTriggerFieldAndPath() {
    refusesTrigger(() -> valid().filter("{\"asset.type\": [\"domain\", \"ip\"]}"), "filter",
        "trigger 't1': path 'asset.type' starts outside the event document a trigger reads, whose"
            + " fields are id, type, project, payload, time, cause, depth (did you mean"
            + " 'payload.asset.type'?)");
    refusesTrigger(() -> valid().filter("{\"payload.x\": 1, \"$or\": [{\"project\": \"a\"},"
        + " {\"$not\": {\"owner\": \"b\"}}]}"), "filter", "path 'owner'");
    refusesTrigger(() -> valid().filter(Filter.parse("{\"params.x\": 1}")), "filter",
        "path 'params.x'");
    EventTrigger ok = valid().filter("{\"id\": {\"$exists\": true}, \"type\": \"asset_created\","
        + " \"project\": \"acme\", \"payload\": {\"$ne\": null}, \"time\": {\"$gt\": \"2026\"},"
        + " \"cause\": {\"$exists\": false}, \"depth\": {\"$lt\": 3}}").build();
    Event event = Event.builder("asset_created").project("acme").time(T).build();
    assertThat(ok.matches(event)).isTrue();
    assertThat(ok.matches(event.toBuilder().depth(3).build())).isFalse();
  }

  @Test
  void aMappingPathOutsideTheEventIsRefusedNamingTriggerParameterAndPath() {
    refusesTrigger(() -> valid().map("domain", "domain"), "mapping.domain",
        "trigger 't1': path 'domain' starts outside the event document a trigger reads");
    refusesTrigger(() -> valid().mapping(Map.of("env", "params.env")), "mapping.env",
        "did you mean 'payload.params.env'?");
    EventTrigger t = valid().map("depth", "depth").map("project", "project").build();
    assertThat(t.mapParameters(Event.builder("asset_created").project("p").depth(2).build()))
        .isEqualTo(JSON.objectNode().put("depth", 2).put("project", "p"));
  }

  @Test
  void theEventDocumentHasExactlyTheFieldsFiltersMayStartWith() {
    Event full = Event.builder("asset_created").id("e-1").project("p").time(T).cause("r-1")
        .depth(1).payload(JSON.objectNode().put("x", 1)).build();
    assertThat(full.document().properties()).extracting(Map.Entry::getKey)
        .containsExactlyElementsOf(FilterDocument.EVENT.fields());
    assertThat(full.document()).hasToString("{\"id\":\"e-1\",\"type\":\"asset_created\","
        + "\"project\":\"p\",\"payload\":{\"x\":1},\"time\":\"2026-11-24T08:00:00Z\","
        + "\"cause\":\"r-1\",\"depth\":1}");
  }

  @Test
  void aBadMappingPathIsRefusedNamingItsParameter() {
    refusesTrigger(() -> valid().map("domain", "payload..domain"), "mapping.domain",
        "empty path segment");
    refusesTrigger(() -> valid().map("port", ""), "mapping.port", "empty path segment");
    refusesTrigger(() -> valid().map(" ", "payload.x"), "mapping", "blank");
    EventTrigger.Builder b = valid().map("keep", "payload.keep");
    refusesTrigger(() -> b.mapping(Map.of("ok", "payload.ok", "bad", "payload.")),
        "mapping.bad", "empty path segment");
    assertThat(b.build().mapping()).containsExactly(Map.entry("keep", "payload.keep"));
  }

  @Test
  void mappingToAMissingFieldIsRefusedAtStartNamingParameterAndPath() {
    EventTrigger t = valid().map("domain", "payload.domain").map("when", "time").build();
    Event stamped = Event.builder("asset_created").id("e-1")
        .payload(JSON.objectNode().put("domain", "a.example")).time(T).build();
    assertThat(t.mapParameters(stamped)).isEqualTo(JSON.objectNode()
        .put("domain", "a.example").put("when", "2026-11-24T08:00:00Z"));

    Event noDomain = Event.builder("asset_created").id("e-2").time(T).build();
    refusesEvent(() -> t.mapParameters(noDomain), "mapping.domain",
        "path 'payload.domain' is missing in event e-2");
    Event noTime = Event.builder("asset_created").id("e-3")
        .payload(JSON.objectNode().put("domain", "a.example")).build();
    refusesEvent(() -> t.mapParameters(noTime), "mapping.when", "path 'time'");
  }

  @Test
  void mappedValuesAreCopiesAndNullIsAValue() {
    EventTrigger t = valid().map("asset", "payload.asset").map("owner", "payload.owner")
        .map("src", "id").build();
    ObjectNode payload = JSON.objectNode().putNull("owner");
    payload.putObject("asset").put("type", "ip");
    Event event = Event.builder("asset_created").id("e-9").payload(payload).build();
    ObjectNode params = t.mapParameters(event);
    ((ObjectNode) params.get("asset")).put("type", "changed");

    assertThat(event.payload().at("/asset/type").asText()).isEqualTo("ip");
    assertThat(params.get("owner").isNull()).isTrue();
    assertThat(params.get("src").asText()).isEqualTo("e-9");
  }

  @Test
  void aTriggerHasDefaultsAndRoundTripsThroughItsBuilder() {
    EventTrigger t = valid().build();
    assertThat(t.filter()).isEqualTo(Filter.always());
    assertThat(t.enabled()).isTrue();
    assertThat(t.overlap()).isEqualTo(OverlapPolicy.ALLOW);
    assertThat(t.project()).isEmpty();
    assertThat(t.templateVersion()).isEmpty();
    assertThat(t.mapping()).isEmpty();

    EventTrigger full = valid().project("p1").filter("{\"payload.a\": [1, 2]}").template("scan", 2)
        .map("x", "payload.x").enabled(false).overlap(OverlapPolicy.CANCEL_PREVIOUS).build();
    assertThat(full.toBuilder().build()).isEqualTo(full).hasSameHashCodeAs(full);
    assertThat(full.templateVersion()).isEqualTo(Optional.of(2));
    assertThat(full.toBuilder().global().template("scan").build().project()).isEmpty();
    assertThat(full.toString()).contains("t1", "project=p1", "scan v2", "disabled",
        "CANCEL_PREVIOUS");
    assertThatThrownBy(() -> full.mapping().put("y", "z"))
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
