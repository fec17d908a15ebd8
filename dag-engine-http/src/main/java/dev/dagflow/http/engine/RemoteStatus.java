package dev.dagflow.http.engine;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The state of a task or agent on the remote engine, read from the {@code status} field of its
 * answers, case-insensitively: {@code pending}, {@code queued} and {@code submitted} are {@link
 * #PENDING}; {@code running} is {@link #RUNNING}; {@code completed}, {@code succeeded} and
 * {@code success} are {@link #COMPLETED}; {@code failed} and {@code error} are {@link #FAILED};
 * {@code stopped}, {@code cancelled} and {@code canceled} are {@link #STOPPED}. Any other value
 * is a protocol error.
 */
public enum RemoteStatus {
  /** Accepted, not yet running. */
  PENDING(false),
  /** Running. */
  RUNNING(false),
  /** Ended with a result. */
  COMPLETED(true),
  /** Ended with an error. */
  FAILED(true),
  /** Stopped before it ended. */
  STOPPED(true);

  private static final Map<String, RemoteStatus> NAMES = Map.ofEntries(
      Map.entry("pending", PENDING), Map.entry("queued", PENDING),
      Map.entry("submitted", PENDING), Map.entry("running", RUNNING),
      Map.entry("completed", COMPLETED), Map.entry("succeeded", COMPLETED),
      Map.entry("success", COMPLETED), Map.entry("failed", FAILED), Map.entry("error", FAILED),
      Map.entry("stopped", STOPPED), Map.entry("cancelled", STOPPED),
      Map.entry("canceled", STOPPED));

  private final boolean terminal;

  RemoteStatus(boolean terminal) {
    this.terminal = terminal;
  }

  /** Whether the task has ended in this state. */
  public boolean isTerminal() {
    return terminal;
  }

  /** The status a value of the {@code status} field names; empty for one it does not know. */
  public static Optional<RemoteStatus> parse(String value) {
    return Optional.ofNullable(NAMES.get(value.toLowerCase(Locale.ROOT)));
  }
}
