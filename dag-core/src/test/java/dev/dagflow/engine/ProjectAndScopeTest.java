package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.policy.EffectivePolicy;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.RetryPolicy;
import dev.dagflow.spec.SpecFormat;
import dev.dagflow.template.DagTemplate;
import dev.dagflow.template.InvalidTemplateException;
import dev.dagflow.testing.Outcome;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerFiring;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A run's project, scope and policies follow one rule, and {@code policies().effective} reports
 * what the run then uses: the table of docs/engine.md, row by row.
 */
class ProjectAndScopeTest {
  private static final String BASE = "global default 'base'";
  private static final String ACME = "project default 'acme-default'";
  private static final String ENGINE = "engine default";

  private static Harness harness() {
    Harness h = new Harness("t", "port_scan", "subdomain_scan", "dns_resolve", "http_probe",
        "nuclei_scan");
    h.engine.policies().save(ExecutionPolicy.builder("base").projectDefault(true)
        .retry(RetryPolicy.builder().maxAttempts(2).initialDelay(Duration.ZERO).build()).build());
    h.engine.policies().save(ExecutionPolicy.builder("acme-default").project("acme")
        .projectDefault(true)
        .retry(RetryPolicy.builder().maxAttempts(3).initialDelay(Duration.ZERO).build())
        .defaultConfig("port_scan", json("{\"timeoutMs\":500}")).build());
    return h;
  }

  private static DagSpec spec(DagScope scope) {
    return DagSpec.builder("d").scope(scope).node(NodeSpec.task("a", "t")).build();
  }

  /** What effective() said must be what the run got: project, worker key, attempts. */
  private static void assertRunMatches(Harness h, String runId, EffectivePolicy said) {
    RunView run = h.await(runId);
    assertThat(run.project()).isEqualTo(said.project());
    assertThat(run.scopeKey()).isEqualTo(said.workerKey().replace("<runId>", runId));
  }

