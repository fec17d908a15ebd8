package dev.dagflow.store;

import dev.dagflow.log.LogEntry;
import java.util.List;
import java.util.Objects;

/**
 * Log lines of one run as its owner appends them to a {@link LogStore}: in increasing {@link
 * LogEntry#seq} order, under the owner's {@link Fence}. Immutable.
 *
 * @param runId the run every line belongs to
 * @param fence the writer's fence: the store refuses the batch if the run's log was fenced at a
 *     later epoch since ({@link LogStore#fence})
 * @param lines at least one line, each of {@code runId}, numbered in increasing order; copied
 * @throws NullPointerException if an argument or a line is {@code null}
 * @throws IllegalArgumentException naming {@code lines} if there is none, one is of another
 *     run, or they are not in increasing {@code seq} order
 */
public record LogBatch(String runId, Fence fence, List<LogEntry> lines) {
  public LogBatch {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(fence, "fence");
    lines = List.copyOf(Objects.requireNonNull(lines, "lines"));
    if (lines.isEmpty()) {
      throw new IllegalArgumentException("lines must not be empty: a batch holds a line at least");
    }
    long last = 0;
    for (LogEntry line : lines) {
      if (!line.runId().equals(runId)) {
        throw new IllegalArgumentException("lines must all be of run " + runId + ": line "
            + line.seq() + " is of run " + line.runId());
      }
      if (line.seq() <= last) {
        throw new IllegalArgumentException("lines must be in increasing seq order: line "
            + line.seq() + " follows line " + last);
      }
      last = line.seq();
    }
  }

  /** The number of the batch's first line. */
  public long firstSeq() {
    return lines.get(0).seq();
  }

  /** The number of the batch's last line. */
  public long lastSeq() {
    return lines.get(lines.size() - 1).seq();
  }
}
