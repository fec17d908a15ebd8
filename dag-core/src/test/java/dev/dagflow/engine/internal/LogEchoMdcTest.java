package dev.dagflow.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.slf4j.helpers.BasicMDCAdapter;

/**
 * The MDC keys of an echoed line are set while the backend prints it and get their previous
 * values back after. slf4j-simple's own MDC adapter keeps nothing, so a working one (slf4j's
 * {@code BasicMDCAdapter}) stands in for the backend's.
 */
class LogEchoMdcTest {
  private static final Instant T = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void aNodesLineHasItsRunNodeAttemptAndProjectWhilePrinted() {
    BasicMDCAdapter mdc = new BasicMDCAdapter();
    try (SystemErrCapture err = new SystemErrCapture(mdc::getCopyOfContextMap)) {
      LogEcho.echo(new LogEntry("r-1", Optional.of("port"), 2, LogLevel.ERROR, "boom", T),
          Optional.of("acme"), Optional.of("port_scan"), mdc);
      assertThat(err.containing("run r-1")).singleElement().satisfies(line -> {
        assertThat(line.text()).contains(" ERROR dagflow.node.port_scan - run r-1 node port "
            + "attempt 2: boom");
        assertThat(line.mdc()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
            "dagflow.runId", "r-1", "dagflow.nodeId", "port", "dagflow.attempt", "2",
            "dagflow.project", "acme"));
      });
    }
    assertThat(mdc.getCopyOfContextMap()).isNullOrEmpty();
  }

  @Test
  void aRunsLineHasNoNodeKeysAndTheHostsValuesComeBack() {
    BasicMDCAdapter mdc = new BasicMDCAdapter();
    mdc.put("dagflow.runId", "the host's own");
    mdc.put("dagflow.nodeId", "the host's node");
    mdc.put("request", "42");
    try (SystemErrCapture err = new SystemErrCapture(mdc::getCopyOfContextMap)) {
      LogEcho.echo(new LogEntry("r-2", Optional.empty(), 0, LogLevel.WARN, "too deep", T),
          Optional.empty(), Optional.empty(), mdc);
      assertThat(err.containing("run r-2")).singleElement().satisfies(line -> {
        assertThat(line.text()).contains(" WARN dagflow.run - run r-2: too deep");
        assertThat(line.mdc()).containsEntry("dagflow.runId", "r-2")
            .containsEntry("request", "42")
            .doesNotContainKeys("dagflow.nodeId", "dagflow.attempt", "dagflow.project");
      });
    }
    assertThat(mdc.getCopyOfContextMap()).containsExactlyInAnyOrderEntriesOf(java.util.Map.of(
        "dagflow.runId", "the host's own", "dagflow.nodeId", "the host's node", "request", "42"));
  }

  @Test
  void linesBelowWarnAreNotEchoed() {
    BasicMDCAdapter mdc = new BasicMDCAdapter();
    try (SystemErrCapture err = new SystemErrCapture(mdc::getCopyOfContextMap)) {
      LogEcho.echo(new LogEntry("r-3", Optional.of("a"), 1, LogLevel.INFO, "fine", T),
          Optional.empty(), Optional.of("t"), mdc);
      assertThat(err.containing("r-3")).isEmpty();
    }
  }
}
