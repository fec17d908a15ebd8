package dev.dagflow.store;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * SPI: where log lines of runs live. The engine appends lines in batches from one thread of its
 * own ({@code dagflow-logs}), at least every 200 ms while it has lines, and reads them back from
 * any thread. Implementations are thread-safe.
 *
 * <p><b>Numbering.</b> Every line carries its number in the run's log ({@link LogEntry#seq}),
 * given by the engine that owns the run. A store keeps at most one line per run and number: a
 * line whose run and number are stored already is skipped, so that a batch appended again
 * after a failure that may have stored it is stored once. Queries return lines in number order.
 *
 * <p><b>Fencing.</b> An engine that takes a run over (a claim raised the run's epoch, see {@link
 * RunStore}) first calls {@link #fence} with its new fence, and numbers its lines after the
 * number it returns. From then on the store refuses batches of the run written under a lower
 * epoch: the late lines of a former owner never mix with the new owner's. A store implements
 * both rules exactly, with each batch refused or taken whole (a JDBC store: a unique key on run
 * and number, and a row per run holding the epoch its log is fenced at, which {@code append}
 * reads and {@code fence} raises under a lock, so that the two never interleave).
 *
 * <p>Lists handed out are unmodifiable and never {@code null}; no method accepts {@code null}.
 */
public interface LogStore {

  /**
   * Appends {@code batches} in order. A batch whose fence's epoch is lower than the epoch its
   * run's log is fenced at is refused whole and stored not at all; of the others, every line
   * is stored but those whose run and number are stored already. Batches of several runs, and
   * several batches of one run, may come in one call. A call that throws may have stored some
   * of its batches (each whole or not at all); appending them again stores each line once.
   *
   * @return the batches refused for their epoch (the ones given, or equal copies), in order;
   *     empty if none
   * @throws StoreException if the store cannot be written (worth retrying)
   */
  List<LogBatch> append(List<LogBatch> batches);

  /**
   * Fences run {@code runId}'s log at {@code fence}'s epoch (never lowering it) and returns the
   * highest number of a line stored for the run, counting lines purged since; 0 if it has none.
   * Atomic with respect to {@link #append}: every batch of a lower epoch is either counted in
   * the number returned, or refused. What an engine calls when it takes a run over, before it
   * writes a line of it.
   *
   * @throws StoreException if the store cannot be read or written
   */
  long fence(String runId, Fence fence);

  /**
   * The lines {@code query} asks for, in number order (lowest first), at most its limit;
   * empty for a run without lines.
   */
  List<LogEntry> query(LogQuery query);

  /**
   * Deletes every line written before {@code time}; returns how many. A run's numbering and
   * fence survive the purge of all its lines: {@link #fence} still counts them.
   */
  long purgeBefore(Instant time);

  /**
   * Deletes every line of the runs {@code runIds}, with their fences and numbering: what a
   * purge of those runs does to their logs. A run without lines is skipped.
   *
   * @return how many lines it deleted
   */
  long deleteRuns(Collection<String> runIds);
}
