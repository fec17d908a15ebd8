package dev.dagflow.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.engine.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @Test
  void advanceRunsDueTasksInTimeOrderWithTheClockAtTheirTime() {
    ManualClock clock = new ManualClock(T0);
    List<String> ran = new ArrayList<>();
    clock.schedule(T0.plusSeconds(20), () -> ran.add("20@" + clock.now()));
    clock.schedule(T0.plusSeconds(10), () -> ran.add("10@" + clock.now()));
    clock.schedule(T0.plusSeconds(10), () -> ran.add("10b@" + clock.now()));
    clock.schedule(T0.plusSeconds(60), () -> ran.add("60"));

    clock.advance(Duration.ofSeconds(30));

    assertThat(ran).containsExactly("10@" + T0.plusSeconds(10), "10b@" + T0.plusSeconds(10),
        "20@" + T0.plusSeconds(20));
    assertThat(clock.now()).isEqualTo(T0.plusSeconds(30));
    assertThat(clock.pending()).containsExactly(T0.plusSeconds(60));
  }

  @Test
  void tasksScheduledByTasksRunInTheSameAdvanceWhenDue() {
    ManualClock clock = new ManualClock(T0);
    List<Instant> ran = new ArrayList<>();
    clock.schedule(T0.plusSeconds(1), () -> {
      ran.add(clock.now());
      clock.schedule(clock.now().plusSeconds(1), () -> ran.add(clock.now()));
      clock.schedule(clock.now().plusSeconds(100), () -> ran.add(clock.now()));
    });
    clock.advance(Duration.ofSeconds(5));
    assertThat(ran).containsExactly(T0.plusSeconds(1), T0.plusSeconds(2));
  }

  @Test
  void aCancelledTaskDoesNotRunAndTimeNeverGoesBack() {
    ManualClock clock = new ManualClock(T0);
    List<String> ran = new ArrayList<>();
    TimeSource.Cancellable task = clock.schedule(T0.plusSeconds(1), () -> ran.add("x"));
    task.cancel();
    clock.advance(Duration.ofSeconds(2));
    assertThat(ran).isEmpty();
    assertThatThrownBy(() -> clock.advance(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("back");
    // a task scheduled in the past runs at the next advance, without moving time back
    clock.schedule(T0, () -> ran.add("late@" + clock.now()));
    clock.advance(Duration.ZERO);
    assertThat(ran).containsExactly("late@" + T0.plusSeconds(2));
  }
}
