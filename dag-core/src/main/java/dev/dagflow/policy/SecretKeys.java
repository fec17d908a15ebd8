package dev.dagflow.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The config keys whose values are secret: executors get them unchanged, but wherever a config is
 * shown or recorded (history, views, explanations) their values read {@link #REDACTED}.
 *
 * <p>A key is secret when, compared on letters and digits only and ignoring case, it contains one
 * of the patterns: with the pattern {@code apiKey}, the keys {@code apiKey}, {@code api_key},
 * {@code X-API-KEY} and {@code githubApiKey} are all secret. Containment errs on the side of
 * hiding ({@code maxTokens} is secret under the default {@code token}); a policy that needs
 * fewer sets its own list. Keys are matched at any depth, in objects nested in arrays too; the
 * whole value under a secret key is redacted, whatever its type, except JSON null.
 *
 * <p>Immutable and thread-safe.
 */
public final class SecretKeys {
  /** What a redacted value reads. */
  public static final String REDACTED = "***";

  private static final int MAX_PATTERN = 128;
  private static final SecretKeys DEFAULTS =
      new SecretKeys(List.of("password", "secret", "token", "apiKey", "credential"));

  private final List<String> patterns;
  /** The patterns as compared: letters and digits only, lower case. */
  private final String[] folded;

  private SecretKeys(List<String> patterns) {
    this.patterns = List.copyOf(patterns);
    this.folded = patterns.stream().map(SecretKeys::fold).toArray(String[]::new);
  }

  /**
   * The default list: {@code password}, {@code secret}, {@code token}, {@code apiKey},
   * {@code credential}.
   */
  public static SecretKeys defaults() {
    return DEFAULTS;
  }

  /** No secret keys at all: nothing is redacted. */
  public static SecretKeys none() {
    return new SecretKeys(List.of());
  }

  /**
   * Exactly these patterns (duplicates dropped).
   *
   * @throws IllegalArgumentException for a pattern without a letter or digit, or over 128
   *     characters
   */
  public static SecretKeys of(String... patterns) {
    return of(List.of(patterns));
  }

  /** Exactly these patterns; see {@link #of(String...)}. */
  public static SecretKeys of(Collection<String> patterns) {
    Objects.requireNonNull(patterns, "patterns");
    Set<String> checked = new LinkedHashSet<>();
    for (String p : patterns) {
      checked.add(check(p));
    }
    return new SecretKeys(new ArrayList<>(checked));
  }

  /** These patterns and {@code more}; see {@link #of(String...)} for what is refused. */
  public SecretKeys and(String... more) {
    List<String> all = new ArrayList<>(patterns);
    all.addAll(List.of(more));
    return of(all);
  }

  /** The patterns, as given; unmodifiable. */
  public List<String> patterns() {
    return patterns;
  }

  /** Whether values under {@code key} are secret. */
  public boolean isSecret(String key) {
    if (folded.length == 0) {
      return false;
    }
    String k = fold(Objects.requireNonNull(key, "key"));
    for (String p : folded) {
      if (k.contains(p)) {
        return true;
      }
    }
    return false;
  }

  /** Whether {@code value} holds a non-null value under a secret key, at any depth. */
  public boolean holdsSecrets(JsonNode value) {
    Objects.requireNonNull(value, "value");
    if (folded.length == 0 || !value.isContainerNode()) {
      return false;
    }
    if (value.isArray()) {
      for (JsonNode item : value) {
        if (holdsSecrets(item)) {
          return true;
        }
      }
      return false;
    }
    Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
    while (fields.hasNext()) {
      Map.Entry<String, JsonNode> e = fields.next();
      if (!e.getValue().isNull() && isSecret(e.getKey()) || holdsSecrets(e.getValue())) {
        return true;
      }
    }
    return false;
  }

  /**
   * {@code value} with every non-null value under a secret key replaced by {@link #REDACTED}:
   * a copy when it holds secrets, {@code value} itself when it holds none. Never changes
   * {@code value}.
   */
  @SuppressWarnings("unchecked")
  public <T extends JsonNode> T redact(T value) {
    if (!holdsSecrets(value)) {
      return value;
    }
    T copy = (T) value.deepCopy();
    redactInPlace(copy);
    return copy;
  }

  private void redactInPlace(JsonNode node) {
    if (node instanceof ArrayNode array) {
      array.forEach(this::redactInPlace);
    } else if (node instanceof ObjectNode object) {
      Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        if (!e.getValue().isNull() && isSecret(e.getKey())) {
          e.setValue(TextNode.valueOf(REDACTED));
        } else {
          redactInPlace(e.getValue());
        }
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretKeys s && patterns.equals(s.patterns);
  }

  @Override
  public int hashCode() {
    return patterns.hashCode();
  }

  @Override
  public String toString() {
    return "SecretKeys" + patterns;
  }

  private static String check(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.length() > MAX_PATTERN || fold(pattern).isEmpty()) {
      throw new IllegalArgumentException("secret key pattern must hold a letter or digit and "
          + "have at most " + MAX_PATTERN + " characters, got '"
          + pattern.substring(0, Math.min(pattern.length(), MAX_PATTERN)) + "'");
    }
    return pattern;
  }

  /** Letters and digits only, lower case: {@code API_Key} and {@code apiKey} compare equal. */
  private static String fold(String key) {
    StringBuilder b = null;
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (!Character.isLetterOrDigit(c) || Character.isUpperCase(c)) {
        b = new StringBuilder(key.length());
        break;
      }
    }
    if (b == null) {
      return key; // the common case: already folded, no copy
    }
    for (int i = 0; i < key.length(); i++) {
      char c = key.charAt(i);
      if (Character.isLetterOrDigit(c)) {
        b.append(c);
      }
    }
    return b.toString().toLowerCase(Locale.ROOT);
  }
}
