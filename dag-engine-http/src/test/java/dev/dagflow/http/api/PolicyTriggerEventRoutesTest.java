package dev.dagflow.http.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.store.RunQuery;
import dev.dagflow.trigger.EventTrigger;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Policies and triggers, created, read, replaced and deleted; events emitted to triggers. */
class PolicyTriggerEventRoutesTest extends ApiTestBase {
  private static final String P = "/api/v1/projects/a";

  @Test
  void aPolicyIsCreatedReadReplacedAndDeletedInTheStoredForm() {
    String body = "{\"name\": \"fast\", \"nodeTimeout\": \"PT1M\", \"failureStrategy\":"
        + " \"FAIL_FAST\", \"retry\": {\"maxAttempts\": 3, \"backoff\": \"EXPONENTIAL\"},"
        + " \"projectDefault\": true}";
    JsonNode created = ok(send("POST", P + "/policies", A, body), 201).data();
    assertThat(created.get("project").asText()).isEqualTo("a");
    assertThat(created.get("projectDefault").asBoolean()).isTrue();
    ExecutionPolicy stored = engine.policies().get("fast").orElseThrow();
    assertThat(stored.project()).contains("a");
    assertThat(stored.nodeTimeout()).contains(Duration.ofMinutes(1));
    assertThat(stored.isProjectDefault()).isTrue();
    assertThat(engine.policies().projectDefault("a")).contains(stored);
    refused(send("POST", P + "/policies", A, body), 409, "fast");

    assertThat(ok(get(P + "/policies", A_RO), 200).data()).extracting(p -> p.get("name")
        .asText()).containsExactly("fast");
    assertThat(ok(get(P + "/policies/fast", A), 200).data().get("retry").get("maxAttempts")
        .asInt()).isEqualTo(3);

    ok(send("PUT", P + "/policies/fast", A, "{\"failureStrategy\": \"continue\"}"), 200);
    assertThat(engine.policies().get("fast").orElseThrow().failureStrategy())
        .contains(FailureStrategy.CONTINUE);
    assertThat(engine.policies().get("fast").orElseThrow().isProjectDefault()).isFalse();
    ok(send("PUT", P + "/policies/slow", A, "{\"name\": \"slow\"}"), 201);
    refused(send("PUT", P + "/policies/slow", A, "{\"name\": \"other\"}"), 400, "name");
    refused(send("PUT", P + "/policies/slow", A, "{\"project\": \"b\"}"), 400, "project");

    ok(send("DELETE", P + "/policies/fast", A, null), 200);
    assertThat(engine.policies().get("fast")).isEmpty();
    refused(send("DELETE", P + "/policies/fast", A, null), 404, "fast");
    refused(get(P + "/policies/fast", A), 404, "fast");
  }

  @Test
  void aPolicyOfTheWrongShapeNamesTheFieldAndIsNotSaved() {
    refused(send("POST", P + "/policies", A, "{\"nodeTimeout\": \"PT1M\"}"), 400, "name");
    refused(send("POST", P + "/policies", A, "{\"name\": \"p\", \"nodeTimeout\": 60}"), 400,
        "nodeTimeout");
    refused(send("POST", P + "/policies", A, "{\"name\": \"p\", \"retry\": {\"maxAttempts\":"
        + " 0}}"), 400, "retry.maxAttempts");
    refused(send("POST", P + "/policies", A, "{\"name\": \"p\", \"projectDefault\": 1}"), 400,
        "projectDefault");
    refused(send("POST", P + "/policies", A, "{\"name\": \"p\", \"speed\": 1}"), 400, "speed");
    refused(send("POST", P + "/policies", A, "{\"name\": \"p\", \"maxParallelNodesPerRun\":"
        + " 12345678901234567890}"), 400, "maxParallelNodesPerRun");
    ok(send("POST", "/api/v1/projects/b/policies", B, "{\"name\": \"theirs\"}"), 201);
    refused(send("PUT", P + "/policies/theirs", A, "{}"), 409, "theirs");
    assertThat(engine.policies().list()).extracting(ExecutionPolicy::name)
        .containsExactly("theirs");
    assertThat(engine.policies().get("theirs").orElseThrow().project()).contains("b");
  }

