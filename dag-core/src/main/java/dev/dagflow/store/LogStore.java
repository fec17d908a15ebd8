package dev.dagflow.store;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import java.time.Instant;
import java.util.List;

/**
 * SPI: where log lines of runs live. The engine appends lines in batches from its worker
 * threads. Implementations are thread-safe.
 */
public interface LogStore {

  /** Appends lines; lines of one run keep their order. */
  void append(List<LogEntry> entries);

  /** The lines {@code query} asks for, oldest first, at most its limit. */
  List<LogEntry> query(LogQuery query);

  /** Deletes every line written before {@code time}; returns how many. */
  long purgeBefore(Instant time);
}
