package dev.dagflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.engine.LogCapture;
import dev.dagflow.log.LogLevel;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** An echoed line's MDC keys are set only while it is logged: the host's own values come back. */
class LogEchoMdcTest {
  @Test
  void theHostsMdcValuesComeBackAfterALine() {
    MDC.put("dagflow.runId", "the host's own");
    MDC.put("request", "42");
    try (LogCapture logs = new LogCapture()) {
      LogEcho.echo("r-2", Optional.of("port"), 3, LogLevel.ERROR, "boom", Optional.empty(),
          Optional.of("port_scan"));

      assertThat(logs.containing("run r-2")).singleElement().satisfies(line ->
          assertThat(line.getMDCPropertyMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
              "dagflow.runId", "r-2", "dagflow.nodeId", "port", "dagflow.attempt", "3",
              "request", "42")));
      assertThat(MDC.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(Map.of(
          "dagflow.runId", "the host's own", "request", "42"));
    } finally {
      MDC.clear();
    }
  }

  @Test
  void linesBelowWarnAreNotEchoed() {
    try (LogCapture logs = new LogCapture()) {
      LogEcho.echo("r-3", Optional.of("a"), 1, LogLevel.INFO, "fine", Optional.empty(),
          Optional.of("t"));
      assertThat(logs.containing("r-3")).isEmpty();
    }
  }
}
