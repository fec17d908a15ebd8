package dev.dagflow.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The builder keeps one attempt per node and number, the last added, in the order first added. */
class RunChangesBuilderTest {
  private static final Instant AT = Instant.parse("2024-01-01T00:00:00Z");

  @Test
  void aLaterAttemptOfTheSameNodeAndNumberReplacesTheEarlierInItsPlaceHoweverManyThereAre() {
    for (int count : new int[] {3, 15, 16, 17, 100}) {
      RunChanges.Builder b = RunChanges.builder("r", new Fence("engine", 1));
      List<AttemptRecord> expected = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        AttemptRecord started = AttemptRecord.started("r", "n-" + i % 10, i / 10 + 1, AT);
        b.attempt(started);
        expected.add(started);
      }
      for (int i = 0; i < count; i += 3) { // replace every third, early and late ones alike
        AttemptRecord ended = expected.get(i).ended(AT.plusSeconds(i),
            AttemptOutcome.COMPLETED, null, null, null);
        b.attempt(ended);
        expected.set(i, ended);
      }
      b.attempt(AttemptRecord.started("r", "n-0", 99, AT)); // a new number is a new attempt
      expected.add(AttemptRecord.started("r", "n-0", 99, AT));
      assertThat(b.build().attempts()).as("%d attempts", count)
          .containsExactlyElementsOf(expected);
    }
  }
}
