package dev.dagflow.http.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.http.engine.EngineLogLine;
import dev.dagflow.log.LogLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The log cursor against random engines: logs that grow between reads, many lines on one
 * timestamp (genuinely identical ones too), answers that overlap the cursor, list lines in any
 * order and, with ids, repeat lines. Whatever the engine does within the cursor's assumptions,
 * the lines taken are the engine's log: none lost, none twice. Seeded; each failure names the
 * seed that replays it ({@code -Ddagflow.logcursor.seed=...}).
 */
class LogCursorPropertyTest {
  private static final Instant T0 = Instant.parse("2026-12-02T07:00:00Z");
  private static final long BASE = Long.getLong("dagflow.logcursor.seed", 41L);
  private static final LogLevel[] LEVELS = LogLevel.values();

  /** One random engine and reader. */
  private static final class Engine {
    final Random random;
    final boolean ids;
    final boolean millis;
    final Duration lookback;
    final List<EngineLogLine> log = new ArrayList<>();
    Instant maxServed = T0;
    int nextId;

    Engine(long seed, boolean ids, boolean millis, Duration lookback) {
      this.random = new Random(seed);
      this.ids = ids;
      this.millis = millis;
      this.lookback = lookback;
    }

    /** Adds a few lines, none stamped before what was served minus the lookback. */
    void write() {
      int n = random.nextInt(5);
      for (int i = 0; i < n; i++) {
        Instant earliest = maxServed.minus(lookback);
        Instant at = earliest.plusSeconds(random.nextInt(4 + (int) lookback.toSeconds()));
        if (random.nextInt(5) == 0 && !log.isEmpty()) { // a genuine twin of an existing line
          EngineLogLine twin = log.get(random.nextInt(log.size()));
          if (!twin.timestamp().isBefore(earliest)) {
            log.add(line(twin.timestamp(), twin.level(), twin.message()));
            continue;
          }
        }
        log.add(line(at, LEVELS[random.nextInt(LEVELS.length)], "m" + random.nextInt(3)));
      }
    }

    EngineLogLine line(Instant at, LogLevel level, String message) {
      String raw = millis ? Long.toString(at.toEpochMilli()) : at.toString();
      Optional<String> id = ids ? Optional.of("L" + nextId++) : Optional.empty();
      return new EngineLogLine(at, raw, level, message, id);
    }

    /** An answer for {@code since}: complete from it, plus overlap, repeats, shuffled. */
    List<EngineLogLine> answer(Optional<String> since) {
      Instant from = since.map(s -> millis ? Instant.ofEpochMilli(Long.parseLong(s))
          : Instant.parse(s)).orElse(Instant.MIN);
      List<EngineLogLine> out = new ArrayList<>();
      for (EngineLogLine l : log) {
        if (!l.timestamp().isBefore(from)) {
          out.add(l);
        } else if (random.nextInt(3) == 0) {
          out.add(l); // overlap: an earlier line sent anyway
        }
      }
      if (ids) {
        int repeats = out.isEmpty() ? 0 : random.nextInt(3);
        for (int i = 0; i < repeats; i++) {
          out.add(out.get(random.nextInt(out.size())));
        }
      }
      Collections.shuffle(out, random);
      out.stream().map(EngineLogLine::timestamp).max(Comparator.naturalOrder())
          .filter(t -> t.isAfter(maxServed)).ifPresent(t -> maxServed = t);
      return out;
    }
  }

  @Test
  void theLinesTakenAreTheEnginesLogExactly() {
    for (int trial = 0; trial < 400; trial++) {
      long seed = BASE + trial;
      Random pick = new Random(seed);
      boolean ids = pick.nextBoolean();
      boolean millis = pick.nextBoolean();
      Duration lookback = Duration.ofSeconds(pick.nextInt(3));
      Engine engine = new Engine(seed, ids, millis, lookback);
      LogCursor cursor = new LogCursor(lookback);
      List<EngineLogLine> taken = new ArrayList<>();
      for (int round = 0; round < 30; round++) {
        engine.write();
        List<EngineLogLine> fresh = cursor.take(engine.answer(cursor.since()));
        assertThat(fresh).as("seed %d: each read in timestamp order", seed)
            .isSortedAccordingTo(Comparator.comparing(EngineLogLine::timestamp));
        taken.addAll(fresh);
      }
      taken.addAll(cursor.take(engine.answer(cursor.since())));

      assertThat(keys(taken)).as("seed %d (ids %s, millis %s, lookback %s)", seed, ids, millis,
          lookback).isEqualTo(keys(engine.log));
    }
  }

  @Test
  void aLineAddedAtTheCursorsOwnTimestampIsTakenAndTheOnesBeforeItAreNot() {
    LogCursor cursor = new LogCursor(Duration.ZERO);
    EngineLogLine a = new EngineLogLine(T0, T0.toString(), LogLevel.INFO, "a", Optional.empty());
    EngineLogLine b = new EngineLogLine(T0, T0.toString(), LogLevel.INFO, "b", Optional.empty());

    assertThat(cursor.take(List.of(b, a))).containsExactly(b, a); // one timestamp: as listed
    assertThat(cursor.since()).contains(T0.toString());
    assertThat(cursor.take(List.of(a, b, a))).containsExactly(a); // a second 'a' at T0
    assertThat(cursor.take(List.of(a, a, b))).isEmpty();
  }

  private static List<String> keys(List<EngineLogLine> lines) {
    return lines.stream().map(l -> l.id().orElse("") + "@" + l.timestamp() + " " + l.level()
        + " " + l.message()).sorted().toList();
  }
}
