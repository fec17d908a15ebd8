package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The three workflows dagflow replaces, read from the formats their platforms use. */
class SeedWorkflowsTest {

  static String resource(String name) {
    try (InputStream in = SeedWorkflowsTest.class.getResourceAsStream("/seeds/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String upstreams(NodeSpec node) {
    return String.join(",", node.edges().stream().map(Edge::upstream).toList());
  }

  @Test
  void scanPipelineFromTheScanPlatformFormat() {
    DagSpec spec = DagJson.read(resource("scan-pipeline.json"), SpecFormat.SCAN);

    assertThat(spec.id()).isEqualTo("scan-workflow");
    assertThat(spec.nodes()).extracting(NodeSpec::id)
        .containsExactly("subdomain", "dns", "port", "http", "nuclei");
    assertThat(spec.nodes()).extracting(SeedWorkflowsTest::upstreams)
        .containsExactly("", "subdomain", "dns", "port", "http");
    assertThat(spec.nodes()).allMatch(n -> n.kind() == NodeKind.TASK)
        .flatExtracting(NodeSpec::edges).allMatch(e -> e.type() == EdgeType.SUCCESS);
    NodeSpec port = spec.node("port").orElseThrow();
    assertThat(port.taskType()).contains("port_scan");
    assertThat(port.config().get("rate").intValue()).isEqualTo(1000);
  }

  @Test
  void redBlueWorkflowFromTheSimulationPlatformFormat() {
    DagSpec spec = DagJson.read(resource("red-blue.json"), SpecFormat.SIMULATION);

    assertThat(spec.id()).isEqualTo("red_blue_exercise");
    assertThat(spec.name()).isEqualTo("Red/blue exercise");
    NodeSpec root = spec.node("root_container_001").orElseThrow();
    assertThat(root.kind()).isEqualTo(NodeKind.CONTAINER);
    assertThat(root.parent()).isEmpty();
    assertThat(root.config().get("containerName").asText()).isEqualTo("range-01");

    NodeSpec red = spec.node("agent_001").orElseThrow();
    NodeSpec blue = spec.node("agent_002").orElseThrow();
    assertThat(red.parent()).contains("root_container_001");
    assertThat(blue.parent()).contains("root_container_001");
    assertThat(red.taskType()).contains("red_team_agent");
    assertThat(red.config().get("tactics").size()).isEqualTo(2);
    assertThat(blue.edges()).containsExactly(Edge.of("agent_001", EdgeType.SUCCESS));
    assertThat(blue.config().get("mode").asText()).isEqualTo("detect");
    assertThat(blue.delay()).contains(Duration.ofSeconds(30));
    assertThat(blue.activation().orElseThrow().get("params.blue_enabled").booleanValue()).isTrue();
  }

  @Test
  void cicdPipelineFromTheNativeFormat() {
    DagSpec spec = DagSpec.fromJson(resource("cicd.json"));

    assertThat(spec.nodes()).extracting(NodeSpec::id)
        .containsExactly("fetch_code", "build", "test", "security_scan", "deploy", "notify");
    assertThat(spec.node("test").orElseThrow().edges()).containsExactly(Edge.on("build"));
    assertThat(spec.node("security_scan").orElseThrow().edges()).containsExactly(Edge.on("build"));
    assertThat(spec.node("deploy").orElseThrow().edges())
        .containsExactly(Edge.on("test"), Edge.on("security_scan"));
    assertThat(spec.node("notify").orElseThrow().edges())
        .containsExactly(Edge.of("deploy", EdgeType.FINISH));
    RetryPolicy retry = spec.node("build").orElseThrow().retry().orElseThrow();
    assertThat(retry.maxAttempts()).isEqualTo(3);
    assertThat(retry.delayBefore(1)).isEqualTo(Duration.ofSeconds(2));
    assertThat(retry.delayBefore(2)).isEqualTo(Duration.ofSeconds(4));
    assertThat(retry.delayBefore(10)).isEqualTo(Duration.ofMinutes(1));
    assertThat(spec.scope().workerKey()).isEqualTo("worker-project-shop");
    assertThat(spec.specVersion()).isEqualTo(3);
    assertThat(spec.policyName()).contains("ci-default");
    assertThat(DagSpec.fromJson(spec.toJson())).isEqualTo(spec);
  }

  @Test
  void simulationChildrenListsSetTheParentOfChildrenThatNameNone() {
    DagSpec spec = DagJson.read("[{\"nodeId\":\"box\",\"nodeType\":\"box\",\"children\":[\"a\"]},"
        + "{\"nodeId\":\"a\",\"nodeType\":\"task\",\"agentLoad\":\"x\",\"pin\":1767225600000}]",
        SpecFormat.SIMULATION);

    assertThat(spec.id()).isEqualTo("simulation-workflow");
    assertThat(spec.node("a").orElseThrow().parent()).contains("box");
    assertThat(spec.node("a").orElseThrow().notBefore().orElseThrow())
        .hasToString("2026-01-01T00:00:00Z");
  }
}
