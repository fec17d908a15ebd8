package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.dagflow.log.LogLevel;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The engine's WARN and ERROR log lines reach the host's SLF4J backend (Logback in these tests)
 * under documented loggers, {@code dagflow.node.<taskType>} for a node's line and {@code
 * dagflow.run} for the run's, with the run, node, attempt and project in the MDC of the line
 * and without {@code null}s.
 */
class EngineLogEchoTest {

  @Test
  void aNodesLineComesUnderItsTaskTypeWithItsRunNodeAttemptAndProject() {
    try (LogCapture logs = new LogCapture();
        Harness h = new Harness(b -> b.handler("port_scan", ctx -> {
          ctx.log(LogLevel.WARN, "rate limited at {} packets/s", 100);
          ctx.log(LogLevel.INFO, "not echoed");
          return TextNode.valueOf("done");
        }))) {
      h.engine.templates().save("scan", Optional.of("acme"),
          DagSpec.builder("scan").node(NodeSpec.task("port", "port_scan")).build());
      String runId = h.engine.submit("scan", EventTriggersTest.json("{}"));
      h.await(runId);

      assertThat(logs.containing("run " + runId)).singleElement().satisfies(line -> {
        assertThat(line.getLoggerName()).isEqualTo("dagflow.node.port_scan");
        assertThat(line.getLevel()).isEqualTo(Level.WARN);
        assertThat(line.getFormattedMessage())
            .isEqualTo("run " + runId + " node port attempt 1: rate limited at 100 packets/s");
        assertThat(line.getMDCPropertyMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
            "dagflow.runId", runId, "dagflow.nodeId", "port", "dagflow.attempt", "1",
            "dagflow.project", "acme"));
      });
      assertThat(logs.containing("not echoed")).isEmpty();
    }
  }

  @Test
  void aRunsLineComesUnderDagflowRunWithoutNodeKeys() {
    try (LogCapture logs = new LogCapture(); Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.of("acme"),
          DagSpec.builder("scan").node(NodeSpec.task("a", "t")).build());
      h.engine.triggers().save(EventTrigger.builder("deep").project("acme").eventType("x")
          .template("scan").build());
      String runId = h.engine.submit("scan", EventTriggersTest.json("{}"));
      h.await(runId);
      // an event caused by the run, too deep to start anything: the run's log says so
      h.engine.emit(Event.builder("x").project("acme").cause(runId).depth(17).build());

      assertThat(logs.containing("run " + runId)).filteredOn(
          line -> line.getLoggerName().startsWith("dagflow.")).singleElement().satisfies(line -> {
            assertThat(line.getLoggerName()).isEqualTo("dagflow.run");
            assertThat(line.getFormattedMessage()).startsWith("run " + runId + ": event ")
                .contains("chain depth 17").doesNotContain("null").doesNotContain("attempt");
            assertThat(line.getMDCPropertyMap()).containsEntry("dagflow.runId", runId)
                .containsEntry("dagflow.project", "acme")
                .doesNotContainKeys("dagflow.nodeId", "dagflow.attempt");
          });
    }
  }
}
