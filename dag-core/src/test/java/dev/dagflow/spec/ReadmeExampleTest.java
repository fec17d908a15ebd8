package dev.dagflow.spec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.log.LogLevel;
import dev.dagflow.state.RunState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Holds the README's code example, so that it compiles, and checks the README shows it as is. */
class ReadmeExampleTest {

  @Test
  void theExampleRuns() throws Exception {
    // readme:start
    DagSpec spec = DagSpec.builder("ci")
        .scope(DagScope.project("shop", true))
        .node(NodeSpec.task("build", "shell"))
        .node(NodeSpec.task("test", "shell").dependsOn("build").timeout(Duration.ofMinutes(20)))
        .node(NodeSpec.task("security_scan", "shell").dependsOn("build"))
        .node(NodeSpec.task("deploy", "shell").dependsOn("test", "security_scan"))
        .node(NodeSpec.task("notify", "shell").dependsOn(Edge.of("deploy", EdgeType.FINISH)))
        .build();                       // throws InvalidDagException listing every problem

    try (DagEngine engine = DagEngine.builder()
        .handler("shell", ctx -> {      // a plain function per task type
          ctx.log(LogLevel.INFO, "running {}", ctx.nodeId());
          return null;                  // or a JSON result for the nodes downstream
        })
        .build()) {
      engine.start();
      RunView run = engine.await(engine.submit(spec), Duration.ofMinutes(1));
      System.out.println(run.toMermaid());   // coloured by node state
      // readme:end
      assertThat(run.state()).isEqualTo(RunState.COMPLETED);
      assertThat(run.toMermaid()).contains("  classDef completed fill:#c8e6c9\n");
      assertThat(run.toDot()).contains("fillcolor=\"#c8e6c9\", tooltip=\"COMPLETED\"");
      assertThat(run.nodes()).allSatisfy(n -> assertThat(n.attempts()).hasSize(1));
      assertThat(DagSpec.fromJson(spec.toJson())).isEqualTo(spec);
    }
  }

  @Test
  void theReadmeShowsExactlyThisExample() throws IOException {
    String source = Files.readString(
        Path.of("src/test/java/dev/dagflow/spec/ReadmeExampleTest.java"));
    String snippet = source.substring(source.indexOf("// readme:start") + 15,
        source.indexOf("      // readme:end"));
    String readme = Files.readString(Path.of("../README.md"));

    assertThat(normalize(readme)).contains(normalize(snippet));
  }

  private static String normalize(String text) {
    return text.replaceAll("\\s+", " ").trim();
  }
}