  @Test
  void aTriggerIsSavedWithItsFilterAndFiresOnAnEmittedEvent() throws Exception {
    publish("a", A, "scan", spec("scan", task("n")));
    String trigger = "{\"id\": \"on-asset\", \"eventType\": \"asset_created\", \"filter\":"
        + " {\"payload.kind\": [\"domain\", \"ip\"]}, \"template\": \"scan\", \"mapping\":"
        + " {\"domain\": \"payload.domain\"}}";
    JsonNode created = ok(send("POST", P + "/triggers", A, trigger), 201).data();
    assertThat(created.get("filter").get("payload.kind")).hasSize(2);
    assertThat(created.get("counters").get("total").asLong()).isZero();
    refused(send("POST", P + "/triggers", A, trigger), 409, "on-asset");

    JsonNode fired = ok(send("POST", P + "/events", A, "{\"type\": \"asset_created\", \"id\":"
        + " \"e1\", \"payload\": {\"kind\": \"domain\", \"domain\": \"a.example\"}}"), 200).data();
    assertThat(fired.get("firings")).singleElement().satisfies(f -> {
      assertThat(f.get("triggerId").asText()).isEqualTo("on-asset");
      assertThat(f.get("outcome").asText()).isEqualTo("STARTED");
    });
    String runId = fired.get("firings").get(0).get("runId").asText();
    assertThat(await(runId).params().get("domain").asText()).isEqualTo("a.example");
    JsonNode ignored = ok(send("POST", P + "/events", A, "{\"type\": \"asset_created\","
        + " \"payload\": {\"kind\": \"port\"}}"), 200).data();
    assertThat(ignored.get("firings")).isEmpty();
    assertThat(ok(get(P + "/triggers/on-asset", A_RO), 200).data().get("counters").get("success")
        .asLong()).isEqualTo(1);

    ok(send("PUT", P + "/triggers/on-asset", A, "{\"eventType\": \"asset_created\","
        + " \"template\": \"scan\", \"enabled\": false}"), 200);
    assertThat(engine.triggers().get("on-asset").map(EventTrigger::enabled)).contains(false);
    assertThat(ok(get(P + "/triggers", A), 200).data()).hasSize(1);
    ok(send("DELETE", P + "/triggers/on-asset", A, null), 200);
    assertThat(engine.triggers().list()).isEmpty();
    refused(get(P + "/triggers/on-asset", A), 404, "on-asset");
  }

  @Test
  void aTriggerOrEventOfTheWrongShapeNamesTheFieldAndChangesNothing() {
    publish("a", A, "scan", spec("scan", task("n")));
    publish("b", B, "theirs", spec("theirs", task("n")));
    Reply noType = refused(send("POST", P + "/triggers", A,
        "{\"id\": \"t\", \"template\": \"scan\"}"), 400, "eventType");
    assertThat(noType.json().get("message").asText()).startsWith("eventType: ")
        .doesNotContain("eventType: eventType"); // the field once, not the core's prefix again
    refused(send("POST", P + "/triggers", A, "{\"id\": \"t\", \"eventType\": \"e\","
        + " \"template\": \"nope\"}"), 400, "template");
    refused(send("POST", P + "/triggers", A, "{\"id\": \"t\", \"eventType\": \"e\","
        + " \"template\": \"theirs\"}"), 400, "template");
    refused(send("POST", P + "/triggers", A, "{\"id\": \"t\", \"eventType\": \"e\","
        + " \"template\": \"scan\", \"filter\": {\"payload.x\": {\"$regex\": 5}}}"), 400,
        "filter");
    refused(send("POST", P + "/triggers", A, "{\"id\": \"t\", \"eventType\": \"e\","
        + " \"template\": \"scan\", \"overlap\": \"maybe\"}"), 400, "overlap");
    refused(send("POST", P + "/triggers", A, "{\"id\": \"t\", \"eventType\": \"e\","
        + " \"template\": \"scan\", \"project\": \"b\"}"), 400, "project");
    assertThat(engine.triggers().list()).isEmpty();

    refused(send("POST", P + "/events", A, "{\"payload\": {}}"), 400, "type");
    refused(send("POST", P + "/events", A, "{\"type\": \"e\", \"payload\": 3}"), 400,
        "payload");
    refused(send("POST", P + "/events", A, "{\"type\": \"e\", \"time\": \"noon\"}"), 400,
        "time");
    refused(send("POST", P + "/events", A, "{\"type\": \"e\", \"project\": \"b\"}"), 400,
        "project");
    assertThat(engine.list(RunQuery.all()).total()).isZero();
  }
}
