package dev.dagflow.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.InvalidDagException;
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
}
