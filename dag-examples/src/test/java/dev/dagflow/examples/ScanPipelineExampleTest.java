package dev.dagflow.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The main example runs the pipeline to the end and shows every stage completed. */
class ScanPipelineExampleTest {

  @Test
  void theExampleRunsThePipelineToCompletion() throws Exception {
    PrintStream out = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      ScanPipelineExample.main(new String[] {"acme"});
    } finally {
      System.setOut(out);
    }
    String text = captured.toString(StandardCharsets.UTF_8);
    assertThat(text).contains("class n0,n1,n2,n3,n4 completed").contains(": COMPLETED");
    for (String stage : new String[] {"subdomain", "dns", "port", "http", "nuclei"}) {
      assertThat(text).contains("  " + stage + " COMPLETED in ");
    }
    assertThat(text).contains("{\"stage\":\"dns\",\"inputs\":1}");
  }
}
