package dev.dagflow.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.spec.SpecProblem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** docs/validation.md shows the message the library gives for its example, in its order. */
class ValidationPageTest {

  @Test
  void theExampleMessageIsWhatTheLibrarySays() throws Exception {
    String spec = DocsExamplesTest.blockAfter("docs/validation.md", "For this spec");
    String message = DocsExamplesTest.blockAfter("docs/validation.md", "the message is");

    InvalidDagException e = catchThrowableOfType(() -> DagSpec.fromJson(spec),
        InvalidDagException.class);

    assertThat(e.getMessage()).isEqualTo(message.strip());
  }

  @Test
  void theDagsOwnIdAndVersionComeBeforeItsNodes() throws Exception {
    assertThat(Files.readString(Path.of("../docs/validation.md")).replaceAll("\\s+", " "))
        .contains("first the DAG's own id and version, then the node ids");
    InvalidDagException e = catchThrowableOfType(() -> DagSpec.builder("no spaces")
        .specVersion(0)
        .node(NodeSpec.task("a", "t").timeout(Duration.ZERO))
        .node(NodeSpec.task("b", "t").dependsOn("missing"))
        .build(), InvalidDagException.class);
    assertThat(e.problems()).extracting(SpecProblem::kind).containsExactly(
        SpecProblem.Kind.INVALID_ID, SpecProblem.Kind.INVALID_VALUE,
        SpecProblem.Kind.INVALID_TIMEOUT, SpecProblem.Kind.UNKNOWN_UPSTREAM);
    assertThat(e.problems().get(0).nodeId()).isEmpty();
  }
}
