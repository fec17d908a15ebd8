package dev.dagflow.spec;

import java.time.Duration;
import java.util.Objects;

/**
 * How often a node is attempted and how long to wait between attempts.
 *
 * <p>The wait before retry {@code n} (the attempt {@code n + 1}) is, before jitter:
 * {@link Backoff#FIXED} the initial delay, {@link Backoff#LINEAR} {@code n} times it,
 * {@link Backoff#EXPONENTIAL} the initial delay times {@code multiplier^(n-1)}; never more than
 * the max delay. Jitter {@code j} then spreads the wait uniformly over {@code ±j} of itself.
 *
 * <p>Immutable and thread-safe; the builder checks each value as it is set and throws
 * {@link IllegalArgumentException} naming the field.
 */
public final class RetryPolicy {
  /** The longest wait accepted, far from any overflow of nanosecond arithmetic. */
  private static final Duration MAX_WAIT = Duration.ofDays(36_500);
  private static final RetryPolicy NONE = builder().build();

  private final int maxAttempts;
  private final Backoff backoff;
  private final Duration initialDelay;
  private final double multiplier;
  private final Duration maxDelay;
  private final double jitter;

  private RetryPolicy(Builder b) {
    this.maxAttempts = b.maxAttempts;
    this.backoff = b.backoff;
    this.initialDelay = b.initialDelay;
    this.multiplier = b.multiplier;
    this.maxDelay = b.maxDelay;
    this.jitter = b.jitter;
  }

  /** A policy of a single attempt: no retry. */
  public static RetryPolicy none() {
    return NONE;
  }

  /**
   * A builder with the defaults: 1 attempt, {@link Backoff#FIXED}, initial delay 1 s, multiplier
   * 2, max delay 1 h, no jitter.
   */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this policy's values. */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.maxAttempts = maxAttempts;
    b.backoff = backoff;
    b.initialDelay = initialDelay;
    b.multiplier = multiplier;
    b.maxDelay = maxDelay;
    b.jitter = jitter;
    return b;
  }

  /** Attempts in all, the first included; at least 1. */
  public int maxAttempts() {
    return maxAttempts;
  }

  /** How the wait grows between attempts. */
  public Backoff backoff() {
    return backoff;
  }

  /** The wait before the first retry, before jitter. */
  public Duration initialDelay() {
    return initialDelay;
  }

  /** The growth factor of {@link Backoff#EXPONENTIAL}; at least 1. */
  public double multiplier() {
    return multiplier;
  }

  /** The cap on any wait, before jitter. */
  public Duration maxDelay() {
    return maxDelay;
  }

  /** The share of the wait, from 0 to 1, by which jitter may lengthen or shorten it. */
  public double jitter() {
    return jitter;
  }

  /**
   * The wait before retry {@code retry} (1 for the wait between the first and second attempt),
   * before jitter.
   *
   * @throws IllegalArgumentException if {@code retry < 1}
   */
  public Duration delayBefore(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry must be >= 1, was " + retry);
    }
    double factor =
        switch (backoff) {
          case FIXED -> 1;
          case LINEAR -> retry;
          case EXPONENTIAL -> Math.pow(multiplier, retry - 1);
        };
    double nanos = initialDelay.toNanos() * factor;
    long cap = maxDelay.toNanos();
    return nanos >= cap ? maxDelay : Duration.ofNanos((long) nanos);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof RetryPolicy p
        && maxAttempts == p.maxAttempts
        && backoff == p.backoff
        && initialDelay.equals(p.initialDelay)
        && Double.compare(multiplier, p.multiplier) == 0
        && maxDelay.equals(p.maxDelay)
        && Double.compare(jitter, p.jitter) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(maxAttempts, backoff, initialDelay, multiplier, maxDelay, jitter);
  }

  @Override
  public String toString() {
    return "RetryPolicy{maxAttempts=" + maxAttempts + ", backoff=" + backoff
        + ", initialDelay=" + initialDelay + ", multiplier=" + multiplier
        + ", maxDelay=" + maxDelay + ", jitter=" + jitter + '}';
  }

  /** Builds a {@link RetryPolicy}. Not thread-safe; {@link #build()} copies every value. */
  public static final class Builder {
    private int maxAttempts = 1;
    private Backoff backoff = Backoff.FIXED;
    private Duration initialDelay = Duration.ofSeconds(1);
    private double multiplier = 2;
    private Duration maxDelay = Duration.ofHours(1);
    private double jitter;

    private Builder() {}

    /** Attempts in all, the first included. @throws IllegalArgumentException if below 1 */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1) {
        throw new IllegalArgumentException("maxAttempts must be >= 1, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    /** How the wait grows. */
    public Builder backoff(Backoff backoff) {
      this.backoff = Objects.requireNonNull(backoff, "backoff");
      return this;
    }

    /** The wait before the first retry. @throws IllegalArgumentException if negative or over 100 years */
    public Builder initialDelay(Duration initialDelay) {
      this.initialDelay = nonNegative("initialDelay", initialDelay);
      return this;
    }

    /** The growth factor of exponential backoff. @throws IllegalArgumentException if below 1 */
    public Builder multiplier(double multiplier) {
      if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
        throw new IllegalArgumentException("multiplier must be finite and >= 1, was " + multiplier);
      }
      this.multiplier = multiplier;
      return this;
    }

    /** The cap on any wait. @throws IllegalArgumentException if negative or over 100 years */
    public Builder maxDelay(Duration maxDelay) {
      this.maxDelay = nonNegative("maxDelay", maxDelay);
      return this;
    }

    /** The share of the wait jitter may add or remove. @throws IllegalArgumentException if not in [0, 1] */
    public Builder jitter(double jitter) {
      if (!(jitter >= 0 && jitter <= 1)) {
        throw new IllegalArgumentException("jitter must be between 0 and 1, was " + jitter);
      }
      this.jitter = jitter;
      return this;
    }

    /**
     * The policy.
     *
     * @throws IllegalArgumentException if the max delay is shorter than the initial delay
     */
    public RetryPolicy build() {
      if (maxDelay.compareTo(initialDelay) < 0) {
        throw new IllegalArgumentException(
            "maxDelay (" + maxDelay + ") must not be shorter than initialDelay (" + initialDelay + ")");
      }
      return new RetryPolicy(this);
    }

    private static Duration nonNegative(String field, Duration value) {
      Objects.requireNonNull(value, field);
      if (value.isNegative()) {
        throw new IllegalArgumentException(field + " must not be negative, was " + value);
      }
      if (value.compareTo(MAX_WAIT) > 0) {
        throw new IllegalArgumentException(
            field + " must be at most 100 years (" + MAX_WAIT + "), was " + value);
      }
      return value;
    }
  }
}
