package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.template.UnknownTemplateException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** One request value starts every run; a bad request names its field and starts nothing. */
class SubmitRequestTest {
  private static final DagSpec SPEC = DagSpec.builder("d").node(NodeSpec.task("a", "t")).build();

  private static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidSubmitRequestException.class,
        e -> assertThat(e.field()).isEqualTo(field)).hasMessageStartingWith(field + ": ");
  }

  @Test
  void aBadRequestNamesItsField() {
    refused(() -> SubmitRequest.builder().build(), "spec");
    refused(() -> SubmitRequest.builder().spec(SPEC).template("scan").build(), "template");
    refused(() -> SubmitRequest.builder().spec(SPEC).templateVersion(2).build(),
        "templateVersion");
    refused(() -> SubmitRequest.builder().template("scan").templateVersion(0), "templateVersion");
    refused(() -> SubmitRequest.builder().template("no spaces"), "template");
    refused(() -> SubmitRequest.builder().params(json("{}").arrayNode()), "params");
    refused(() -> SubmitRequest.builder().operator(" "), "operator");
    assertThatThrownBy(() -> SubmitRequest.builder().spec(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("spec");
  }

  @Test
  void aRequestSharesNothingWithItsBuilderOrItsCallers() {
    ObjectNode params = json("{\"domain\":\"example.com\"}");
    SubmitRequest.Builder b = SubmitRequest.builder().template("scan").params(params);
    SubmitRequest request = b.build();
    params.put("domain", "changed");
    b.templateVersion(3);
    request.params().put("more", 1);

    assertThat(request.params()).isEqualTo(json("{\"domain\":\"example.com\"}"));
    assertThat(request.templateVersion()).isEmpty();
    assertThat(request.spec()).isEmpty();
    assertThat(request.toBuilder().templateVersion(3).build())
        .isEqualTo(b.build()).isNotEqualTo(request);
  }

  @Test
  void aTemplateVersionWithAnOperatorIsStartedAndRecorded() {
    List<RunStateChange> changes = new CopyOnWriteArrayList<>();
    EngineListener listener = new EngineListener() {
      @Override
      public void onRunStateChange(RunStateChange change) {
        changes.add(change);
      }
    };
    try (Harness h = new Harness(b -> b.listener(listener), "t")) {
      DagEngine engine = h.engine;
      engine.templates().save("scan", Optional.empty(), SPEC);
      engine.templates().save("scan", Optional.empty(), SPEC.toBuilder().name("v2").build());
      ObjectNode params = json("{\"domain\":\"example.com\"}");
      // docs:start
      String runId = engine.submit(SubmitRequest.builder()
          .template("scan").templateVersion(1)      // or .spec(spec); the latest if no version
          .params(params)
          .operator("dana")                         // recorded in the history as run.submit
          .build());
      // docs:end
      RunView run = h.await(runId);
      assertThat(run.template()).contains("scan");
      assertThat(run.templateVersion()).isEqualTo(1);
      assertThat(run.params()).isEqualTo(params);
      List<HistoryEntry> history = engine.history(runId);
      assertThat(history).singleElement().satisfies(e -> {
        assertThat(e.action()).isEqualTo("run.submit");
        assertThat(e.operator()).isEqualTo("dana");
        assertThat(e.nodeId()).isEmpty();
        assertThat(e.newValue().asText()).isEqualTo("PENDING");
      });
      assertThat(changes).filteredOn(c -> c.runId().equals(runId) && c.to() == RunState.PENDING)
          .singleElement().satisfies(c -> assertThat(c.operator()).contains("dana"));
    }
  }

  @Test
  void theShortFormsAreTheRequestsAndFailAsItDoes() {
    try (Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.empty(), SPEC);
      Supplier<Long> runs = () -> h.engine.list(dev.dagflow.store.RunQuery.all()).total();
      refused(() -> h.engine.submit("scan", 0, json("{}")), "templateVersion");
      refused(() -> h.engine.submit("bad name", json("{}")), "template");
      assertThatThrownBy(() -> h.engine.submit("scan", 2, json("{}")))
          .isInstanceOf(UnknownTemplateException.class).hasMessageContaining("version 2");
      assertThat(runs.get()).isZero();

      String runId = h.engine.submit("scan", 1, json("{\"x\":1}"));
      assertThat(h.await(runId).templateVersion()).isEqualTo(1);
      assertThat(h.engine.history(runId)).isEmpty(); // no operator, nothing to record
      assertThat(h.await(h.engine.submit(SubmitRequest.of(SPEC, json("{\"y\":2}")))).params())
          .isEqualTo(json("{\"y\":2}"));
    }
  }
}
