package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.dagflow.engine.internal.SystemErrCapture;
import dev.dagflow.log.LogLevel;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The engine's WARN and ERROR log lines reach the host's SLF4J backend (here slf4j-simple, the
 * test backend) under documented loggers: {@code dagflow.node.<taskType>} for a node's line,
 * {@code dagflow.run} for the run's, without {@code null}s. The MDC keys set around each line
 * are checked by {@code LogEchoMdcTest}: slf4j-simple's MDC keeps nothing.
 */
class EngineLogEchoTest {

  @Test
  void aNodesLineComesUnderItsTaskType() {
    try (SystemErrCapture err = new SystemErrCapture(Map::of);
        Harness h = new Harness(b -> b.handler("port_scan", ctx -> {
          ctx.log(LogLevel.WARN, "rate limited at {} packets/s", 100);
          ctx.log(LogLevel.INFO, "not echoed");
          return TextNode.valueOf("done");
        }))) {
      h.engine.templates().save("scan", Optional.of("acme"),
          DagSpec.builder("scan").node(NodeSpec.task("port", "port_scan")).build());
      String runId = h.engine.submit("scan", EventTriggersTest.json("{}"));
      h.await(runId);

      assertThat(err.containing("run " + runId)).singleElement()
          .satisfies(line -> assertThat(line.text())
              .contains(" WARN dagflow.node.port_scan - ")
              .endsWith("run " + runId + " node port attempt 1: rate limited at 100 packets/s"));
    }
  }

  @Test
  void aRunsLineComesUnderDagflowRunWithoutANode() {
    try (SystemErrCapture err = new SystemErrCapture(Map::of); Harness h = new Harness("t")) {
      h.engine.templates().save("scan", Optional.of("acme"),
          DagSpec.builder("scan").node(NodeSpec.task("a", "t")).build());
      h.engine.triggers().save(EventTrigger.builder("deep").project("acme").eventType("x")
          .template("scan").build());
      String runId = h.engine.submit("scan", EventTriggersTest.json("{}"));
      h.await(runId);
      // an event caused by the run, too deep to start anything: the run's log says so
      h.engine.emit(Event.builder("x").project("acme").cause(runId).depth(17).build());

      assertThat(err.containing("run " + runId)).singleElement()
          .satisfies(line -> assertThat(line.text())
              .contains(" WARN dagflow.run - run " + runId + ": event ")
              .contains("chain depth 17").doesNotContain("null").doesNotContain("attempt"));
    }
  }
}
