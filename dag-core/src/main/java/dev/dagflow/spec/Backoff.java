package dev.dagflow.spec;

/** How the delay between two attempts of a node grows. */
public enum Backoff {
  /** Every retry waits the initial delay. */
  FIXED,
  /** Retry {@code n} waits {@code n} times the initial delay. */
  LINEAR,
  /** Retry {@code n} waits the initial delay times the multiplier to the power {@code n - 1}. */
  EXPONENTIAL
}
