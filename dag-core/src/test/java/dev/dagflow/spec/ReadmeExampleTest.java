package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Holds the README's code example, so that it compiles, and checks the README shows it as is. */
class ReadmeExampleTest {

  @Test
  void theExampleBuildsAndRoundTrips() {
    // readme:start
    DagSpec spec = DagSpec.builder("ci")
        .scope(DagScope.project("shop", true))
        .node(NodeSpec.task("fetch_code", "git_fetch"))
        .node(NodeSpec.task("build", "maven").dependsOn("fetch_code"))
        .node(NodeSpec.task("test", "junit").dependsOn("build").timeout(Duration.ofMinutes(20)))
        .node(NodeSpec.task("security_scan", "trivy").dependsOn("build"))
        .node(NodeSpec.task("deploy", "helm").dependsOn("test", "security_scan"))
        .node(NodeSpec.task("notify", "slack").dependsOn(Edge.of("deploy", EdgeType.FINISH)))
        .build();                       // throws InvalidDagException listing every problem
    String json = spec.toJson();        // DagSpec.fromJson(json).equals(spec)
    String chart = spec.toMermaid();
    // readme:end

    assertThat(DagSpec.fromJson(json)).isEqualTo(spec);
    assertThat(chart).contains("n0[\"fetch_code<br/>git_fetch\"]", "n4 -.->|finish| n5");
  }

  @Test
  void theReadmeShowsExactlyThisExample() throws IOException {
    String source = Files.readString(
        Path.of("src/test/java/dev/dagflow/spec/ReadmeExampleTest.java"));
    String snippet = source.substring(source.indexOf("// readme:start") + 15,
        source.indexOf("    // readme:end"));
    String readme = Files.readString(Path.of("../README.md"));

    assertThat(normalize(readme)).contains(normalize(snippet));
  }

  private static String normalize(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }
}
