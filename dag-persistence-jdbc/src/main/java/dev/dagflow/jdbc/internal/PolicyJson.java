package dev.dagflow.jdbc.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.policy.ExecutionPolicy;
import dev.dagflow.policy.FailureStrategy;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.spec.Backoff;
import dev.dagflow.spec.RetryPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * An {@link ExecutionPolicy} as the JSON text of its row, every setting but the default flag
 * (which the row holds in a column of its own): durations as ISO-8601 text, so that they come
 * back exact. Stateless.
 */
final class PolicyJson {
  private PolicyJson() {}

  static String write(ExecutionPolicy policy) {
    ObjectNode json = JsonCodec.MAPPER.createObjectNode();
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
    return JsonCodec.write(json);
  }

  /** The policy stored as {@code text}, with the default flag of its row. */
  static ExecutionPolicy read(String text, boolean isDefault) {
    ObjectNode json = JsonCodec.readObject(text, "policy");
    ExecutionPolicy.Builder b = ExecutionPolicy.builder(json.path("name").asText())
        .projectDefault(isDefault);
    if (json.hasNonNull("project")) {
      b.project(json.get("project").asText());
    }
    JsonNode retry = json.get("retry");
    if (retry != null) {
      b.retry(RetryPolicy.builder()
          .maxAttempts(retry.path("maxAttempts").asInt())
          .backoff(Backoff.valueOf(retry.path("backoff").asText()))
          .initialDelay(Duration.parse(retry.path("initialDelay").asText()))
          .multiplier(retry.path("multiplier").asDouble())
          .maxDelay(Duration.parse(retry.path("maxDelay").asText()))
          .jitter(retry.path("jitter").asDouble())
          .build());
    }
    if (json.hasNonNull("nodeTimeout")) {
      b.nodeTimeout(Duration.parse(json.get("nodeTimeout").asText()));
    }
    if (json.hasNonNull("maxParallelNodesPerRun")) {
      b.maxParallelNodesPerRun(json.get("maxParallelNodesPerRun").asInt());
    }
    if (json.hasNonNull("maxConcurrentRunsPerScope")) {
      b.maxConcurrentRunsPerScope(json.get("maxConcurrentRunsPerScope").asInt());
    }
    if (json.hasNonNull("failureStrategy")) {
      b.failureStrategy(FailureStrategy.valueOf(json.get("failureStrategy").asText()));
    }
    if (json.hasNonNull("abandonLimit")) {
      b.abandonLimit(json.get("abandonLimit").asInt());
    }
    JsonNode defaults = json.get("defaultConfig");
    if (defaults != null) {
      Iterator<Map.Entry<String, JsonNode>> types = defaults.fields();
      while (types.hasNext()) {
        Map.Entry<String, JsonNode> type = types.next();
        b.defaultConfig(type.getKey(), (ObjectNode) type.getValue());
      }
    }
    JsonNode keys = json.get("secretKeys");
    if (keys != null) {
      List<String> patterns = new ArrayList<>();
      keys.forEach(k -> patterns.add(k.asText()));
      b.secretKeys(SecretKeys.of(patterns));
    }
    return b.build();
  }
}
