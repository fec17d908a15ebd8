package dev.dagflow.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How long the stores keep what they would otherwise keep forever, and the purge that applies
 * it: ended runs (by age, with an age per project), log lines (by age), and the processed event
 * ids that make a trigger fire once per event (kept for a window, default 30 days). Nothing is
 * purged that the settings do not name. Runs an engine still runs are never purged; a purged
 * run's log goes with it.
 *
 * <pre>{@code
 * Retention retention = Retention.builder()
 *     .endedRuns(Duration.ofDays(30))              // every project...
 *     .endedRuns("audit", Duration.ofDays(365))    // ...but this one
 *     .logs(Duration.ofDays(14))
 *     .build();
 * DagEngine.builder().retention(retention)...      // purged every hour on the engine's timer
 * retention.purge(stores, Instant.now());          // or now, by hand
 * }</pre>
 *
 * <p>Immutable and thread-safe. A purge deletes in short chunks (of {@value #RUN_CHUNK} runs and
 * {@value #EVENT_CHUNK} event ids), so that a purge of millions of rows never holds a long
 * transaction, and may run while engines run.
 */
public final class Retention {
  /** Runs deleted per store operation. */
  public static final int RUN_CHUNK = 50;
  /** Processed event ids forgotten per store operation. */
  public static final int EVENT_CHUNK = 1_000;
  /** How long processed event ids are kept unless said otherwise. */
  public static final Duration DEFAULT_PROCESSED_EVENTS = Duration.ofDays(30);
  /** How often an engine purges unless said otherwise. */
  public static final Duration DEFAULT_EVERY = Duration.ofHours(1);

  private final Duration endedRuns;
  private final Map<String, Duration> endedRunsOf;
  private final Duration logs;
  private final Duration processedEvents;
  private final Duration every;

  private Retention(Builder b) {
    this.endedRuns = b.endedRuns;
    this.endedRunsOf = Collections.unmodifiableMap(new LinkedHashMap<>(b.endedRunsOf));
    this.logs = b.logs;
    this.processedEvents = b.processedEvents != null ? b.processedEvents
        : DEFAULT_PROCESSED_EVENTS;
    this.every = b.every != null ? b.every : DEFAULT_EVERY;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** How long an ended run of a project without an age of its own is kept; empty: forever. */
  public Optional<Duration> endedRuns() {
    return Optional.ofNullable(endedRuns);
  }

  /** The projects with an age of their own for ended runs; unmodifiable. */
  public Map<String, Duration> endedRunsByProject() {
    return endedRunsOf;
  }

  /** How long log lines are kept; empty: until their run is purged. */
  public Optional<Duration> logs() {
    return Optional.ofNullable(logs);
  }

  public Duration processedEvents() {
    return processedEvents;
  }

  /** How often an engine given this retention purges. */
  public Duration every() {
    return every;
  }

  /**
   * Purges {@code stores} as of {@code now}: the ended runs past their age (each project with an
   * age of its own first, then the others) with their logs, the log lines past theirs, and the
   * processed event ids past theirs.
   *
   * @throws StoreException if a store fails; what was purged before stays purged
   */
  public PurgeReport purge(Stores stores, Instant now) {
    Objects.requireNonNull(stores, "stores");
    Objects.requireNonNull(now, "now");
    long runs = 0;
    long lines = 0;
    for (Map.Entry<String, Duration> project : endedRunsOf.entrySet()) {
      long[] purged = purgeRuns(stores, EndedRuns.ofProject(project.getKey(),
          now.minus(project.getValue())));
      runs += purged[0];
      lines += purged[1];
    }
    if (endedRuns != null) {
      long[] purged = purgeRuns(stores, new EndedRuns(now.minus(endedRuns), Optional.empty(),
          endedRunsOf.keySet()));
      runs += purged[0];
      lines += purged[1];
    }
    if (logs != null) {
      lines += stores.logs().purgeBefore(now.minus(logs));
    }
    long events = 0;
    int forgotten;
    do {
      forgotten = stores.triggers().purgeProcessed(now.minus(processedEvents), EVENT_CHUNK);
      events += forgotten;
    } while (forgotten == EVENT_CHUNK);
    return new PurgeReport(runs, lines, events);
  }

  /** Purges the runs {@code which} names, chunk by chunk, with their logs. */
  private static long[] purgeRuns(Stores stores, EndedRuns which) {
    long runs = 0;
    long lines = 0;
    List<String> chunk;
    do {
      chunk = stores.runs().purgeEnded(which, RUN_CHUNK);
      runs += chunk.size();
      lines += stores.logs().deleteRuns(chunk);
    } while (chunk.size() == RUN_CHUNK);
    return new long[] {runs, lines};
  }

  @Override
  public String toString() {
    List<String> parts = new ArrayList<>();
    parts.add("endedRuns=" + (endedRuns == null ? "forever" : endedRuns));
    endedRunsOf.forEach((p, d) -> parts.add("endedRuns[" + p + "]=" + d));
    parts.add("logs=" + (logs == null ? "with their runs" : logs));
    parts.add("processedEvents=" + processedEvents);
    parts.add("every=" + every);
    return "Retention{" + String.join(", ", parts) + "}";
  }

  /** What a purge deleted. */
  public record PurgeReport(long runs, long logLines, long processedEvents) {}

  /** Settings of a {@link Retention}; each may be set once. Not thread-safe. */
  public static final class Builder {
    private Duration endedRuns;
    private final Map<String, Duration> endedRunsOf = new LinkedHashMap<>();
    private Duration logs;
    private Duration processedEvents;
    private Duration every;

    private Builder() {}

    /**
     * Ended runs (completed, failed, stopped) are deleted once they ended this long ago.
     *
     * @throws IllegalArgumentException naming {@code endedRuns} unless positive
     * @throws IllegalStateException if it was set already
     */
    public Builder endedRuns(Duration age) {
      once(endedRuns, "endedRuns");
      endedRuns = positive("endedRuns", age);
      return this;
    }

    /**
     * The ended runs of {@code project} are deleted once they ended this long ago, whatever
     * {@link #endedRuns(Duration)} says.
     *
     * @throws IllegalArgumentException naming {@code endedRuns} unless positive, or if the
     *     project is blank
     * @throws IllegalStateException if it was set already for this project
     */
    public Builder endedRuns(String project, Duration age) {
      Objects.requireNonNull(project, "project");
      if (project.isBlank()) {
        throw new IllegalArgumentException("endedRuns: the project must not be blank");
      }
      once(endedRunsOf.get(project), "endedRuns of project " + project);
      endedRunsOf.put(project, positive("endedRuns", age));
      return this;
    }

    /**
     * Log lines are deleted once they were written this long ago.
     *
     * @throws IllegalArgumentException naming {@code logs} unless positive
     * @throws IllegalStateException if it was set already
     */
    public Builder logs(Duration age) {
      once(logs, "logs");
      logs = positive("logs", age);
      return this;
    }

    /**
     * Processed event ids are forgotten once they were processed this long ago; default 30
     * days. An event delivered again later than that is not known as processed.
     *
     * @throws IllegalArgumentException naming {@code processedEvents} unless positive
     * @throws IllegalStateException if it was set already
     */
    public Builder processedEvents(Duration age) {
      once(processedEvents, "processedEvents");
      processedEvents = positive("processedEvents", age);
      return this;
    }

    /**
     * How often an engine given this retention purges; default one hour.
     *
     * @throws IllegalArgumentException naming {@code every} unless at least a second
     * @throws IllegalStateException if it was set already
     */
    public Builder every(Duration interval) {
      once(every, "every");
      Objects.requireNonNull(interval, "every");
      if (interval.compareTo(Duration.ofSeconds(1)) < 0) {
        throw new IllegalArgumentException("every must be at least 1s, was " + interval);
      }
      every = interval;
      return this;
    }

    public Retention build() {
      return new Retention(this);
    }

    private static Duration positive(String name, Duration age) {
      Objects.requireNonNull(age, name);
      if (age.isNegative() || age.isZero()) {
        throw new IllegalArgumentException(name + " must be positive, was " + age);
      }
      return age;
    }

    private static void once(Object value, String name) {
      if (value != null) {
        throw new IllegalStateException(name + " was already set to " + value);
      }
    }
  }
}
