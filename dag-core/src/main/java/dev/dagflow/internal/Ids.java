package dev.dagflow.internal;

/** The id rule shared by DAGs, nodes, projects and users: {@code [A-Za-z0-9_.:-]{1,128}}. */
public final class Ids {
  /** The rule, as shown in messages. */
  public static final String PATTERN = "[A-Za-z0-9_.:-]{1,128}";

  /** The longest id accepted. */
  public static final int MAX_LENGTH = 128;

  private Ids() {}

  /**
   * Returns {@code value} if it follows the rule.
   *
   * @throws NullPointerException naming {@code field} if null
   * @throws IllegalArgumentException naming {@code field} if it breaks the rule
   */
  public static String check(String field, String value) {
    if (value == null) {
      throw new NullPointerException(field);
    }
    if (!isValid(value)) {
      throw new IllegalArgumentException(field + " must match " + PATTERN + ", was '" + value + "'");
    }
    return value;
  }

  /** Whether {@code id} follows the rule; a hand-written loop, as this runs once per node. */
  public static boolean isValid(String id) {
    int n = id.length();
    if (n == 0 || n > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < n; i++) {
      char c = id.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || c == '_'
              || c == '.'
              || c == ':'
              || c == '-';
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
