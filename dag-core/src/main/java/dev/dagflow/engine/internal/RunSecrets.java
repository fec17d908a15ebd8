package dev.dagflow.engine.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.policy.SecretKeys;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The secret values of one run's config (its spec's, its policies' defaults, its live updates),
 * so that text that may quote them — log lines, error messages of executors — is scrubbed before
 * it is stored or logged. Keys alone cannot catch a value an executor puts into a message.
 *
 * <p>Values shorter than {@value #MIN_LENGTH} characters are not scrubbed: replacing them would
 * garble any text without hiding much. Thread-safe: executors log from any thread.
 */
final class RunSecrets {
  static final int MIN_LENGTH = 4;

  private final SecretKeys keys;
  private final DagSpec spec;
  private final RunPolicy policy;
  // Found on first use: most runs never log or fail, and finding copies every config.
  /**
   * Longest first, so a value holding a shorter one is replaced whole; null until first use.
   * Replaced whole, never changed, so that {@link #scrub} reads it without the lock.
   */
  private volatile String[] values;
  /** Configs added before the first use. */
  private final List<JsonNode> added = new ArrayList<>(0);

  RunSecrets(DagSpec spec, RunPolicy policy) {
    this.keys = policy.secretKeys;
    this.spec = spec;
    this.policy = policy;
  }

  /** Counts the secret values of {@code config} too: a live update, or a recovered one. */
  synchronized void add(JsonNode config) {
    if (values == null) {
      added.add(config);
      return;
    }
    Set<String> found = new LinkedHashSet<>(Arrays.asList(values));
    int before = found.size();
    collect(config, false, found);
    if (found.size() != before) {
      publish(found);
    }
  }

  /** {@code text} with every secret value replaced by {@link SecretKeys#REDACTED}. */
  String scrub(String text) {
    if (text == null || keys.patterns().isEmpty()) {
      return text;
    }
    String[] secrets = values;
    if (secrets == null) {
      synchronized (this) {
        if (values == null) {
          find();
        }
        secrets = values;
      }
    }
    String out = text;
    for (String secret : secrets) {
      if (out.contains(secret)) {
        out = out.replace(secret, SecretKeys.REDACTED);
      }
    }
    return out;
  }

  private void find() {
    Set<String> found = new LinkedHashSet<>();
    Set<String> types = new LinkedHashSet<>();
    for (NodeSpec node : spec.nodes()) {
      if (node.hasConfig()) {
        collect(node.config(), false, found);
      }
      node.taskType().ifPresent(types::add);
    }
    for (String type : types) {
      policy.defaultConfig(type).ifPresent(c -> collect(c, false, found));
    }
    for (JsonNode config : added) {
      collect(config, false, found);
    }
    added.clear();
    publish(found);
  }

  private void publish(Set<String> found) {
    String[] sorted = found.toArray(String[]::new);
    Arrays.sort(sorted, Comparator.comparingInt(String::length).reversed());
    values = sorted;
  }

  private void collect(JsonNode node, boolean secret, Set<String> into) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        collect(e.getValue(), secret || keys.isSecret(e.getKey()), into);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        collect(item, secret, into);
      }
    } else if (secret && (node.isTextual() || node.isNumber())) { // "true" is no secret
      String text = node.asText();
      if (text.length() >= MIN_LENGTH) {
        into.add(text);
      }
    }
  }
}
