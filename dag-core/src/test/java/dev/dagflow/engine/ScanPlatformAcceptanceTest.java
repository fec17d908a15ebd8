package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.spec.SpecFormat;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.testing.Outcome;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerFiring;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * The scan platform's acceptance: policies with one default per project, a template defining
 * the scan's dependencies, a run observable step by step, and an asset event that starts the
 * scan, whose completion starts the report DAG.
 */
class ScanPlatformAcceptanceTest {

  @Test
  void anAssetEventStartsTheScanAndItsCompletionStartsTheReport() {
    List<StateTransition> steps = new CopyOnWriteArrayList<>();
    EngineListener observer = new EngineListener() {
      @Override
      public void onTransition(StateTransition t) {
        steps.add(t);
      }
    };
    try (Harness h = new Harness(b -> b.listener(observer), "subdomain_scan", "dns_resolve",
        "port_scan", "http_probe", "nuclei_scan", "report")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      // policies, one default per project
      h.engine.policies().save(ExecutionPolicy.builder("scan-default").project("acme")
          .projectDefault(true).retry(RetryPolicy.builder().maxAttempts(2).build())
          .maxParallelNodesPerRun(2).build());
      h.engine.policies().save(ExecutionPolicy.builder("scan-strict").project("acme")
          .projectDefault(true).retry(RetryPolicy.builder().maxAttempts(3).build()).build());
      assertThat(h.engine.policies().projectDefault("acme").orElseThrow().name())
          .isEqualTo("scan-strict");

      // the template defines the task dependencies
      DagSpec seed = DagJson.read(SeedWorkflowRunsTest.resourceText("scan-pipeline.json"),
          SpecFormat.SCAN);
      DagSpec scan = DagSpec.builder("scan").scope(DagScope.project("acme", true))
          .nodes(seed.nodes()).build();
      h.engine.templates().save("scan", Optional.of("acme"), scan);
      h.engine.templates().save("report", Optional.of("acme"), DagSpec.builder("report")
          .scope(DagScope.project("acme", true))
          .node(dev.dagflow.spec.NodeSpec.task("summarise", "report")).build());
      h.engine.triggers().save(EventTrigger.builder("scan-new-assets").project("acme")
          .eventType("asset_created").filter("{\"payload.asset.type\": [\"domain\", \"ip\"]}")
          .template("scan").map("target", "payload.asset.name").build());
      h.engine.triggers().save(EventTrigger.builder("report-after-scan").project("acme")
          .eventType("run.completed").filter("{\"payload.template\": \"scan\"}").template("report")
          .map("scanRun", "payload.runId").build());

      List<TriggerFiring> fired = h.engine.emit(Event.builder("asset_created").id("asset-42")
          .project("acme").payload(json("{\"asset\":{\"type\":\"domain\",\"name\":\"a.io\"}}"))
          .build());
      String scanRun = fired.get(0).runId().orElseThrow();
      RunView scanView = h.await(scanRun);
      h.until("the report run completed", () ->
          h.engine.list(RunQuery.all().template("report").states(RunState.COMPLETED)).total()
              == 1);

      assertThat(scanView.state()).isEqualTo(RunState.COMPLETED);
      assertThat(scanView.params().get("target").asText()).isEqualTo("a.io");
      assertThat(h.executor.calls()).extracting(c -> c.nodeId()).containsExactly(
          "subdomain", "dns", "port", "http", "nuclei", "summarise");
      RunSummary report = h.engine.list(RunQuery.all().template("report")).items().get(0);
      assertThat(h.engine.get(report.runId()).params().get("scanRun").asText())
          .isEqualTo(scanRun);
      assertThat(report.cause()).isPresent();
      assertThat(report.chainDepth()).isEqualTo(1);
      assertThat(h.engine.triggers().counters("report-after-scan").success()).isEqualTo(1);

      // the scan's state changes, step by step, as they happened
      List<String> port = steps.stream()
          .filter(t -> t.runId().equals(scanRun) && t.nodeId().equals("port"))
          .map(t -> t.from() + ">" + t.to()).toList();
      assertThat(port).containsExactly("PENDING>WAITING", "WAITING>READY", "READY>RUNNING",
          "RUNNING>COMPLETED");
      assertThat(steps.stream().filter(t -> t.runId().equals(scanRun)).toList())
          .containsExactlyElementsOf(h.engine.transitions(scanRun));
      assertThat(h.engine.policies().effective(scan, "port").source("retry"))
          .isEqualTo("project default 'scan-strict'");
      assertThat(steps.stream().filter(t -> t.to() == NodeState.FAILED)).isEmpty();
    }
  }
}
