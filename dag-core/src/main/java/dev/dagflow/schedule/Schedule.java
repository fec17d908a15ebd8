package dev.dagflow.schedule;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.Ids;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.json.internal.Json;
import dev.dagflow.schedule.internal.CronTimes;
import dev.dagflow.trigger.OverlapPolicy;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.Optional;

/**
 * A rule that starts a run of a template at the fire times of a cron expression in a time zone:
 * the project it belongs to, the target template (a fixed version or the latest), the run
 * parameters, whether it is enabled, what a fire time does while the previous run is still
 * active ({@link #overlap()}) and what the fire times missed while no engine ran do ({@link
 * #misfire()}).
 *
 * <p>The cron expression is of the UNIX dialect, 5 fields (minute, hour, day of month, month,
 * day of week: {@code 30 2 * * *}, {@code *}{@code /5 * * * *}, {@code 0 9 * * MON-FRI}),
 * parsed by cron-utils; seconds, years, {@code ?}, {@code L}, {@code W}, {@code #} and
 * nicknames such as {@code @daily} are refused. Fire times are computed in {@link #zone()}
 * (UTC by default), with what a change of offset does described in {@code docs/schedules.md}:
 * a wall time skipped in spring fires at the same instant it would have without the change, a
 * fixed wall time repeated in autumn fires once, and a step over minutes fires every step of
 * elapsed time.
 *
 * <p>Immutable and thread-safe; equal when every field is equal. No method accepts or returns
 * {@code null}. What a schedule has done is kept by the {@link dev.dagflow.store.ScheduleStore}
 * ({@link ScheduleState}), not here.
 */
public final class Schedule {
  /** The largest {@link #misfireLimit()}: a catch-up of more runs is a backfill, not a misfire. */
  public static final int MAX_MISFIRE_LIMIT = 1000;
  /** The default {@link #misfireLimit()}. */
  public static final int DEFAULT_MISFIRE_LIMIT = 10;

  private final String id;
  private final String project;
  private final String templateName;
  private final Integer templateVersion;
  private final CronTimes cron;
  private final ZoneId zone;
  private final ObjectNode params;
  private final boolean enabled;
  private final OverlapPolicy overlap;
  private final MisfirePolicy misfire;
  private final int misfireLimit;

  private Schedule(Builder b) {
    id = b.id;
    project = b.project;
    templateName = b.templateName;
    templateVersion = b.templateVersion;
    cron = b.cron;
    zone = b.zone;
    params = b.params.deepCopy();
    enabled = b.enabled;
    overlap = b.overlap;
    misfire = b.misfire;
    misfireLimit = b.misfireLimit;
  }

  /**
   * A builder for the schedule {@code id}.
   *
   * @throws NullPointerException if {@code id} is {@code null}
   * @throws InvalidScheduleException naming {@code id} if it does not match {@code
   *     [A-Za-z0-9_.:-]{1,128}}
   */
  public static Builder builder(String id) {
    return new Builder(checkId("id", id));
  }

  /** A builder holding this schedule's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.project = project;
    b.templateName = templateName;
    b.templateVersion = templateVersion;
    b.cron = cron;
    b.zone = zone;
    b.params = params.deepCopy();
    b.enabled = enabled;
    b.overlap = overlap;
    b.misfire = misfire;
    b.misfireLimit = misfireLimit;
    return b;
  }

  public String id() {
    return id;
  }

  /** The project the schedule's runs belong to; empty for a global schedule. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** The name of the template a fire time starts. */
  public String templateName() {
    return templateName;
  }

  /** The template version a fire time starts; empty for the latest at that time. */
  public Optional<Integer> templateVersion() {
    return Optional.ofNullable(templateVersion);
  }

  /** The cron expression, as given (UNIX dialect, 5 fields). */
  public String cron() {
    return cron.expression();
  }

  /** The zone the cron expression is read in; UTC by default. */
  public ZoneId zone() {
    return zone;
  }

  /** The parameters of every run the schedule starts: a copy the caller owns; empty if none. */
  public ObjectNode params() {
    return params.deepCopy();
  }

