package dev.dagflow.jdbc.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The names of the dagflow tables in one database: every name is the table prefix followed by
 * the table's own name. The prefix is validated here, so that it can be written into SQL text.
 * Immutable.
 */
public final class Tables {
  /** The prefix used when none is given. */
  public static final String DEFAULT_PREFIX = "dagflow_";

  /** The longest prefix accepted, so that every table and index name fits every database. */
  public static final int MAX_PREFIX_LENGTH = 20;

  /** The placeholder of the prefix in the schema scripts (Flyway's placeholder syntax). */
  public static final String PLACEHOLDER = "${prefix}";

  private static final Pattern PREFIX =
      Pattern.compile("[A-Za-z][A-Za-z0-9_]{0," + (MAX_PREFIX_LENGTH - 1) + "}");

  private final String prefix;

  private Tables(String prefix) {
    this.prefix = prefix;
  }

  /**
   * The tables named with {@code prefix}: empty, or a letter then letters, digits and
   * underscores, at most {@link #MAX_PREFIX_LENGTH} characters.
   *
   * @throws NullPointerException naming {@code tablePrefix} if it is {@code null}
   * @throws IllegalArgumentException naming {@code tablePrefix} if it breaks the rule
   */
  public static Tables withPrefix(String prefix) {
    return new Tables(checkPrefix(prefix));
  }

  /** Returns {@code prefix} if it follows the rule of {@link #withPrefix}, else throws. */
  public static String checkPrefix(String prefix) {
    Objects.requireNonNull(prefix, "tablePrefix");
    if (!prefix.isEmpty() && !PREFIX.matcher(prefix).matches()) {
      throw new IllegalArgumentException("tablePrefix must be empty or a letter followed by "
          + "letters, digits and underscores, at most " + MAX_PREFIX_LENGTH
          + " characters in all, was '" + prefix + "'");
    }
    return prefix;
  }

  /** The prefix, possibly empty. */
  public String prefix() {
    return prefix;
  }

  /** The full name of table (or index) {@code name}. */
  public String name(String name) {
    return prefix + name;
  }

  /** {@code sql} with every {@link #PLACEHOLDER} replaced by the prefix. */
  public String expand(String sql) {
    return sql.replace(PLACEHOLDER, prefix);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Tables t && t.prefix.equals(prefix);
  }

  @Override
  public int hashCode() {
    return prefix.hashCode();
  }

  @Override
  public String toString() {
    return "Tables{prefix='" + prefix + "'}";
  }
}
