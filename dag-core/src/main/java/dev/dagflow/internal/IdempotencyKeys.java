package dev.dagflow.internal;

/**
 * The rule of idempotency keys, shared by submit requests and stored runs: 1 to {@value
 * #MAX_LENGTH} visible ASCII characters ({@code !} to {@code ~}: no spaces, no control
 * characters), compared exactly, case included. Wide enough for a UUID, a hash or an HTTP
 * {@code Idempotency-Key} header; narrow enough to index on every database.
 */
public final class IdempotencyKeys {
  /** The longest key accepted. */
  public static final int MAX_LENGTH = 255;

  /** The rule, as shown in messages. */
  public static final String RULE = "1 to " + MAX_LENGTH
      + " visible ASCII characters (no spaces or control characters)";

  private IdempotencyKeys() {}

  /** Whether {@code key} follows the rule. */
  public static boolean isValid(String key) {
    int n = key.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = key.charAt(i);
      if (c < '!' || c > '~') {
        return false;
      }
    }
    return true;
  }
}
