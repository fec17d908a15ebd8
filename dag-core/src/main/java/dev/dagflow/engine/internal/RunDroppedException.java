package dev.dagflow.engine.internal;

/**
 * The engine gave a run up while it ran (its lease was taken over, or its write could not be
 * stored): this instance writes nothing more of it, and the store's owner (another instance,
 * or this one once it claims the run again) finishes it. Thrown to a step asked of the run
 * after that, and what its completion future ends with.
 */
final class RunDroppedException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  RunDroppedException(String runId, String why) {
    super("run " + runId + " is no longer run by this engine instance: " + why);
  }
}
