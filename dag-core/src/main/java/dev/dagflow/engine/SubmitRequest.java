package dev.dagflow.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.internal.IdempotencyKeys;
import dev.dagflow.internal.Ids;
import dev.dagflow.internal.NativeDepths;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.JsonLimits;
import dev.dagflow.json.internal.Json;
import dev.dagflow.spec.DagSpec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * What to start a run of, and how: a spec, or a template by name (the latest version unless one
 * is given), the run's params, who asks, and an idempotency key that makes the start happen
 * once. The one way into {@link DagEngine#submit(SubmitRequest)}; the short forms of {@code
 * submit} build one.
 *
 * <pre>{@code
 * engine.submit(SubmitRequest.builder().template("scan").templateVersion(2)
 *     .params(params).operator("dana").build());
 * engine.submit(SubmitRequest.builder().template("scan").params(params)
 *     .idempotencyKey(requestId).build()); // sent twice, one run
 * }</pre>
 *
 * <p>Immutable and thread-safe; it shares nothing with its builder, and {@link #params()} hands
 * out a copy.
 */
public final class SubmitRequest {
  private final DagSpec spec;
  private final String template;
  private final Integer templateVersion;
  private final ObjectNode params;
  private final String operator;
  private final String idempotencyKey;
  private final IdempotencyStrategy idempotencyStrategy;
  private final List<String> targets;

  private SubmitRequest(Builder b) {
    spec = b.spec;
    template = b.template;
    templateVersion = b.templateVersion;
    params = b.params; // a canonical copy the builder only ever replaces, never changes
    operator = b.operator;
    idempotencyKey = b.idempotencyKey;
    idempotencyStrategy = b.idempotencyStrategy == null
        ? IdempotencyStrategy.RETURN_EXISTING : b.idempotencyStrategy;
    targets = List.copyOf(b.targets);
  }

  /** A builder with no spec, template or operator, and empty params. */
  public static Builder builder() {
    return new Builder();
  }

  /** A request for a run of {@code spec} with {@code params}. */
  public static SubmitRequest of(DagSpec spec, JsonNode params) {
    return builder().spec(spec).params(params).build();
  }

  /** The spec to run; empty when the request names a template. */
  public Optional<DagSpec> spec() {
    return Optional.ofNullable(spec);
  }

  /** The name of the template to run; empty when the request carries a spec. */
  public Optional<String> template() {
    return Optional.ofNullable(template);
  }

  /** The template version to run; empty for the latest (and for a spec). */
  public Optional<Integer> templateVersion() {
    return Optional.ofNullable(templateVersion);
  }

  /** A copy of the run's params; an empty object if none were given. */
  public ObjectNode params() {
    return params.deepCopy();
  }

  /** Who asks for the run, recorded in its history as {@code run.submit}; empty for no one. */
  public Optional<String> operator() {
    return Optional.ofNullable(operator);
  }

  /**
   * The key that makes this start happen once in the run's project (the global scope for a run
   * without one); empty for a run that may be started any number of times.
   */
  public Optional<String> idempotencyKey() {
    return Optional.ofNullable(idempotencyKey);
  }

  /**
   * What submit does when the {@link #idempotencyKey} names a run already; {@link
   * IdempotencyStrategy#RETURN_EXISTING} unless set (and without a key).
   */
  public IdempotencyStrategy idempotencyStrategy() {
    return idempotencyStrategy;
  }

  /**
   * The target nodes the run is limited to, over the spec's own ({@link DagSpec#targets()});
   * empty to keep the spec's.
   */
  public List<String> targets() {
    return targets;
  }

  /** A builder holding this request's values, to change some. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.spec = spec;
    b.template = template;
    b.templateVersion = templateVersion;
    b.params = params.deepCopy();
    b.operator = operator;
    b.idempotencyKey = idempotencyKey;
    b.idempotencyStrategy = idempotencyKey == null ? null : idempotencyStrategy;
    b.targets.addAll(targets);
    return b;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SubmitRequest r && Objects.equals(spec, r.spec)
        && Objects.equals(template, r.template)
        && Objects.equals(templateVersion, r.templateVersion) && params.equals(r.params)
        && Objects.equals(operator, r.operator) && Objects.equals(idempotencyKey, r.idempotencyKey)
        && idempotencyStrategy == r.idempotencyStrategy && targets.equals(r.targets);
  }

  @Override
  public int hashCode() {
    return Objects.hash(spec, template, templateVersion, params, operator, idempotencyKey,
        idempotencyStrategy, targets);
  }

  @Override
  public String toString() {
    String what = spec != null ? "spec " + spec.id()
        : "template " + template + (templateVersion == null ? " (latest)" : " v" + templateVersion);
    return "SubmitRequest{" + what + ", params=" + params
        + (operator == null ? "" : ", operator=" + operator)
        + (idempotencyKey == null ? ""
            : ", idempotencyKey=" + idempotencyKey + " " + idempotencyStrategy)
        + (targets.isEmpty() ? "" : ", targets=" + targets) + "}";
  }

  /**
   * Builds a {@link SubmitRequest}. Not thread-safe. Each setter checks its argument
   * ({@link NullPointerException} for {@code null}, {@link InvalidSubmitRequestException} naming
   * the field for a bad value, {@link InvalidJsonException} naming the path for params beyond
   * the JSON limits); {@link #build()} checks the whole.
   */
  public static final class Builder {
    private DagSpec spec;
    private String template;
    private Integer templateVersion;
    private ObjectNode params = JsonNodeFactory.instance.objectNode();
    private String operator;
    private String idempotencyKey;
    private IdempotencyStrategy idempotencyStrategy;
    private final List<String> targets = new ArrayList<>(0);

    private Builder() {
    }

    /** Runs {@code spec}. A request has a spec or a template, not both. */
    public Builder spec(DagSpec spec) {
      this.spec = Objects.requireNonNull(spec, "spec");
      return this;
    }

    /**
     * Runs the template named {@code name}, its latest version unless {@link #templateVersion}
     * is set.
     *
     * @throws InvalidSubmitRequestException if the name breaks the id rule
     */
    public Builder template(String name) {
      Objects.requireNonNull(name, "template");
      if (!Ids.isValid(name)) {
        throw new InvalidSubmitRequestException("template", "'" + name
            + "' is not a template name: it must match " + Ids.PATTERN);
      }
      this.template = name;
      return this;
    }

    /**
     * Runs version {@code version} of the template.
     *
     * @throws InvalidSubmitRequestException if {@code version} is below 1
     */
    public Builder templateVersion(int version) {
      if (version < 1) {
        throw new InvalidSubmitRequestException("templateVersion",
            "must be at least 1, got " + version);
      }
      this.templateVersion = version;
      return this;
    }

    /**
     * The run's params, copied.
     *
     * @throws InvalidSubmitRequestException if {@code params} is not a JSON object
     * @throws InvalidJsonException naming {@code params} and the path in it, for a value beyond
     *     a {@link JsonLimits} limit or that is not JSON (NaN, infinities, POJO or missing nodes)
     */
    public Builder params(JsonNode params) {
      Objects.requireNonNull(params, "params");
      if (!params.isObject()) {
        throw new InvalidSubmitRequestException("params", "must be a JSON object, got "
            + params.getNodeType().name().toLowerCase(Locale.ROOT));
      }
      this.params = Json.canonicalCopy((ObjectNode) params, "params", NativeDepths.PARAMS_DEPTH);
      return this;
    }

    /**
     * Who asks for the run, recorded in its history.
     *
     * @throws InvalidSubmitRequestException if {@code operator} is blank
     */
    public Builder operator(String operator) {
      Objects.requireNonNull(operator, "operator");
      if (operator.isBlank()) {
        throw new InvalidSubmitRequestException("operator", "must not be blank");
      }
      this.operator = operator;
      return this;
    }

    /**
     * Makes the start happen once: a second request with {@code key} for the same project (the
     * global scope for a run without one) does what {@link #idempotencyStrategy} says instead of
     * starting a second run, on every engine instance sharing the stores. Keys are compared
     * exactly, case included.
     *
     * @throws InvalidSubmitRequestException naming {@code idempotencyKey} unless the key is 1 to
     *     255 visible ASCII characters (no spaces or control characters)
     */
    public Builder idempotencyKey(String key) {
      Objects.requireNonNull(key, "idempotencyKey");
      if (!IdempotencyKeys.isValid(key)) {
        throw new InvalidSubmitRequestException("idempotencyKey", "must be "
            + IdempotencyKeys.RULE + ", got " + describe(key));
      }
      this.idempotencyKey = key;
      return this;
    }

    /**
     * What submit does when the {@link #idempotencyKey} names a run already; {@link
     * IdempotencyStrategy#RETURN_EXISTING} if not set. Only with a key: {@link #build()} refuses
     * a strategy without one.
     */
    public Builder idempotencyStrategy(IdempotencyStrategy strategy) {
      this.idempotencyStrategy = Objects.requireNonNull(strategy, "idempotencyStrategy");
      return this;
    }

    /**
     * Limits the run to these target nodes and what they need, over the spec's own targets
     * ({@link DagSpec#targets()}, which says what "need" means); an empty list keeps the spec's.
     * A repeated id counts once. Submit refuses, with an {@link InvalidSubmitRequestException}
     * naming {@code targets}, an id that is no node of the spec.
     *
     * @throws InvalidSubmitRequestException naming {@code targets} for an id that breaks the id
     *     rule
     */
    public Builder targets(Collection<String> nodeIds) {
      Set<String> ids = new LinkedHashSet<>();
      for (String id : nodeIds) {
        Objects.requireNonNull(id, "targets");
        if (!Ids.isValid(id)) {
          throw new InvalidSubmitRequestException("targets", "'" + id
              + "' is not a node id: it must match " + Ids.PATTERN);
        }
        ids.add(id);
      }
      targets.clear();
      targets.addAll(ids);
      return this;
    }

    /** What is wrong with {@code key}, which breaks the rule. */
    private static String describe(String key) {
      if (key.isEmpty()) {
        return "an empty key";
      }
      if (key.length() > IdempotencyKeys.MAX_LENGTH) {
        return "a key of " + key.length() + " characters";
      }
      int i = 0;
      while (key.charAt(i) >= '!' && key.charAt(i) <= '~') {
        i++;
      }
      return String.format(Locale.ROOT, "U+%04X at index %d", (int) key.charAt(i), i);
    }

    /**
     * Builds the request.
     *
     * @throws InvalidSubmitRequestException if neither or both of a spec and a template are set,
     *     a template version is set with a spec, or an idempotency strategy without a key
     */
    public SubmitRequest build() {
      if (spec == null && template == null) {
        throw new InvalidSubmitRequestException("spec",
            "a request needs a spec or a template name; neither is set");
      }
      if (spec != null && template != null) {
        throw new InvalidSubmitRequestException("template", "a request runs a spec or a "
            + "template, not both: spec '" + spec.id() + "' and template '" + template + "'");
      }
      if (spec != null && templateVersion != null) {
        throw new InvalidSubmitRequestException("templateVersion",
            "version " + templateVersion + " is set, but the request runs spec '" + spec.id()
                + "', not a template");
      }
      if (idempotencyStrategy != null && idempotencyKey == null) {
        throw new InvalidSubmitRequestException("idempotencyStrategy", "is "
            + idempotencyStrategy + ", but the request has no idempotencyKey");
      }
      return new SubmitRequest(this);
    }
  }
}
