package dev.dagflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * {@link ScriptedExecutor} scripts a node in every run or in one run, so one engine runs two
 * specs that reuse node ids; a node with no script fails loudly unless a default is set.
 */
class ScriptedExecutorScriptsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private final ManualWorkers workers = new ManualWorkers(clock);

  private DagEngine engine(ScriptedExecutor scripted) {
    DagEngine engine = DagEngine.builder().timeSource(clock).workerExecutor(workers)
        .executor("t", scripted).build();
    engine.start();
    return engine;
  }

  private static DagSpec pair(String id) {
    return DagSpec.builder(id).node(NodeSpec.task("build", "t"))
        .node(NodeSpec.task("deploy", "t").dependsOn("build")).build();
  }

  @Test
  void twoSpecsThatReuseNodeIdsRunTheirOwnScriptsOnOneEngine() {
    ScriptedExecutor scripted = new ScriptedExecutor(clock)
        .script("deploy", Outcome.succeed().after(Duration.ofMinutes(1)));
    try (DagEngine engine = engine(scripted)) {
      String web = engine.submit(pair("web"));
      String api = engine.submit(pair("api"));
      scripted.scriptRun(web, "build", Outcome.succeed().after(Duration.ofMinutes(2)))
          .scriptRun(api, "build", Outcome.failPermanently("E_COMPILE", "does not compile"))
          .scriptRun(api, "deploy", Outcome.hang()); // never reached: its upstream fails

      RunView webRun = workers.runUntilEnded(engine, web);
      RunView apiRun = workers.runUntilEnded(engine, api);

      assertThat(webRun.state()).isEqualTo(RunState.COMPLETED);
      assertThat(webRun.node("deploy").orElseThrow().endedAt())
          .contains(T0.plus(Duration.ofMinutes(3))); // the run's build, then the shared deploy
      assertThat(apiRun.state()).isEqualTo(RunState.FAILED);
      assertThat(apiRun.node("build").orElseThrow().errorCode()).contains("E_COMPILE");
      assertThat(apiRun.node("deploy").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
      assertThat(scripted.calls("deploy")).extracting(ScriptedExecutor.Call::runId)
          .containsExactly(web);
    }
  }

  @Test
  void aNodeWithNoScriptFailsNamingTheNodeAndTheRun() {
    ScriptedExecutor scripted = new ScriptedExecutor(clock).script("build", Outcome.succeed());
    try (DagEngine engine = engine(scripted)) {
      String run = engine.submit(DagSpec.builder("typo").node(NodeSpec.task("build", "t"))
          .node(NodeSpec.task("deploy", "t").dependsOn("build")).build());

      RunView view = workers.runUntilEnded(engine, run);

      assertThat(view.state()).isEqualTo(RunState.FAILED);
      NodeView deploy = view.node("deploy").orElseThrow();
      assertThat(deploy.state()).isEqualTo(NodeState.FAILED);
      assertThat(deploy.errorCode()).contains(ScriptedExecutor.UNSCRIPTED);
      assertThat(deploy.errorMessage().orElseThrow())
          .contains("no script for node 'deploy' of run " + run)
          .contains("defaultOutcome");
      assertThat(deploy.attempts()).hasSize(1); // permanent: no retry hides it
      assertThat(scripted.calls("deploy")).hasSize(1);
    }
  }

  @Test
  void aDefaultOutcomeIsWhatNodesWithNoScriptDo() {
    ScriptedExecutor scripted = new ScriptedExecutor(clock)
        .defaultOutcome(Outcome.succeed().after(Duration.ofSeconds(5)))
        .script("build", Outcome.succeed());
    try (DagEngine engine = engine(scripted)) {
      String run = engine.submit(pair("d"));

      RunView view = workers.runUntilEnded(engine, run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("build").orElseThrow().endedAt()).contains(T0);
      assertThat(view.node("deploy").orElseThrow().endedAt()).contains(T0.plusSeconds(5));
      assertThat(view.node("deploy").orElseThrow().result().orElseThrow().toString())
          .isEqualTo("{\"node\":\"deploy\",\"attempt\":1}");
    }
  }

  @Test
  void scriptsRefuseMissingOutcomesAndNulls() {
    ScriptedExecutor scripted = new ScriptedExecutor(clock);
    assertThatThrownBy(() -> scripted.scriptRun("r", "a"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'a'");
    assertThatThrownBy(() -> scripted.scriptRun(null, "a", Outcome.succeed()))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("runId");
    assertThatThrownBy(() -> scripted.script("a", Outcome.succeed(), null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> scripted.defaultOutcome(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("outcome");
  }
}
