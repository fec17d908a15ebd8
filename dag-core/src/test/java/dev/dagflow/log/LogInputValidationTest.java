package dev.dagflow.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.store.Fence;
import dev.dagflow.store.LogBatch;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Log lines, queries and batches refuse bad input with a message naming the field. */
class LogInputValidationTest {
  private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
  private static final Fence FENCE = new Fence("engine-a", 1);

  private static LogEntry line(String runId, long seq) {
    return new LogEntry(runId, seq, Optional.empty(), 0, LogLevel.INFO, "m", T);
  }

  @Test
  void aLineIsNumberedFromOneAndHasNoNegativeAttempt() {
    assertThatThrownBy(() -> line("r", 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("seq must be at least 1, got 0");
    assertThatThrownBy(() -> new LogEntry("r", 1, Optional.of("a"), -1, LogLevel.INFO, "m", T))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("attempt must not be negative, got -1");
    assertThatThrownBy(() -> new LogEntry("r", 1, Optional.empty(), 0, null, "m", T))
        .isInstanceOf(NullPointerException.class).hasMessage("level");
  }

  @Test
  void theCursorIsNeverNegativeAndCombinesWithTheOtherFilters() {
    assertThatThrownBy(() -> LogQuery.of("r").afterSequence(-1))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("afterSequence must not be negative, got -1");
    LogQuery q = LogQuery.of("r").node("a").afterSequence(7).minLevel(LogLevel.WARN).limit(3);
    assertThat(q.afterSequence()).isEqualTo(7);
    assertThat(q.nodeId()).contains("a");
    assertThat(q.minLevel()).isEqualTo(LogLevel.WARN);
    assertThat(q.limit()).isEqualTo(3);
    assertThat(q.toString()).contains("afterSequence=7");
    assertThat(LogQuery.of("r").afterSequence()).isZero();
    assertThat(q.matches(new LogEntry("r", 7, Optional.of("a"), 1, LogLevel.WARN, "m", T)))
        .isFalse();
    assertThat(q.matches(new LogEntry("r", 8, Optional.of("a"), 1, LogLevel.WARN, "m", T)))
        .isTrue();
    assertThatThrownBy(() -> LogQuery.of("r").limit(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("limit must be");
  }

  @Test
  void aBatchHoldsLinesOfItsRunInIncreasingOrder() {
    assertThatThrownBy(() -> new LogBatch("r", FENCE, List.of()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("lines must not");
    assertThatThrownBy(() -> new LogBatch("r", FENCE, List.of(line("r", 1), line("other", 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lines must all be of run r: line 2 is of run other");
    assertThatThrownBy(() -> new LogBatch("r", FENCE, List.of(line("r", 2), line("r", 2))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("lines must be in increasing seq order: line 2 follows line 2");
    assertThatThrownBy(() -> new LogBatch("r", null, List.of(line("r", 1))))
        .isInstanceOf(NullPointerException.class).hasMessage("fence");
  }

  @Test
  void aBatchCopiesItsLines() {
    List<LogEntry> lines = new ArrayList<>(List.of(line("r", 3), line("r", 5)));
    LogBatch b = new LogBatch("r", FENCE, lines);
    lines.clear();
    assertThat(b.lines()).hasSize(2);
    assertThat(b.firstSeq()).isEqualTo(3);
    assertThat(b.lastSeq()).isEqualTo(5);
    assertThatThrownBy(() -> b.lines().clear()).isInstanceOf(UnsupportedOperationException.class);
  }
}
