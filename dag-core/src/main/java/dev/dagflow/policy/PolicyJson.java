package dev.dagflow.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.json.InvalidJsonException;
import dev.dagflow.json.internal.JsonFields;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.RetryPolicy;
import java.util.Iterator;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The JSON form of an {@link ExecutionPolicy}: every setting but the default flag, which its
 * holder keeps beside it (a store in a column, the HTTP API as a field of its own). Durations are
 * ISO-8601 text ({@code PT30S}), so that they come back exact; unset settings are left out.
 *
 * <pre>{@code
 * {"name": "fast", "project": "acme", "nodeTimeout": "PT1M", "failureStrategy": "FAIL_FAST",
 *  "retry": {"maxAttempts": 3, "backoff": "EXPONENTIAL", "initialDelay": "PT1S",
 *            "multiplier": 2.0, "maxDelay": "PT1M", "jitter": 0.1},
 *  "maxParallelNodesPerRun": 4, "maxConcurrentRunsPerScope": 2, "abandonLimit": 3,
 *  "defaultConfig": {"port_scan": {"rate": 100}}, "secretKeys": ["password", "token"]}
 * }</pre>
 *
 * <p>Stateless and thread-safe. What {@link #toJson} writes, {@link #fromJson} reads back equal.
 */
public final class PolicyJson {
  private static final Set<String> FIELDS = Set.of("name", "project", "retry", "nodeTimeout",
      "runDeadline",
      "maxParallelNodesPerRun", "maxConcurrentRunsPerScope", "failureStrategy", "abandonLimit",
      "defaultConfig", "secretKeys");
  private static final Set<String> RETRY_FIELDS = Set.of("maxAttempts", "backoff",
      "initialDelay", "multiplier", "maxDelay", "jitter");

  private PolicyJson() {}

  /** The policy as a new JSON object, without its default flag. */
  public static ObjectNode toJson(ExecutionPolicy policy) {
    Objects.requireNonNull(policy, "policy");
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("name", policy.name());
    policy.project().ifPresent(p -> json.put("project", p));
    policy.retry().ifPresent(r -> {
      ObjectNode retry = json.putObject("retry");
      retry.put("maxAttempts", r.maxAttempts());
      retry.put("backoff", r.backoff().name());
      retry.put("initialDelay", r.initialDelay().toString());
      retry.put("multiplier", r.multiplier());
      retry.put("maxDelay", r.maxDelay().toString());
      retry.put("jitter", r.jitter());
    });
    policy.nodeTimeout().ifPresent(t -> json.put("nodeTimeout", t.toString()));
    policy.runDeadline().ifPresent(t -> json.put("runDeadline", t.toString()));
    policy.maxParallelNodesPerRun().ifPresent(n -> json.put("maxParallelNodesPerRun", n));
    policy.maxConcurrentRunsPerScope().ifPresent(n -> json.put("maxConcurrentRunsPerScope", n));
    policy.failureStrategy().ifPresent(f -> json.put("failureStrategy", f.name()));
    policy.abandonLimit().ifPresent(n -> json.put("abandonLimit", n));
    Map<String, ObjectNode> configs = policy.defaultConfig();
    if (!configs.isEmpty()) {
      ObjectNode defaults = json.putObject("defaultConfig");
      configs.forEach(defaults::set);
    }
    policy.secretKeys().ifPresent(keys -> {
      ArrayNode patterns = json.putArray("secretKeys");
      keys.patterns().forEach(patterns::add);
    });
    return json;
  }

  /**
   * The policy {@code json} describes, not a default (set that with {@link
   * ExecutionPolicy#toBuilder()}). Only {@code name} is required; a {@code retry} object may
   * leave out fields, which take {@link RetryPolicy.Builder}'s defaults. {@code json} is not
   * changed.
   *
   * @throws InvalidJsonException naming the path of the first bad field: not an object, an
   *     unknown field, a missing name, a wrong type, a value a setting refuses
   */
  public static ExecutionPolicy fromJson(JsonNode json) {
    JsonFields f = JsonFields.of(json, "", FIELDS);
    ExecutionPolicy.Builder b = set(f, "name",
        () -> ExecutionPolicy.builder(f.requiredString("name")));
    f.string("project").ifPresent(p -> set(f, "project", () -> b.project(p)));
    f.value("retry").ifPresent(r -> b.retry(retry(JsonFields.of(r, "retry", RETRY_FIELDS))));
    f.duration("nodeTimeout").ifPresent(t -> set(f, "nodeTimeout", () -> b.nodeTimeout(t)));
    f.duration("runDeadline").ifPresent(t -> set(f, "runDeadline", () -> b.runDeadline(t)));
    f.integer("maxParallelNodesPerRun").ifPresent(n -> set(f, "maxParallelNodesPerRun",
        () -> b.maxParallelNodesPerRun(n)));
    f.integer("maxConcurrentRunsPerScope").ifPresent(n -> set(f, "maxConcurrentRunsPerScope",
        () -> b.maxConcurrentRunsPerScope(n)));
    f.constant("failureStrategy", FailureStrategy.class).ifPresent(b::failureStrategy);
    f.integer("abandonLimit").ifPresent(n -> set(f, "abandonLimit", () -> b.abandonLimit(n)));
    f.object("defaultConfig").ifPresent(defaults -> {
      Iterator<Map.Entry<String, JsonNode>> types = defaults.fields();
      while (types.hasNext()) {
        Map.Entry<String, JsonNode> type = types.next();
        String path = "defaultConfig." + type.getKey();
        if (!type.getValue().isObject()) {
          throw new InvalidJsonException(path, "must be a JSON object of config");
        }
        set(path, () -> b.defaultConfig(type.getKey(), (ObjectNode) type.getValue()));
      }
    });
    f.strings("secretKeys").ifPresent(keys ->
        set(f, "secretKeys", () -> b.secretKeys(SecretKeys.of(keys))));
    return b.build();
  }

  private static RetryPolicy retry(JsonFields f) {
    RetryPolicy.Builder b = RetryPolicy.builder();
    f.integer("maxAttempts").ifPresent(n -> set(f, "maxAttempts", () -> b.maxAttempts(n)));
    f.constant("backoff", Backoff.class).ifPresent(b::backoff);
    f.duration("initialDelay").ifPresent(d -> set(f, "initialDelay", () -> b.initialDelay(d)));
    f.decimal("multiplier").ifPresent(m -> set(f, "multiplier", () -> b.multiplier(m)));
    f.duration("maxDelay").ifPresent(d -> set(f, "maxDelay", () -> b.maxDelay(d)));
    f.decimal("jitter").ifPresent(j -> set(f, "jitter", () -> b.jitter(j)));
    return set("retry", b::build);
  }

  private static <T> T set(JsonFields f, String field, Supplier<T> setter) {
    return set(f.path(field), setter);
  }

  /** Runs a builder's setter, its refusal reported at {@code path}. */
  private static <T> T set(String path, Supplier<T> setter) {
    try {
      return setter.get();
    } catch (IllegalArgumentException e) {
      throw new InvalidJsonException(path, e.getMessage());
    }
  }
}
