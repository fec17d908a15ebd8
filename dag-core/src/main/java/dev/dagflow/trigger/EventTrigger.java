package dev.dagflow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.filter.Filter;
import dev.dagflow.filter.FilterException;
import dev.dagflow.internal.FilterDocument;
import dev.dagflow.internal.Ids;
import dev.dagflow.json.internal.JsonPath;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A rule that starts a run of a template when a matching {@link Event} is emitted: the event
 * type it listens to, a {@link Filter} over the event, the project it belongs to, the
 * target template (a fixed version or the latest), how run parameters are taken from the event,
 * whether it is enabled, and what to do while its previous run is still active.
 *
 * <p>A trigger with a project sees only the events of that project; a global trigger (no
 * project) sees the events of every project and those of none.
 *
 * <p>The filter and the parameter mapping read the same document, the whole {@link
 * Event#document()} ({@code id}, {@code type}, {@code project}, {@code payload}, {@code time},
 * {@code cause}, {@code depth}): the filter {@code {"payload.asset.type": ["domain", "ip"]}}
 * matches an event whose payload's {@code asset.type} is {@code "domain"} or {@code "ip"}, and
 * the mapping {@code {"domain": "payload.domain"}} passes the payload's {@code domain} as the run
 * parameter {@code domain}. A path that starts elsewhere ({@code asset.type}) is refused by the
 * builder (see {@link Filter}, "What a filter sees"). {@link
 * TriggerRegistry#explain(EventTrigger, Event)} tests a trigger against a sample event before
 * it is saved.
 *
 * <p>Immutable and thread-safe; equal when every field is equal. No method accepts or returns
 * {@code null}. Counters are kept by the {@link dev.dagflow.store.TriggerStore}, not here.
 */
public final class EventTrigger {
  private final String id;
  private final String project;
  private final String eventType;
  private final Filter filter;
  private final String templateName;
  private final Integer templateVersion;
  /** Parameter name to path into the event document, by parameter name. */
  private final Map<String, JsonPath> mapping;
  private final boolean enabled;
  private final OverlapPolicy overlap;

  private EventTrigger(Builder b) {
    id = b.id;
    project = b.project;
    eventType = b.eventType;
    filter = b.filter;
    templateName = b.templateName;
    templateVersion = b.templateVersion;
    mapping = Collections.unmodifiableMap(new LinkedHashMap<>(b.mapping));
    enabled = b.enabled;
    overlap = b.overlap;
  }

  /**
   * A builder for the trigger {@code id}.
   *
   * @throws NullPointerException if {@code id} is {@code null}
   * @throws InvalidTriggerException naming {@code id} if it does not match {@code
   *     [A-Za-z0-9_.:-]{1,128}}
   */
  public static Builder builder(String id) {
    return new Builder(checkId("id", id));
  }

  /** A builder holding this trigger's values. */
  public Builder toBuilder() {
    Builder b = new Builder(id);
    b.project = project;
    b.eventType = eventType;
    b.filter = filter;
    b.templateName = templateName;
    b.templateVersion = templateVersion;
    b.mapping.putAll(mapping);
    b.enabled = enabled;
    b.overlap = overlap;
    return b;
  }

  public String id() {
    return id;
  }

  /** The project whose events the trigger sees; empty for a global trigger, which sees all. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** The type of the events the trigger listens to. */
  public String eventType() {
    return eventType;
  }

  /** The filter over the {@link Event#document()}; {@link Filter#always()} unless one was set. */
  public Filter filter() {
    return filter;
  }

  /** The name of the template a match starts. */
  public String templateName() {
    return templateName;
  }

  /** The template version a match starts; empty for the latest version at the time of the match. */
  public Optional<Integer> templateVersion() {
    return Optional.ofNullable(templateVersion);
  }

  /**
   * Run parameter name to dotted path into the {@link Event#document()}, by parameter name;
   * unmodifiable, empty when the run gets no parameters from the event.
   */
  public Map<String, String> mapping() {
    Map<String, String> text = new LinkedHashMap<>();
    mapping.forEach((param, path) -> text.put(param, path.toString()));
    return Collections.unmodifiableMap(text);
  }

  /** Whether the trigger fires; a disabled trigger matches nothing. True by default. */
  public boolean enabled() {
    return enabled;
  }

  /**
   * What a match does while the previous run is still active; {@link OverlapPolicy#ALLOW} by
   * default.
   */
  public OverlapPolicy overlap() {
    return overlap;
  }

  /**
   * Whether this trigger fires for {@code event}: it is enabled, its project rule admits the
   * event's project, the event types are equal and the filter matches the {@link
   * Event#document()}. This is what every {@link TriggerMatcher} computes, trigger by trigger.
   */
  public boolean matches(Event event) {
    return enabled && eventType.equals(event.type()) && admitsProjectOf(event)
        && filter.matches(event.documentView());
  }

  /** Whether the project rule admits the event: a global trigger, or the event's own project. */
  boolean admitsProjectOf(Event event) {
    return project == null || project.equals(event.projectOrNull());
  }

  /**
   * The run parameters this trigger's mapping takes from {@code event}: one field per mapped
   * parameter, a copy of the value at its path in {@link Event#document()}.
   *
   * @throws InvalidEventException naming {@code mapping.<param>} and the path if the path does
   *     not resolve in the event (JSON {@code null} resolves)
   */
  public ObjectNode mapParameters(Event event) {
    Objects.requireNonNull(event, "event");
    ObjectNode params = JsonNodeFactory.instance.objectNode();
    if (mapping.isEmpty()) {
      return params;
    }
    JsonNode document = event.documentView();
    for (Map.Entry<String, JsonPath> m : mapping.entrySet()) {
      JsonNode value = m.getValue().resolve(document);
      if (value.isMissingNode()) {
        throw new InvalidEventException("mapping." + m.getKey(), "path '" + m.getValue()
            + "' is missing in event " + event.id() + " (trigger " + id + ")");
      }
      params.set(m.getKey(), value.deepCopy());
    }
    return params;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EventTrigger t && id.equals(t.id) && Objects.equals(project, t.project)
        && eventType.equals(t.eventType) && filter.equals(t.filter)
        && templateName.equals(t.templateName)
        && Objects.equals(templateVersion, t.templateVersion) && mapping.equals(t.mapping)
        && enabled == t.enabled && overlap == t.overlap;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, project, eventType, filter, templateName, templateVersion, mapping,
        enabled, overlap);
  }

  @Override
  public String toString() {
    return "EventTrigger{" + id + (project == null ? "" : " project=" + project) + " on "
        + eventType + " " + filter + " -> " + templateName
        + (templateVersion == null ? "" : " v" + templateVersion)
        + (mapping.isEmpty() ? "" : " mapping=" + mapping()) + (enabled ? "" : " disabled")
        + (overlap == OverlapPolicy.ALLOW ? "" : " overlap=" + overlap) + "}";
  }

  private static String checkId(String field, String value) {
    Objects.requireNonNull(value, field);
    if (!Ids.isValid(value)) {
      throw new InvalidTriggerException(field, "must match " + Ids.PATTERN + ", was '" + value
          + "'");
    }
    return value;
  }

  /**
   * Builds an {@link EventTrigger}. Each setter checks its value and throws {@link
   * InvalidTriggerException} naming the field; {@code null} arguments throw {@link
   * NullPointerException}. The event type and the template are required. Not thread-safe;
   * {@link #build()} shares nothing with the builder.
   */
  public static final class Builder {
    private final String id;
    private String project;
    private String eventType;
    private Filter filter = Filter.always();
    private String templateName;
    private Integer templateVersion;
    private final Map<String, JsonPath> mapping = new TreeMap<>();
    private boolean enabled = true;
    private OverlapPolicy overlap = OverlapPolicy.ALLOW;

    private Builder(String id) {
      this.id = id;
    }

    /** The project whose events the trigger sees; without one the trigger is global. */
    public Builder project(String project) {
      this.project = checkId("project", project);
      return this;
    }

    /** Makes the trigger global: it sees the events of every project. */
    public Builder global() {
      this.project = null;
      return this;
    }

    /** The type of the events the trigger listens to; required, not blank. */
    public Builder eventType(String eventType) {
      Objects.requireNonNull(eventType, "eventType");
      if (eventType.isBlank()) {
        throw new InvalidTriggerException("eventType", "must not be blank");
      }
      this.eventType = eventType;
      return this;
    }

    /**
     * The filter over the {@link Event#document()}: its paths start with {@code payload}, {@code
     * project}, {@code type} or another field of the event.
     *
     * @throws InvalidTriggerException naming {@code filter}, the trigger and the path, if a path
     *     starts elsewhere (as {@code asset.type} for {@code payload.asset.type})
     */
    public Builder filter(Filter filter) {
      Objects.requireNonNull(filter, "filter");
      List<String> outside = FilterDocument.EVENT.outside(filter.paths());
      if (!outside.isEmpty()) {
        throw new InvalidTriggerException("filter", "trigger '" + id + "': "
            + FilterDocument.EVENT.problem(outside.get(0)));
      }
      this.filter = filter;
      return this;
    }

    /**
     * The filter over the {@link Event#document()}, as JSON.
     *
     * @throws InvalidTriggerException naming {@code filter}, with the path of the problem in the
     *     message and the {@link FilterException} as its cause, if the filter is not valid, or
     *     as {@link #filter(Filter)} if a path starts outside the event
     */
    public Builder filter(JsonNode filter) {
      Objects.requireNonNull(filter, "filter");
      try {
        return filter(Filter.parse(filter));
      } catch (FilterException e) {
        throw invalidFilter(e);
      }
    }

    /**
     * The filter over the {@link Event#document()}, as JSON text.
     *
     * @throws InvalidTriggerException as {@link #filter(JsonNode)}, also for malformed JSON
     */
    public Builder filter(String filterJson) {
      Objects.requireNonNull(filterJson, "filter");
      try {
        return filter(Filter.parse(filterJson));
      } catch (FilterException e) {
        throw invalidFilter(e);
      }
    }

    private static InvalidTriggerException invalidFilter(FilterException e) {
      String where = e.path().isEmpty() ? "" : "at " + e.path() + ": ";
      return new InvalidTriggerException("filter", where + e.problem(), e);
    }

    /** Targets the latest version of template {@code name}, as it is when an event matches. */
    public Builder template(String name) {
      this.templateName = checkId("template", name);
      this.templateVersion = null;
      return this;
    }

    /** Targets version {@code version} (from 1) of template {@code name}. */
    public Builder template(String name, int version) {
      if (version < 1) {
        throw new InvalidTriggerException("templateVersion", "must be at least 1, was "
            + version);
      }
      this.templateName = checkId("template", name);
      this.templateVersion = version;
      return this;
    }

    /**
     * Passes the value at {@code path} in the {@link Event#document()} as run parameter {@code
     * param}, replacing an earlier mapping of {@code param}: {@code map("domain",
     * "payload.domain")}.
     *
     * @throws InvalidTriggerException naming {@code mapping} for a blank parameter name, or
     *     {@code mapping.<param>} for a path with an empty segment or one that starts outside the
     *     event (as {@code domain} for {@code payload.domain}), with the trigger and the path
     */
    public Builder map(String param, String path) {
      Objects.requireNonNull(param, "param");
      Objects.requireNonNull(path, "path");
      if (param.isBlank()) {
        throw new InvalidTriggerException("mapping", "parameter names must not be blank");
      }
      JsonPath parsed;
      try {
        parsed = JsonPath.parse(path);
      } catch (IllegalArgumentException e) {
        throw new InvalidTriggerException("mapping." + param, e.getMessage(), e);
      }
      if (!FilterDocument.EVENT.admits(path)) {
        throw new InvalidTriggerException("mapping." + param, "trigger '" + id + "': "
            + FilterDocument.EVENT.problem(path));
      }
      mapping.put(param, parsed);
      return this;
    }

    /** Replaces the whole parameter mapping, checking each entry as {@link #map} does. */
    public Builder mapping(Map<String, String> mapping) {
      Objects.requireNonNull(mapping, "mapping");
      Map<String, JsonPath> previous = new TreeMap<>(this.mapping);
      this.mapping.clear();
      try {
        mapping.forEach(this::map);
      } catch (RuntimeException e) {
        this.mapping.clear();
        this.mapping.putAll(previous);
        throw e;
      }
      return this;
    }

    /** Whether the trigger fires; true by default. */
    public Builder enabled(boolean enabled) {
      this.enabled = enabled;
      return this;
    }

    /** What a match does while the previous run is still active. */
    public Builder overlap(OverlapPolicy overlap) {
      this.overlap = Objects.requireNonNull(overlap, "overlap");
      return this;
    }

    /**
     * The trigger.
     *
     * @throws InvalidTriggerException naming {@code eventType} or {@code template} if not set
     */
    public EventTrigger build() {
      if (eventType == null) {
        throw new InvalidTriggerException("eventType", "is required");
      }
      if (templateName == null) {
        throw new InvalidTriggerException("template", "is required");
      }
      return new EventTrigger(this);
    }
  }
}
