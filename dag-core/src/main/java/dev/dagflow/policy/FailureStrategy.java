package dev.dagflow.policy;

/** What a run does when one of its nodes fails for good. */
public enum FailureStrategy {
  /** Independent branches go on; only dependents of the failed node are skipped. The default. */
  CONTINUE,
  /** The first failure stops every node not yet started; running nodes finish. */
  FAIL_FAST
}
