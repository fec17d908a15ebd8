package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.spec.DagJson;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.SpecFormat;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.Outcome;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The three workflows dagflow replaces, run end to end on in-memory stores. */
class SeedWorkflowRunsTest {

  static String resourceText(String name) {
    try (InputStream in = SeedWorkflowRunsTest.class.getResourceAsStream("/seeds/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  static DagSpec seed(String name, SpecFormat format) {
    return DagJson.read(resourceText(name), format);
  }

  @Test
  void scanPipelineRunsEachStageAfterTheOneBeforeAndPassesResultsOn() {
    try (Harness h = new Harness("subdomain_scan", "dns_resolve", "port_scan", "http_probe",
        "nuclei_scan")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      DagSpec spec = seed("scan-pipeline.json", SpecFormat.SCAN);
      ObjectNode params = JsonNodeFactory.instance.objectNode().put("domain", "example.com");
      String run = h.engine.submit(spec, params);
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.progress()).isEqualTo(100);
      assertThat(h.executor.calls()).extracting(c -> c.nodeId())
          .containsExactly("subdomain", "dns", "port", "http", "nuclei");
      assertThat(view.edges()).allMatch(EdgeView::satisfied).hasSize(4);
      assertThat(view.node("port").orElseThrow().config().get("rate").asInt()).isEqualTo(1000);
      // every node went PENDING -> WAITING -> READY -> RUNNING -> COMPLETED, in order
      List<StateTransition> port = h.engine.transitions(run).stream()
          .filter(t -> t.nodeId().equals("port")).toList();
      assertThat(port).extracting(StateTransition::to).containsExactly(NodeState.WAITING,
          NodeState.READY, NodeState.RUNNING, NodeState.COMPLETED);
      assertThat(view.params().get("domain").asText()).isEqualTo("example.com");
    }
  }

  @Test
  void redBlueContainerStartsBeforeItsAgentsAndCompletesAfterThem() {
    try (Harness h = new Harness("red_team_agent", "blue_team_agent")) {
      h.executor.defaultOutcome(Outcome.succeed()); // the nodes not scripted succeed
      DagSpec spec = seed("red-blue.json", SpecFormat.SIMULATION);
      String run = h.engine.submit(spec,
          JsonNodeFactory.instance.objectNode().put("blue_enabled", true));
      h.awaitNode(run, "agent_001", NodeState.COMPLETED);
      // the blue agent is pinned 30 s after the run's start
      assertThat(h.engine.explain(run, "agent_002").closedGates())
          .extracting(g -> g.kind()).containsExactly(dev.dagflow.eval.Gate.Kind.NOT_BEFORE);
      h.clock.advance(Duration.ofSeconds(30));
      RunView view = h.await(run);

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      NodeView box = view.node("root_container_001").orElseThrow();
      assertThat(box.state()).isEqualTo(NodeState.COMPLETED);
      assertThat(box.children()).contains(new ContainerCounts(2, 2, 0, 0));
      assertThat(box.progress()).isEqualTo(100);
      assertThat(h.executor.calls()).extracting(c -> c.nodeId())
          .containsExactly("agent_001", "agent_002");
      List<String> order = h.engine.transitions(run).stream()
          .filter(t -> t.to() == NodeState.RUNNING || t.to() == NodeState.COMPLETED)
          .map(t -> t.nodeId() + ">" + t.to()).toList();
      assertThat(order).containsExactly("root_container_001>RUNNING", "agent_001>RUNNING",
          "agent_001>COMPLETED", "agent_002>RUNNING", "agent_002>COMPLETED",
          "root_container_001>COMPLETED");
      assertThat(view.node("agent_002").orElseThrow().startedAt())
          .contains(Harness.T0.plusSeconds(30));

      // without blue_enabled, the blue agent's activation is false: it is skipped
      String other = h.submit(spec);
      RunView without = h.await(other);
      assertThat(without.state()).isEqualTo(RunState.COMPLETED);
      assertThat(without.node("agent_002").orElseThrow().state()).isEqualTo(NodeState.SKIPPED);
    }
  }

  @Test
  void ciCdPipelineRunsTestAndSecurityScanAtTheSameTime() throws Exception {
    CountDownLatch bothRunning = new CountDownLatch(2);
    TaskHandler overlapping = ctx -> {
      bothRunning.countDown();
      if (!bothRunning.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("test and security_scan did not overlap");
      }
      return null;
    };
    TaskHandler quick = ctx -> null;
    Stores stores = Stores.inMemory();
    stores.policies().save(ExecutionPolicy.builder("ci-default").nodeTimeout(Duration.ofHours(1))
        .build());
    DagSpec spec = seed("cicd.json", SpecFormat.NATIVE);
    DagEngine.Builder b = DagEngine.builder().stores(stores).workersPerScope(4);
    for (var node : spec.nodes()) {
      String type = node.taskType().orElseThrow();
      if (!type.equals("junit") && !type.equals(spec.node("security_scan").orElseThrow()
          .taskType().orElseThrow())) {
        b.handler(type, quick);
      }
    }
    b.handler("junit", overlapping);
    b.handler(spec.node("security_scan").orElseThrow().taskType().orElseThrow(), overlapping);
    try (DagEngine engine = b.build()) {
      engine.start();
      String run = engine.submit(spec,
          JsonNodeFactory.instance.objectNode().put("env", "staging"));
      RunView view = engine.await(run, Duration.ofSeconds(20));

      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      NodeView test = view.node("test").orElseThrow();
      NodeView scan = view.node("security_scan").orElseThrow();
      // each started before the other ended: they overlapped
      assertThat(test.startedAt().orElseThrow()).isBeforeOrEqualTo(scan.endedAt().orElseThrow());
      assertThat(scan.startedAt().orElseThrow()).isBeforeOrEqualTo(test.endedAt().orElseThrow());
      NodeView deploy = view.node("deploy").orElseThrow();
      assertThat(deploy.startedAt().orElseThrow())
          .isAfterOrEqualTo(test.endedAt().orElseThrow())
          .isAfterOrEqualTo(scan.endedAt().orElseThrow());
      assertThat(view.scopeKey()).isEqualTo("worker-project-shop");
      assertThat(view.project()).contains("shop");
    }
  }
}
