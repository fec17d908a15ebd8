package dev.dagflow.http.engine.internal;

import java.time.Duration;
import java.util.Objects;

/** Argument checks for the builders, each message naming the field. */
public final class Checks {
  private Checks() {
  }

  /** @throws IllegalStateException naming {@code field} if it was set before */
  public static void once(String field, Object current) {
    if (current != null) {
      throw new IllegalStateException(field + " was already set to " + current);
    }
  }

  /** {@code value}, if from {@code min} to {@code max}. */
  public static Duration duration(String field, Duration value, Duration min, Duration max) {
    Objects.requireNonNull(value, field);
    if (value.compareTo(min) < 0 || value.compareTo(max) > 0) {
      throw new IllegalArgumentException(field + " must be from " + min + " to " + max
          + ", was " + value);
    }
    return value;
  }

  /** {@code value}, if from {@code min} to {@code max}. */
  public static long range(String field, long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(field + " must be from " + min + " to " + max
          + ", was " + value);
    }
    return value;
  }

  /** A header name or value fit to send: printable ASCII, a name without separators. */
  public static String header(String field, String value, boolean name) {
    Objects.requireNonNull(value, field);
    boolean ok = !value.isEmpty() && value.chars().allMatch(c -> c >= ' ' && c < 0x7f
        && (!name || c > ' ' && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0));
    if (!ok) {
      throw new IllegalArgumentException(field + " must be " + (name ? "a header name"
          : "printable ASCII") + ", was '" + Protocol.cut(value) + "'");
    }
    return value;
  }
}
