package dev.dagflow.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

class RunStateTest {
  private static final Set<String> LEGAL = Set.of("PENDING>RUNNING", "PENDING>STOPPED",
      "RUNNING>PAUSED", "RUNNING>COMPLETED", "RUNNING>FAILED", "RUNNING>STOPPED",
      "PAUSED>RUNNING", "PAUSED>COMPLETED", "PAUSED>FAILED", "PAUSED>STOPPED",
      "FAILED>RUNNING", "STOPPED>RUNNING");

  @ParameterizedTest
  @EnumSource(RunState.class)
  void runTransitionsFollowTheTable(RunState from) {
    for (RunState to : RunState.values()) {
      assertThat(from.canBecome(to)).as("%s -> %s", from, to).isEqualTo(LEGAL.contains(from + ">" + to));
    }
  }

  @ParameterizedTest
  @CsvSource({
      "false, false, false, COMPLETED",
      "false, true,  false, FAILED",
      "false, true,  true,  FAILED",
      "false, false, true,  STOPPED",
      "true,  true,  true,  STOPPED",
      "true,  false, false, STOPPED"})
  void outcomeOfAnEndedRun(boolean runStopped, boolean anyFailed, boolean anyStopped, RunState expected) {
    assertThat(RunState.ended(runStopped, anyFailed, anyStopped)).isEqualTo(expected);
  }
}
