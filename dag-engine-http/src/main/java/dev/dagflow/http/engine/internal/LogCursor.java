package dev.dagflow.http.engine.internal;

import dev.dagflow.http.engine.EngineLogLine;
import dev.dagflow.log.LogLevel;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the reading of one agent's log stands, so that each of its lines is stored once: none
 * lost, none twice, while the engine's answers overlap, repeat lines, list them out of order and
 * hold several lines with one timestamp.
 *
 * <p>The cursor is the latest timestamp taken, {@code T}. The next request asks for {@code
 * since = T - lookback}, which the engine is taken to answer inclusively: with every line it
 * holds stamped at or after that time (perhaps more, earlier ones too, in any order). Lines
 * before {@code T - lookback} are dropped: they were all taken when the cursor passed them.
 * The cursor counts the lines taken in the window {@code [T - lookback, T]} by their key (the
 * timestamp with the engine's line {@code id} when it gives one, else the timestamp, level and
 * message), and of the lines an answer holds with one key it takes only those beyond the count:
 * an answer listing a key three times of which two were taken yields the third, the last in
 * the answer's order. So a line the engine added at the cursor's own timestamp after the last
 * read is taken, and the lines already taken at that timestamp are not taken again. Two
 * genuinely identical lines (same timestamp, level and message, no id) are two lines; with ids,
 * an id listed twice in one answer is one line. The lines taken are stored in timestamp order,
 * those with one timestamp in the answer's order.
 *
 * <p>What it relies on: each answer is complete for {@code since} (it lists each line at or
 * after it as many times as the engine holds it, or, with ids, at least once), and the engine
 * never adds a line stamped more than {@code lookback} before the latest one it has served. A
 * lookback of zero (the default) is exact for an engine that stamps lines as it stores them; a
 * longer one also catches lines stored late with an earlier stamp, for the cost of reading
 * the window again each time. Not thread-safe: one follow-up step uses it at a time.
 */
final class LogCursor {
  /** A line's identity: {@code id} when the engine gives one, else level and message. */
  private record Key(Instant time, String id, LogLevel level, String message) {
    static Key of(EngineLogLine line) {
      return line.id().isPresent() ? new Key(line.timestamp(), line.id().get(), null, null)
          : new Key(line.timestamp(), null, line.level(), line.message());
    }
  }

  private final Duration lookback;
  private final Map<Key, Integer> taken = new HashMap<>();
  private Instant cursor;
  private String cursorText;

  LogCursor(Duration lookback) {
    this.lookback = lookback;
  }

  /** The {@code since} of the next request; empty before any line was taken. */
  Optional<String> since() {
    if (cursor == null) {
      return Optional.empty();
    }
    if (lookback.isZero()) {
      return Optional.of(cursorText); // as the engine wrote it: no format of ours to misread
    }
    Instant from = cursor.minus(lookback);
    return Optional.of(isNumber(cursorText) ? Long.toString(from.toEpochMilli())
        : from.toString());
  }

  /** The lines of {@code answer} not taken before, in the order to store them; takes them. */
  List<EngineLogLine> take(List<EngineLogLine> answer) {
    Instant from = cursor == null ? null : cursor.minus(lookback);
    List<EngineLogLine> lines = new ArrayList<>(answer.size());
    for (EngineLogLine line : answer) {
      if (from == null || !line.timestamp().isBefore(from)) {
        lines.add(line);
      }
    }
    lines.sort(Comparator.comparing(EngineLogLine::timestamp)); // stable: ties keep their order
    Map<Key, Integer> counted = new HashMap<>();
    List<EngineLogLine> fresh = new ArrayList<>();
    for (EngineLogLine line : lines) {
      Key key = Key.of(line);
      int n = counted.merge(key, 1, Integer::sum);
      if (key.id() != null && n > 1) {
        continue; // an id listed twice in one answer is one line
      }
      if (n > taken.getOrDefault(key, 0)) {
        fresh.add(line);
      }
    }
    counted.forEach((key, n) -> taken.merge(key, key.id() != null ? 1 : n, Math::max));
    if (!lines.isEmpty()) {
      EngineLogLine last = lines.get(lines.size() - 1);
      if (cursor == null || last.timestamp().isAfter(cursor)) {
        cursor = last.timestamp();
        cursorText = last.rawTimestamp();
      }
      Instant keep = cursor.minus(lookback);
      taken.keySet().removeIf(k -> k.time().isBefore(keep));
    }
    return fresh;
  }

  private static boolean isNumber(String text) {
    return !text.isEmpty() && (Character.isDigit(text.charAt(0)) || text.charAt(0) == '-')
        && text.chars().noneMatch(c -> c == ':' || c == 'T');
  }
}
