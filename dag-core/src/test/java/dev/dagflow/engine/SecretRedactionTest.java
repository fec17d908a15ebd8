package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.policy.EffectivePolicy;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.store.HistoryEntry;
import dev.dagflow.store.RunQuery;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Values under secret config keys reach executors unchanged and appear nowhere the run is shown
 * or recorded: history, views, exports, explanations, logs, error and exception messages.
 */
class SecretRedactionTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SECRETS = List.of("hunter2-old", "hunter2-new",
      "AKIA-OLD-KEY", "tok-old-123", "policy-secret-1", "report-token-xyz", "report-token-new");

  private static ObjectNode json(String text) {
    try {
      return (ObjectNode) JSON.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Takes live updates, logs and fails quoting its whole config, as careless code does. */
  static final class CarelessExecutor implements NodeExecutor {
    final List<ObjectNode> executed = new CopyOnWriteArrayList<>();
    final List<ObjectNode> updated = new CopyOnWriteArrayList<>();
    final List<ObjectNode> contextAfterUpdate = new CopyOnWriteArrayList<>();
    final Map<String, CompletableFuture<NodeResult>> running = new ConcurrentHashMap<>();
    final CountDownLatch called = new CountDownLatch(1);

    @Override
    public CompletionStage<NodeResult> execute(NodeContext context) {
      executed.add(context.config());
      called.countDown();
      context.log(LogLevel.WARN, "connecting with {}", context.config());
      return running.computeIfAbsent(context.nodeId(), k -> new CompletableFuture<>());
    }

    @Override
    public boolean supportsLiveUpdate() {
      return true;
    }

    @Override
    public void update(NodeContext context, ObjectNode newConfig) {
      updated.add(newConfig);
      contextAfterUpdate.add(context.config());
      throw new IllegalStateException("cannot apply " + newConfig);
    }
  }

  @Test
  void aSecretChangedByALiveUpdateReachesTheExecutorAndNothingElse() throws Exception {
    CarelessExecutor careless = new CarelessExecutor();
    ExecutionPolicy defaults = ExecutionPolicy.builder("defaults")
        .defaultConfig("careless", json("{'clientSecret':'policy-secret-1'}")).build();
    DagSpec spec = DagSpec.builder("deploy")
        .node(NodeSpec.task("deploy", "careless").config(json("{'host':'db.internal',"
            + "'dbPassword':'hunter2-old','nested':{'api_key':'AKIA-OLD-KEY','region':'eu'},"
            + "'items':[{'token':'tok-old-123','name':'a'}]}")))
        .node(NodeSpec.task("report", "plain").config(json("{'token':'report-token-xyz'}")))
        .build();
    try (CapturedStderr stderr = new CapturedStderr();
        Harness h = new Harness(b -> b.executor("careless", careless)
            .engineDefaultPolicy(defaults), "plain")) {
      h.executor.script("report", Outcome.hang());
      String run = h.submit(spec);
      h.awaitNode(run, "deploy", NodeState.RUNNING);
      h.awaitCalls("report", 1);
      // stored RUNNING comes before the executor's call: the update must come after it
      assertThat(careless.called.await(10, TimeUnit.SECONDS)).isTrue();

      h.engine.updateNodeConfig(run, "deploy", json("{'dbPassword':'hunter2-new'}"), "ops");
      Throwable refused = catchThrowable(() ->
          h.engine.updateNodeConfig(run, "report", json("{'token':'report-token-new'}"), "ops"));
      assertThat(refused).isInstanceOf(NodeOperationException.class)
          .hasMessageContaining("does not support live config updates");
      String quoted = careless.contextAfterUpdate.get(0).toString();
      // the node is stored RUNNING before its executor is called: the stage may not exist yet
      careless.running.computeIfAbsent("deploy", k -> new CompletableFuture<>())
          .complete(NodeResult.failure("AUTH", "login refused: " + quoted));
      h.awaitNode(run, "deploy", NodeState.FAILED);
      String explained = h.engine.explain(run, "report").toString();
      h.engine.stop(run, "ops");
      RunView view = h.await(run);

      // the executor has every secret, before and after the update
      assertThat(careless.executed).singleElement().satisfies(c -> {
        assertThat(c.at("/dbPassword").asText()).isEqualTo("hunter2-old");
        assertThat(c.at("/nested/api_key").asText()).isEqualTo("AKIA-OLD-KEY");
        assertThat(c.at("/items/0/token").asText()).isEqualTo("tok-old-123");
        assertThat(c.at("/clientSecret").asText()).isEqualTo("policy-secret-1");
      });
      assertThat(careless.updated).singleElement()
          .satisfies(c -> assertThat(c.at("/dbPassword").asText()).isEqualTo("hunter2-new"));
      assertThat(careless.contextAfterUpdate).singleElement()
          .satisfies(c -> assertThat(c.at("/dbPassword").asText()).isEqualTo("hunter2-new"));
      assertThat(h.executor.calls("report").get(0).config().at("/token").asText())
          .isEqualTo("report-token-xyz");

      // history holds the update, its secrets redacted and the rest as it was
      assertThat(h.engine.history(run)).filteredOn(e -> e.action().equals("node.config"))
          .singleElement().satisfies(e -> {
            assertThat(e.oldValue()).isEqualTo(json("{'host':'db.internal','dbPassword':'***',"
                + "'nested':{'api_key':'***','region':'eu'},"
                + "'items':[{'token':'***','name':'a'}]}"));
            assertThat(e.newValue().at("/dbPassword").asText()).isEqualTo(SecretKeys.REDACTED);
            assertThat(e.newValue().at("/host").asText()).isEqualTo("db.internal");
          });
      assertThat(view.node("deploy").orElseThrow().config().at("/dbPassword").asText())
          .isEqualTo(SecretKeys.REDACTED);
      assertThat(view.spec().node("deploy").orElseThrow().config().at("/nested/region").asText())
          .isEqualTo("eu");

      String shown = String.join("\n", String.valueOf(h.engine.history(run)),
          String.valueOf(h.stores.runs().history(run)), String.valueOf(view),
          view.spec().toJson(), view.toMermaid(),
          view.toDot(), String.valueOf(h.engine.transitions(run)),
          String.valueOf(h.engine.logs(LogQuery.of(run))), explained,
          String.valueOf(h.engine.policies().effective(spec, "deploy")),
          refused.getMessage(), stderr.text(),
          h.engine.get(h.engine.list(RunQuery.all()).items().get(0).runId()).spec().toJson());
      assertThat(shown).contains("db.internal", "login refused", "connecting with",
          "live config update failed", "cannot apply");
      for (String secret : SECRETS) {
        assertThat(shown).as("shown or recorded somewhere: %s", secret).doesNotContain(secret);
      }
      // the run store keeps the live config whole: a recovered attempt needs it
      assertThat(h.stores.runs().nodes(run)).filteredOn(n -> n.nodeId().equals("deploy"))
          .singleElement().satisfies(n -> assertThat(n.config().orElseThrow()
              .at("/dbPassword").asText()).isEqualTo("hunter2-new"));
    }
  }

  @Test
  void theRedactedSpecKeepsEverythingButTheSecrets() {
    DagSpec spec = DagSpec.builder("deploy").runDeadline(Duration.ofHours(2))
        .node(NodeSpec.task("push", "t").config(json("{'password':'hunter2'}")))
        .node(NodeSpec.task("docs", "t"))
        .targets(java.util.List.of("push"))
        .build();
    try (Harness h = new Harness("t")) {
      h.executor.defaultOutcome(Outcome.succeed());
      RunView view = h.await(h.submit(spec));

      DagSpec shown = view.spec();
      assertThat(shown.nodes().get(0).config()).isEqualTo(json("{'password':'***'}"));
      assertThat(shown.targets()).containsExactly("push");
      assertThat(shown.runDeadline()).contains(Duration.ofHours(2));
      assertThat(view.node("docs").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
    }
  }

  @Test
  void aPolicysSecretKeysReplaceTheDefaults() {
    ExecutionPolicy pins = ExecutionPolicy.builder("pins")
        .secretKeys(SecretKeys.of("pin")).build();
    DagSpec spec = DagSpec.builder("card").policyName("pins")
        .node(NodeSpec.task("pay", "t").config(json("{'cardPin':'4321','password':'open'}"))
            .delay(Duration.ofMinutes(1))) // still waiting when its config is updated
        .build();
    try (Harness h = Harness.onCallingThread("t")) { // the update comes before 'pay' starts
      h.executor.script("pay", Outcome.succeed());
      h.engine.policies().save(pins);
      String run = h.submit(spec);
      h.engine.updateNodeConfig(run, "pay", json("{'cardPin':'9876'}"), "ops");
      RunView view = h.runToEnd(run);

      assertThat(view.node("pay").orElseThrow().config())
          .isEqualTo(json("{'cardPin':'***','password':'open'}"));
      assertThat(h.engine.history(run)).extracting(HistoryEntry::oldValue)
          .containsExactly(json("{'cardPin':'***','password':'open'}"));
      EffectivePolicy effective = h.engine.policies().effective(spec, "pay");
      assertThat(effective.secretKeys()).isEqualTo(SecretKeys.of("pin"));
      assertThat(effective.source("secretKeys")).isEqualTo("policy 'pins' (named by DAG 'card')");
      assertThat(effective.toString())
          .contains("| secretKeys | pin | policy 'pins' (named by DAG 'card') |\n");
      assertThat(h.executor.calls("pay").get(0).config().at("/cardPin").asText())
          .isEqualTo("9876");
    }
  }

  @Test
  void noSecretKeysRedactNothing() {
    ExecutionPolicy open = ExecutionPolicy.builder("open").secretKeys(SecretKeys.none()).build();
    try (Harness h = new Harness(b -> b.engineDefaultPolicy(open), "t")) {
      DagSpec spec = DagSpec.builder("d")
          .node(NodeSpec.task("a", "t").config(json("{'token':'visible'}"))).build();
      String run = h.submit(spec);
      assertThat(h.await(run).node("a").orElseThrow().config())
          .isEqualTo(json("{'token':'visible'}"));
      assertThat(h.engine.policies().effective(spec, "a").toString())
          .contains("| secretKeys | none | engine default |\n");
    }
  }
}
