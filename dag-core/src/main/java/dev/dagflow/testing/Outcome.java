package dev.dagflow.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.dagflow.engine.NodeResult;
import java.time.Duration;
import java.util.Objects;

/**
 * What one scripted attempt does: succeed, fail, throw, return null, hang until cancelled, or do
 * one of these after a delay on the executor's clock. Immutable.
 */
public final class Outcome {
  enum Kind { RESULT, HANG, THROW, NULL_STAGE, NULL_RESULT }

  final Kind kind;
  final NodeResult result;
  final RuntimeException error;
  final Duration delay;

  private Outcome(Kind kind, NodeResult result, RuntimeException error, Duration delay) {
    this.kind = kind;
    this.result = result;
    this.error = error;
    this.delay = delay;
  }

  /** Succeeds with {@code {"node": id, "attempt": n}}. */
  public static Outcome succeed() {
    return new Outcome(Kind.RESULT, null, null, Duration.ZERO);
  }

  /** Succeeds with {@code result}. */
  public static Outcome succeed(JsonNode result) {
    return new Outcome(Kind.RESULT, NodeResult.success(Objects.requireNonNull(result, "result")),
        null, Duration.ZERO);
  }

  /** Fails with {@code code}; retried while the policy allows. */
  public static Outcome fail(String code, String message) {
    return new Outcome(Kind.RESULT, NodeResult.failure(code, message), null, Duration.ZERO);
  }

  /** Fails with {@code code}, never retried. */
  public static Outcome failPermanently(String code, String message) {
    return new Outcome(Kind.RESULT, NodeResult.permanentFailure(code, message), null,
        Duration.ZERO);
  }

  /** Never completes: the attempt runs until its timeout or a stop cancels it. */
  public static Outcome hang() {
    return new Outcome(Kind.HANG, null, null, Duration.ZERO);
  }

  /** {@code execute} throws {@code error}. */
  public static Outcome throwing(RuntimeException error) {
    return new Outcome(Kind.THROW, null, Objects.requireNonNull(error, "error"), Duration.ZERO);
  }

  /** {@code execute} returns {@code null} instead of a stage: a broken executor. */
  public static Outcome nullStage() {
    return new Outcome(Kind.NULL_STAGE, null, null, Duration.ZERO);
  }

  /** The stage completes with {@code null} instead of a result: a broken executor. */
  public static Outcome nullResult() {
    return new Outcome(Kind.NULL_RESULT, null, null, Duration.ZERO);
  }

  /**
   * This outcome, once {@code delay} has passed on the executor's clock: an attempt that takes
   * time, and times out if its timeout is shorter.
   */
  public Outcome after(Duration delay) {
    Objects.requireNonNull(delay, "delay");
    if (delay.isNegative()) {
      throw new IllegalArgumentException("delay must not be negative, got " + delay);
    }
    return new Outcome(kind, result, error, delay);
  }

  @Override
  public String toString() {
    String what = switch (kind) {
      case RESULT -> result == null ? "succeed" : result.toString();
      case HANG -> "hang";
      case THROW -> "throw " + error;
      case NULL_STAGE -> "null stage";
      case NULL_RESULT -> "null result";
    };
    return delay.isZero() ? what : what + " after " + delay;
  }
}
