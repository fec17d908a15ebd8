package dev.dagflow.schedule.internal;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import java.util.Objects;
import java.util.Optional;

/**
 * A parsed cron expression of the UNIX dialect (5 fields: minute, hour, day of month, month, day
 * of week) with the fire times it gives in a zone, through cron-utils. What cron-utils does
 * across a change of offset is kept, but for one gap: a wall time skipped by a spring-forward
 * change (02:30 in Europe/Berlin on the last Sunday of March) would never fire that day, so it
 * is read in the offset before the change instead (02:30 CET, which is 03:30 CEST), as {@code
 * java.time} resolves a local time in a gap; a fire time that falls on one the schedule has
 * anyway is one fire time. A repeated wall time in the autumn fires in each pass when its hour
 * field is a wildcard or a step ({@code *}{@code /5 * * * *}: every 5 minutes of elapsed time),
 * and once, in the first pass, for a fixed hour ({@code 30 2 * * *}). Immutable and
 * thread-safe.
 */
public final class CronTimes {
  private static final CronParser PARSER =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));

  private final String expression;
  private final ExecutionTime times;

  private CronTimes(String expression, ExecutionTime times) {
    this.expression = expression;
    this.times = times;
  }

  /**
   * Parses {@code expression}.
   *
   * @throws IllegalArgumentException with cron-utils' reason if it is not a valid UNIX cron
   *     expression
   */
  public static CronTimes parse(String expression) {
    Objects.requireNonNull(expression, "expression");
    Cron cron;
    try {
      cron = PARSER.parse(expression.strip()).validate();
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) { // cron-utils' own failures on odd input: still bad input
      throw new IllegalArgumentException(String.valueOf(e.getMessage()), e);
    }
    return new CronTimes(expression, ExecutionTime.forCron(cron));
  }

  /** The expression as given. */
  public String expression() {
    return expression;
  }

  /**
   * The first fire time strictly after {@code after} in {@code zone}; empty if there is none (a
   * day that never comes, {@code 0 0 31 2 *}).
   */
  public Optional<Instant> next(Instant after, ZoneId zone) {
    Optional<Instant> regular = times.nextExecution(after.atZone(zone))
        .map(ZonedDateTime::toInstant);
    Optional<Instant> inGap = nextInGap(after, zone, regular);
    if (inGap.isPresent() && (regular.isEmpty() || inGap.get().isBefore(regular.get()))) {
      return inGap;
    }
    return regular;
  }

  /**
   * The first wall time skipped by a gap between {@code after} and {@code regular} that the
   * expression has, read in the offset before its gap.
   */
  private Optional<Instant> nextInGap(Instant after, ZoneId zone, Optional<Instant> regular) {
    ZoneRules rules = zone.getRules();
    if (rules.isFixedOffset()) {
      return Optional.empty();
    }
    // a gap's wall times are read in the offset before it, so they fall within a gap's length
    // (hours, a day at most) after its instant: a gap just before after may still hold one
    ZoneOffsetTransition t = rules.nextTransition(after.minus(Duration.ofDays(1)));
    while (t != null && (regular.isEmpty() || !t.getInstant().isAfter(regular.get()))) {
      if (t.isGap()) {
        LocalDateTime gapStart = t.getDateTimeBefore();
        ZonedDateTime from = after.atZone(t.getOffsetBefore());
        ZonedDateTime before = gapStart.minusNanos(1).atZone(t.getOffsetBefore());
        Optional<ZonedDateTime> match = times.nextExecution(from.isAfter(before) ? from : before);
        if (match.isPresent() && match.get().toLocalDateTime().isBefore(t.getDateTimeAfter())) {
          return Optional.of(match.get().toInstant());
        }
      }
      if (regular.isEmpty()) {
        return Optional.empty(); // no regular time: one look at the next change is enough
      }
      t = rules.nextTransition(t.getInstant());
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return expression;
  }
}