  @Test
  void aScanFormatSpecSavedAsAProjectTemplateRunsWithThatProjectsScopeAndDefaults() {
    try (Harness h = harness()) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      DagSpec scan = DagJson.read(SeedWorkflowRunsTest.resourceText("scan-pipeline.json"),
          SpecFormat.SCAN);
      assertThat(scan.scope()).isEqualTo(DagScope.global());
      DagTemplate template = h.engine.templates().save("scan", Optional.of("acme"), scan);

      EffectivePolicy said = h.engine.policies().effective(template, "port");
      assertThat(said.project()).contains("acme");
      assertThat(said.source("project")).isEqualTo("template 'scan' v1");
      assertThat(said.workerKey()).isEqualTo("worker-project-acme");
      assertThat(said.policies()).containsExactly(ACME, BASE, ENGINE);
      assertThat(said.retry().maxAttempts()).isEqualTo(3);
      assertThat(said.source("retry")).isEqualTo(ACME);
      assertThat(said.defaultConfig()).isEqualTo(json("{\"timeoutMs\":500}"));
      assertThat(said.source("defaultConfig")).isEqualTo(ACME);

      h.executor.script("port", Outcome.fail("E", "1"), Outcome.fail("E", "2"),
          Outcome.succeed());
      String runId = h.engine.submit("scan", json("{}"));
      assertRunMatches(h, runId, said);
      assertThat(h.executor.calls("port")).hasSize(3).allSatisfy(c -> assertThat(c.config())
          .isEqualTo(json("{\"ports\":\"1-65535\",\"rate\":1000,\"timeoutMs\":500}")));
      assertThat(h.engine.workerPools()).doesNotContain("worker-global");
    }
  }

  @Test
  void everyRowOfTheTableHoldsForEffectiveAndForTheRun() {
    record Row(DagScope scope, Optional<String> templateProject, Optional<String> project,
        String workerKey, List<String> policies) { }
    List<Row> table = List.of(
        new Row(DagScope.global(), null, Optional.empty(), "worker-global",
            List.of(BASE, ENGINE)),
        new Row(DagScope.global(), Optional.empty(), Optional.empty(), "worker-global",
            List.of(BASE, ENGINE)),
        new Row(DagScope.global(), Optional.of("acme"), Optional.of("acme"),
            "worker-project-acme", List.of(ACME, BASE, ENGINE)),
        new Row(DagScope.project("acme", true), null, Optional.of("acme"),
            "worker-project-acme", List.of(ACME, BASE, ENGINE)),
        new Row(DagScope.project("acme", false), Optional.of("acme"), Optional.of("acme"),
            "worker-project-acme-run-<runId>", List.of(ACME, BASE, ENGINE)),
        new Row(DagScope.user("u-1"), null, Optional.empty(), "worker-user-u-1",
            List.of(BASE, ENGINE)),
        new Row(DagScope.user("u-1"), Optional.of("acme"), Optional.of("acme"),
            "worker-user-u-1", List.of(ACME, BASE, ENGINE)),
        new Row(DagScope.dagType("ci"), Optional.of("acme"), Optional.of("acme"),
            "worker-type-ci", List.of(ACME, BASE, ENGINE)));
    try (Harness h = harness()) {
      int n = 0;
      for (Row row : table) {
        String name = "tpl-" + n++;
        DagSpec spec = spec(row.scope());
        EffectivePolicy said;
        String runId;
        if (row.templateProject() == null) { // submitted as a spec
          said = h.engine.policies().effective(spec, "a");
          runId = h.engine.submit(spec);
        } else {
          DagTemplate t = h.engine.templates().save(name, row.templateProject(), spec);
          said = h.engine.policies().effective(t, "a");
          runId = h.engine.submit(name, json("{}"));
        }
        assertThat(said.project()).as("project of %s", row).isEqualTo(row.project());
        assertThat(said.workerKey()).as("worker key of %s", row).isEqualTo(row.workerKey());
        assertThat(said.policies()).as("policies of %s", row).isEqualTo(row.policies());
        assertRunMatches(h, runId, said);
      }
    }
  }

  @Test
  void aProjectScopeMustBeTheTemplatesOwnProject() {
    try (Harness h = harness()) {
      assertThatThrownBy(() -> h.engine.templates().save("x", Optional.empty(),
          spec(DagScope.project("acme", true)))).isInstanceOf(InvalidTemplateException.class);
      assertThatThrownBy(() -> h.engine.templates().save("x", Optional.of("acme"),
          spec(DagScope.project("beta", true)))).isInstanceOf(InvalidTemplateException.class);
    }
  }

  @Test
  void aGlobalTemplateStartedByAProjectsTriggerRunsInThatProject() {
    try (Harness h = harness()) {
      h.engine.templates().save("g", Optional.empty(), spec(DagScope.global()));
      h.engine.triggers().save(EventTrigger.builder("on-asset").project("acme")
          .eventType("asset_created").template("g").build());
      List<TriggerFiring> fired = h.engine.emit(Event.builder("asset_created").project("acme")
          .build());
      RunView run = h.await(fired.get(0).runId().orElseThrow());
      assertThat(run.project()).contains("acme");
      assertThat(run.scopeKey()).isEqualTo("worker-project-acme");
    }
  }

  @Test
  void aUserScopedGlobalTemplateStartedByAProjectsTriggerTakesItsProjectButKeepsItsPool() {
    try (Harness h = harness()) {
      h.engine.templates().save("u", Optional.empty(), spec(DagScope.user("u-1")));
      h.engine.triggers().save(EventTrigger.builder("on-asset").project("acme")
          .eventType("asset_created").template("u").build());
      h.executor.script("a", Outcome.fail("E", "1"), Outcome.fail("E", "2"), Outcome.succeed());
      List<TriggerFiring> fired = h.engine.emit(Event.builder("asset_created").project("acme")
          .build());
      RunView run = h.await(fired.get(0).runId().orElseThrow());
      assertThat(run.project()).contains("acme");
      assertThat(run.scopeKey()).isEqualTo("worker-user-u-1");
      // acme's default (3 attempts), not the global default's 2
      assertThat(h.executor.calls("a")).hasSize(3);
    }
  }

  @Test
  void effectivePrintsAsTheTableInTheDocs() throws Exception {
    try (Harness h = harness()) {
      DagEngine engine = h.engine;
      DagSpec scanSpec = DagJson.read(SeedWorkflowRunsTest.resourceText("scan-pipeline.json"),
          SpecFormat.SCAN);
      // docs:start
      DagTemplate scan = engine.templates().save("scan", Optional.of("acme"), scanSpec);
      EffectivePolicy port = engine.policies().effective(scan, "port");
      String table = port.toString();
      // docs:end
      assertThat(table).startsWith("| node 'port' | value | source |\n|---|---|---|\n")
          .contains("| retry | 3 attempts, FIXED 0s | " + ACME + " |\n");
      assertThat(Files.readString(Path.of("../docs/engine.md"))).contains(table);
    }
  }
}