  /** Whether the schedule fires; true by default. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * What a fire time does while a run the schedule started is still active: {@link
   * OverlapPolicy#ALLOW} (default), {@link OverlapPolicy#SKIP} or {@link
   * OverlapPolicy#CANCEL_PREVIOUS}.
   */
  public OverlapPolicy overlap() {
    return overlap;
  }

  /**
   * What the fire times missed while no engine ran do; {@link MisfirePolicy#RUN_ONCE} by
   * default.
   */
  public MisfirePolicy misfire() {
    return misfire;
  }

  /**
   * The most runs {@link MisfirePolicy#RUN_ALL} starts for missed fire times (1 to {@value
   * #MAX_MISFIRE_LIMIT}, default {@value #DEFAULT_MISFIRE_LIMIT}); ignored by the other policies.
   */
  public int misfireLimit() {
    return misfireLimit;
  }

  /**
   * The first fire time strictly after {@code after}; empty if the expression never fires again
   * (it names a day that never comes, {@code 0 0 31 2 *}).
   */
  public Optional<Instant> nextFireTime(Instant after) {
    return cron.next(Objects.requireNonNull(after, "after"), zone);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Schedule s && id.equals(s.id) && Objects.equals(project, s.project)
        && templateName.equals(s.templateName)
        && Objects.equals(templateVersion, s.templateVersion)
        && cron.expression().equals(s.cron.expression()) && zone.equals(s.zone)
        && params.equals(s.params) && enabled == s.enabled && overlap == s.overlap
        && misfire == s.misfire && misfireLimit == s.misfireLimit;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, project, templateName, templateVersion, cron.expression(), zone,
        params, enabled, overlap, misfire, misfireLimit);
  }

  @Override
  public String toString() {
    return "Schedule{" + id + (project == null ? "" : " project=" + project) + " '"
        + cron.expression() + "' " + zone + " -> " + templateName
        + (templateVersion == null ? "" : " v" + templateVersion)
        + (params.isEmpty() ? "" : " params=" + params) + (enabled ? "" : " disabled")
        + (overlap == OverlapPolicy.ALLOW ? "" : " overlap=" + overlap) + " misfire=" + misfire
        + (misfire == MisfirePolicy.RUN_ALL ? "(" + misfireLimit + ")" : "") + "}";
  }

  private static String checkId(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!Ids.isValid(value)) {
      throw new InvalidScheduleException(field, "must match " + Ids.PATTERN + ", was '" + value
          + "'");
    }
    return value;
  }

  /**
   * Builds a {@link Schedule}. Each setter checks its value and throws {@link
   * InvalidScheduleException} naming the field; {@code null} arguments throw {@link
   * NullPointerException}. The template and the cron expression are required. Not thread-safe;
   * {@link #build()} shares nothing with the builder.
   */
  public static final class Builder {
    private final String id;
    private String project;
    private String templateName;
    private Integer templateVersion;
    private CronTimes cron;
    private ZoneId zone = ZoneOffset.UTC;
    private ObjectNode params = JsonNodeFactory.instance.objectNode();
    private boolean enabled = true;
    private OverlapPolicy overlap = OverlapPolicy.ALLOW;
    private MisfirePolicy misfire = MisfirePolicy.RUN_ONCE;
    private int misfireLimit = DEFAULT_MISFIRE_LIMIT;

    private Builder(String id) {
      this.id = id;
    }

    /** The project the schedule's runs belong to; without one the schedule is global. */
    public Builder project(String project) {
      this.project = checkId("project", project);
      return this;
    }

    /** Makes the schedule global. */
    public Builder global() {
      this.project = null;
      return this;
    }

    /** Targets the latest version of template {@code name}, as it is at each fire time. */
    public Builder template(String name) {
      this.templateName = checkId("template", name);
      this.templateVersion = null;
      return this;
    }

    /** Targets version {@code version} (from 1) of template {@code name}. */
    public Builder template(String name, int version) {
      if (version < 1) {
        throw new InvalidScheduleException("templateVersion", "must be at least 1, was "
            + version);
      }
      this.templateName = checkId("template", name);
      this.templateVersion = version;
      return this;
    }

    /**
     * The cron expression, UNIX dialect (5 fields); required.
     *
     * @throws InvalidScheduleException naming {@code cron}, with cron-utils' reason, if it is
     *     not a valid expression, or if it never fires (it names a day that never comes)
     */
    public Builder cron(String expression) {
      Objects.requireNonNull(expression, "cron");
      CronTimes parsed;
      try {
        parsed = CronTimes.parse(expression);
      } catch (IllegalArgumentException e) {
        throw new InvalidScheduleException("cron", "'" + expression + "' is not a UNIX cron "
            + "expression (minute hour day-of-month month day-of-week): " + e.getMessage(), e);
      }
      if (parsed.next(Instant.EPOCH, ZoneOffset.UTC).isEmpty()) {
        throw new InvalidScheduleException("cron", "'" + expression + "' never fires");
      }
      this.cron = parsed;
      return this;
    }

    /** The zone the cron expression is read in; UTC by default. */
    public Builder zone(ZoneId zone) {
      this.zone = Objects.requireNonNull(zone, "zone");
      return this;
    }

    /**
     * The zone the cron expression is read in, by id ({@code Europe/Berlin}, {@code UTC},
     * {@code +02:00}).
     *
     * @throws InvalidScheduleException naming {@code zone} if it is not a zone id
     */
    public Builder zone(String zoneId) {
      Objects.requireNonNull(zoneId, "zone");
      try {
        return zone(ZoneId.of(zoneId));
      } catch (DateTimeException e) {
        throw new InvalidScheduleException("zone", "'" + zoneId + "' is not a time zone id: "
            + e.getMessage(), e);
      }
    }

    /**
     * The parameters of every run; a copy is kept.
     *
     * @throws InvalidScheduleException naming {@code params} (and the path inside) if the value
     *     breaks {@link JsonLimits}
     */
    public Builder params(ObjectNode params) {
      Objects.requireNonNull(params, "params");
      try {
        this.params = Json.canonicalCopy(params, "params", 1);
      } catch (InvalidJsonException e) {
        throw new InvalidScheduleException("params", e.getMessage(), e);
      }
      return this;
    }

    /** Whether the schedule fires; true by default. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /**
     * What a fire time does while the previous run is still active.
     *
     * @throws InvalidScheduleException naming {@code overlap} for {@link
     *     OverlapPolicy#QUEUE_ONE}, which schedules do not offer
     */
    public Builder overlap(OverlapPolicy overlap) {
      Objects.requireNonNull(overlap, "overlap");
      if (overlap == OverlapPolicy.QUEUE_ONE) {
        throw new InvalidScheduleException("overlap", "QUEUE_ONE is not offered for schedules: "
            + "use SKIP (the next fire time runs), ALLOW or CANCEL_PREVIOUS");
      }
      this.overlap = overlap;
      return this;
    }

    /** What the fire times missed while no engine ran do. */
    public Builder misfire(MisfirePolicy misfire) {
      this.misfire = Objects.requireNonNull(misfire, "misfire");
      return this;
    }

    /**
     * {@link MisfirePolicy#RUN_ALL} with at most {@code limit} runs.
     *
     * @throws InvalidScheduleException naming {@code misfireLimit} unless 1 to {@value
     *     #MAX_MISFIRE_LIMIT}
     */
    public Builder misfireRunAll(int limit) {
      misfireLimit(limit);
      this.misfire = MisfirePolicy.RUN_ALL;
      return this;
    }

    /**
     * The most runs {@link MisfirePolicy#RUN_ALL} starts.
     *
     * @throws InvalidScheduleException naming {@code misfireLimit} unless 1 to {@value
     *     #MAX_MISFIRE_LIMIT}
     */
    public Builder misfireLimit(int limit) {
      if (limit < 1 || limit > MAX_MISFIRE_LIMIT) {
        throw new InvalidScheduleException("misfireLimit", "must be 1 to " + MAX_MISFIRE_LIMIT
            + ", was " + limit);
      }
      this.misfireLimit = limit;
      return this;
    }

    /**
     * The schedule.
     *
     * @throws InvalidScheduleException naming {@code template} or {@code cron} if not set
     */
    public Schedule build() {
      if (templateName == null) {
        throw new InvalidScheduleException("template", "is required");
      }
      if (cron == null) {
        throw new InvalidScheduleException("cron", "is required");
      }
      return new Schedule(this);
    }
  }
}
