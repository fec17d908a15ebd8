package dev.dagflow.store.memory;

import dev.dagflow.store.StoreException;
import java.time.Instant;
import java.util.Optional;

/** Instants kept as epoch milliseconds in primitive columns, {@link #NONE} for an absent one. */
final class Millis {
  static final long NONE = Long.MIN_VALUE;

  private Millis() {}

  /**
   * Checks that {@code time} can be kept.
   *
   * @throws StoreException naming {@code subject} and {@code field} if it is too far from the
   *     epoch; the message is built only then
   */
  static void check(String operation, String subject, String field, Instant time) {
    long millis;
    try {
      millis = time.toEpochMilli();
    } catch (ArithmeticException e) {
      throw new StoreException(operation, subject + " " + field + " " + time
          + " is out of range", e);
    }
    if (millis == NONE) {
      throw new StoreException(operation, subject + " " + field + " " + time
          + " is out of range");
    }
  }

  static void check(String operation, String subject, String field, Optional<Instant> time) {
    if (time.isPresent()) {
      check(operation, subject, field, time.get());
    }
  }

  static long of(Instant time) {
    return time.toEpochMilli();
  }

  static long of(Optional<Instant> time) {
    return time.isPresent() ? time.get().toEpochMilli() : NONE;
  }

  static Instant instant(long millis) {
    return Instant.ofEpochMilli(millis);
  }

  static Optional<Instant> optional(long millis) {
    return millis == NONE ? Optional.empty() : Optional.of(Instant.ofEpochMilli(millis));
  }
}
