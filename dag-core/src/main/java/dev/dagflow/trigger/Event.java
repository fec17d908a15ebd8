package dev.dagflow.trigger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.Ids;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Something that happened, which may start runs through the {@link EventTrigger}s it matches:
 * an id, a type ({@code asset_created}, {@code run.completed}, any non-blank string), the
 * project it belongs to (if any), a JSON payload, the time it happened, what caused it and how
 * deep in a chain of triggered runs it is.
 *
 * <p>A trigger's filter and its parameter mapping both read the whole event as {@link
 * #document()}, so their paths start at one of its fields: {@code {"payload.asset.type":
 * ["domain", "ip"], "project": "acme"}} (see {@link dev.dagflow.filter.Filter}, "What a filter
 * sees").
 *
 * <p>The time is optional when building: an event emitted without one is stamped by the engine
 * with its clock ({@link #withTime}); nothing here reads the system clock.
 *
 * <p>Immutable and thread-safe. No method accepts or returns {@code null}; absent values are
 * empty {@link Optional}s. The payload is copied in (in canonical form, see {@link
 * dev.dagflow.json.internal.Json}) and out.
 */
public final class Event {
  /** The longest id or cause accepted, in characters. */
  public static final int MAX_ID_LENGTH = 256;

  /** The largest payload accepted: its compact JSON text, in UTF-8 bytes (1 MiB). */
  public static final int MAX_PAYLOAD_BYTES = 1 << 20;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String id;
  private final String type;
  private final String project;
  private final ObjectNode payload;
  private final Instant time;
  private final String cause;
  private final int depth;
  /** The document with the payload shared, built on first use; never handed out. */
  private volatile ObjectNode documentView;

  private Event(String id, String type, String project, ObjectNode payload, Instant time,
      String cause, int depth) {
    this.id = id;
    this.type = type;
    this.project = project;
    this.payload = payload;
    this.time = time;
    this.cause = cause;
    this.depth = depth;
  }

  /**
   * A builder for an event of {@code type}.
   *
   * @throws InvalidEventException naming {@code type} if it is {@code null} or blank
   */
  public static Builder builder(String type) {
    return new Builder(type);
  }

  /** A builder holding this event's values (and its id). */
  public Builder toBuilder() {
    Builder b = new Builder(type);
    b.id = id;
    b.project = project;
    b.payload = payload;
    b.time = time;
    b.cause = cause;
    b.depth = depth;
    return b;
  }

  /** This event with its time set to {@code time}, for the engine to stamp an event on emit. */
  public Event withTime(Instant time) {
    Objects.requireNonNull(time, "time");
    return new Event(id, type, project, payload, time, cause, depth);
  }

  /** The event's id; a random UUID unless the builder was given one. */
  public String id() {
    return id;
  }

  public String type() {
    return type;
  }

  /** The project the event belongs to; empty for an event of no project. */
  public Optional<String> project() {
    return Optional.ofNullable(project);
  }

  /** The project or {@code null}, for matching in this package. */
  String projectOrNull() {
    return project;
  }

  /** A copy of the payload; {@code {}} when none was given. */
  public ObjectNode payload() {
    return payload.deepCopy();
  }

  /** When the event happened; empty until set or stamped by the engine. */
  public Optional<Instant> time() {
    return Optional.ofNullable(time);
  }

  /** The id of the event or run that caused this one; empty for an external event. */
  public Optional<String> cause() {
    return Optional.ofNullable(cause);
  }

  /** How many triggered runs lead to this event: 0 for an external event. */
  public int depth() {
    return depth;
  }

  /**
   * The event as the JSON document a trigger's filter and parameter mapping read: {@code {"id",
   * "type", "project", "payload", "time", "cause", "depth"}}, where {@code project}, {@code
   * time} (ISO-8601 text) and {@code cause} are left out when empty and {@code depth} is a
   * number. A new copy on every call.
   */
  public ObjectNode document() {
    return document(true);
  }

  /** The document, built once with the payload shared, for matching here; never modified. */
  JsonNode documentView() {
    ObjectNode view = documentView;
    if (view == null) {
      view = document(false);
      documentView = view; // a race builds two equal views: harmless
    }
    return view;
  }

  /** The document, sharing the payload when {@code copyPayload} is false. */
  ObjectNode document(boolean copyPayload) {
    ObjectNode doc = NODES.objectNode();
    doc.put("id", id);
    doc.put("type", type);
    if (project != null) {
      doc.put("project", project);
    }
    doc.set("payload", copyPayload ? payload.deepCopy() : payload);
    if (time != null) {
      doc.put("time", time.toString());
    }
    if (cause != null) {
      doc.put("cause", cause);
    }
    doc.put("depth", depth);
    return doc;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Event e && id.equals(e.id) && type.equals(e.type)
        && Objects.equals(project, e.project) && payload.equals(e.payload)
        && Objects.equals(time, e.time) && Objects.equals(cause, e.cause) && depth == e.depth;
  }

  @Override
  public int hashCode() {
    return Objects.hash(id, type, project, payload, time, cause, depth);
  }

  /** The id, type, project, time, cause and depth; not the payload, which may be large. */
  @Override
  public String toString() {
    return "Event{" + id + " type=" + type + (project == null ? "" : " project=" + project)
        + (time == null ? "" : " time=" + time) + (cause == null ? "" : " cause=" + cause)
        + (depth == 0 ? "" : " depth=" + depth) + "}";
  }

  /**
   * Builds an {@link Event}. Each setter checks its value and throws {@link
   * InvalidEventException} naming the field; {@code null} arguments throw {@link
   * NullPointerException}. Not thread-safe; {@link #build()} shares nothing with the builder.
   */
  public static final class Builder {
    private final String type;
    private String id;
    private String project;
    private ObjectNode payload;
    private Instant time;
    private String cause;
    private int depth;

    private Builder(String type) {
      if (type == null || type.isBlank()) {
        throw new InvalidEventException("type", type == null ? "is required"
            : "must not be blank");
      }
      this.type = type;
    }

    /** The event's id, at most 256 characters and not blank; by default a random UUID. */
    public Builder id(String id) {
      this.id = checkId("id", id);
      return this;
    }

    /** The project the event belongs to, matching {@code [A-Za-z0-9_.:-]{1,128}}. */
    public Builder project(String project) {
      Objects.requireNonNull(project, "project");
      if (!Ids.isValid(project)) {
        throw new InvalidEventException("project", "must match " + Ids.PATTERN + ", was '"
            + project + "'");
      }
      this.project = project;
      return this;
    }

    /**
     * The payload, copied now. Its compact JSON text may be at most {@link #MAX_PAYLOAD_BYTES}
     * bytes of UTF-8.
     *
     * @throws InvalidEventException naming {@code payload} (and the path in it) if it is too
     *     large, breaks a {@link dev.dagflow.json.JsonLimits} limit at the level it sits in the
     *     {@link #document() event document}, holds a number that is not finite or a value that
     *     is not JSON (a POJO or missing node)
     */
    public Builder payload(ObjectNode payload) {
      Objects.requireNonNull(payload, "payload");
      // checked before it is measured or copied, so that each step costs linear time at most
      // and a huge payload is never copied
      try {
        Json.check(payload, "payload", NativeDepths.PAYLOAD_DEPTH);
        checkSize(payload);
        this.payload = Json.canonicalCopy(payload, "payload", NativeDepths.PAYLOAD_DEPTH);
      } catch (InvalidJsonException e) {
        throw new InvalidEventException(e.path(), e.problem(), e);
      }
      return this;
    }

    /** When the event happened; if not set, the engine stamps the event when it is emitted. */
    public Builder time(Instant time) {
      this.time = Objects.requireNonNull(time, "time");
      return this;
    }

    /** The id of the event or run that caused this event: not blank, at most 256 characters. */
    public Builder cause(String cause) {
      this.cause = checkId("cause", cause);
      return this;
    }

    /** How many triggered runs lead to this event; 0 (the default) for an external event. */
    public Builder depth(int depth) {
      if (depth < 0) {
        throw new InvalidEventException("depth", "must not be negative, was " + depth);
      }
      this.depth = depth;
      return this;
    }

    /** The event; an id is drawn now if none was set. */
    public Event build() {
      return new Event(id == null ? UUID.randomUUID().toString() : id, type, project,
          payload == null ? NODES.objectNode() : payload, time, cause, depth);
    }

    private static String checkId(String field, String value) {
      Objects.requireNonNull(value, field);
      if (value.isBlank() || value.length() > MAX_ID_LENGTH) {
        throw new InvalidEventException(field, "must be non-blank and at most " + MAX_ID_LENGTH
            + " characters, was " + (value.isBlank() ? "blank" : value.length() + " characters"));
      }
      return value;
    }

    private static void checkSize(ObjectNode payload) {
      SizeLimit out = new SizeLimit();
      try {
        Json.MAPPER.writeValue(out, payload);
      } catch (IOException e) {
        if (!out.exceeded) {
          throw new InvalidEventException("payload", "cannot be written as JSON: "
              + e.getMessage(), e);
        }
      }
      if (out.exceeded) {
        throw new InvalidEventException("payload", "is larger than " + MAX_PAYLOAD_BYTES
            + " bytes of JSON");
      }
    }
  }

  /** Counts bytes and stops the writer once past the limit, so a huge payload is not copied. */
  private static final class SizeLimit extends OutputStream {
    private long count;
    private boolean exceeded;

    @Override
    public void write(int b) throws IOException {
      add(1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      add(len);
    }

    private void add(int n) throws IOException {
      count += n;
      if (count > MAX_PAYLOAD_BYTES) {
        exceeded = true;
        throw new IOException("payload larger than " + MAX_PAYLOAD_BYTES + " bytes");
      }
    }
  }
}
