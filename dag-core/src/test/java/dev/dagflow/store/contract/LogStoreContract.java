package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.LogStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link LogStore}: implementations subclass it with a factory of empty stores. */
public abstract class LogStoreContract {
  protected LogStore store;

  /** A new, empty store. */
  protected abstract LogStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static LogEntry line(String runId, String nodeId, LogLevel level, String message,
      long millis) {
    return new LogEntry(runId, Optional.ofNullable(nodeId), nodeId == null ? 0 : 1, level,
        message, at(millis));
  }

  /** r-1: engine INFO@0, a DEBUG@10, a WARN@20, b ERROR@30, a INFO@40, b DEBUG@50. */
  private List<LogEntry> sixLines() {
    List<LogEntry> lines = List.of(
        line("r-1", null, LogLevel.INFO, "run started", 0),
        line("r-1", "a", LogLevel.DEBUG, "a: connecting", 10),
        line("r-1", "a", LogLevel.WARN, "a: slow", 20),
        line("r-1", "b", LogLevel.ERROR, "b: failed", 30),
        line("r-1", "a", LogLevel.INFO, "a: done", 40),
        line("r-1", "b", LogLevel.DEBUG, "b: cleanup", 50));
    store.append(lines.subList(0, 2));
    store.append(lines.subList(2, 6));
    return lines;
  }

  private List<String> messages(LogQuery query) {
    return store.query(query).stream().map(LogEntry::message).toList();
  }

  @Test
  void linesReadBackEqualOldestFirstAcrossBatches() {
    List<LogEntry> lines = sixLines();
    assertThat(store.query(LogQuery.of("r-1"))).containsExactlyElementsOf(lines);
  }

  @Test
  void linesOfOneRunKeepTheirAppendOrderEvenWhenTimesDoNot() {
    LogEntry late = line("r-1", "a", LogLevel.INFO, "first written", 500);
    LogEntry early = line("r-1", "a", LogLevel.INFO, "second written", 100);
    store.append(List.of(late, early));
    assertThat(store.query(LogQuery.of("r-1"))).containsExactly(late, early);
  }

  @Test
  void everyFieldRoundTrips() {
    LogEntry entry = new LogEntry("r-9", Optional.of("node.x:1"), 7, LogLevel.WARN,
        "multi\nline ünïcode ✓ \"quoted\"", at(123));
    LogEntry engine = new LogEntry("r-9", Optional.empty(), 0, LogLevel.ERROR, "", at(124));
    store.append(List.of(entry, engine));
    assertThat(store.query(LogQuery.of("r-9"))).containsExactly(entry, engine);
  }

  @Test
  void queryByNodeLeavesOutOtherNodesAndTheEngine() {
    sixLines();
    assertThat(messages(LogQuery.of("r-1").node("a")))
        .containsExactly("a: connecting", "a: slow", "a: done");
    assertThat(messages(LogQuery.of("r-1").node("zzz"))).isEmpty();
  }

  @Test
  void queryByMinLevel() {
    sixLines();
    assertThat(messages(LogQuery.of("r-1").minLevel(LogLevel.WARN)))
        .containsExactly("a: slow", "b: failed");
    assertThat(messages(LogQuery.of("r-1").minLevel(LogLevel.INFO)))
        .containsExactly("run started", "a: slow", "b: failed", "a: done");
    assertThat(store.query(LogQuery.of("r-1").minLevel(LogLevel.DEBUG))).hasSize(6);
  }

  @Test
  void querySinceIsInclusive() {
    sixLines();
    assertThat(messages(LogQuery.of("r-1").since(at(30))))
        .containsExactly("b: failed", "a: done", "b: cleanup");
    assertThat(messages(LogQuery.of("r-1").since(at(51)))).isEmpty();
  }

  @Test
  void limitKeepsTheOldestMatches() {
    sixLines();
    assertThat(messages(LogQuery.of("r-1").limit(2)))
        .containsExactly("run started", "a: connecting");
    assertThat(messages(LogQuery.of("r-1").node("a").limit(2)))
        .containsExactly("a: connecting", "a: slow");
    assertThat(store.query(LogQuery.of("r-1").limit(100))).hasSize(6);
  }

  @Test
  void filtersCombine() {
    sixLines();
    assertThat(messages(LogQuery.of("r-1").node("a").minLevel(LogLevel.INFO).since(at(15))
        .limit(1))).containsExactly("a: slow");
    assertThat(messages(LogQuery.of("r-1").node("b").minLevel(LogLevel.INFO).since(at(15))))
        .containsExactly("b: failed");
  }

  @Test
  void runsAreKeptApart() {
    sixLines();
    LogEntry other = line("r-2", "a", LogLevel.ERROR, "other run", 5);
    store.append(List.of(other));
    assertThat(store.query(LogQuery.of("r-2"))).containsExactly(other);
    assertThat(store.query(LogQuery.of("r-1"))).hasSize(6);
    assertThat(store.query(LogQuery.of("unknown"))).isEmpty();
  }

  @Test
  void oneBatchMayHoldSeveralRuns() {
    LogEntry one = line("r-1", "a", LogLevel.INFO, "one", 1);
    LogEntry two = line("r-2", "a", LogLevel.INFO, "two", 2);
    LogEntry three = line("r-1", "b", LogLevel.INFO, "three", 3);
    store.append(List.of(one, two, three));
    assertThat(store.query(LogQuery.of("r-1"))).containsExactly(one, three);
    assertThat(store.query(LogQuery.of("r-2"))).containsExactly(two);
  }

  @Test
  void appendingNothingChangesNothing() {
    store.append(List.of());
    assertThat(store.query(LogQuery.of("r-1"))).isEmpty();
    assertThat(store.purgeBefore(at(1_000_000))).isZero();
  }

  @Test
  void purgeDeletesOlderLinesOfEveryRunAndCountsThem() {
    sixLines();
    store.append(List.of(line("r-2", null, LogLevel.INFO, "old", 5),
        line("r-2", null, LogLevel.INFO, "new", 35)));
    assertThat(store.purgeBefore(at(30))).isEqualTo(4);
    assertThat(messages(LogQuery.of("r-1"))).containsExactly("b: failed", "a: done", "b: cleanup");
    assertThat(messages(LogQuery.of("r-2"))).containsExactly("new");
    assertThat(store.purgeBefore(at(30))).isZero();
  }

  @Test
  void aRunPurgedEmptyTakesNewLines() {
    store.append(List.of(line("r-1", "a", LogLevel.INFO, "old", 1)));
    assertThat(store.purgeBefore(at(100))).isEqualTo(1);
    assertThat(store.query(LogQuery.of("r-1"))).isEmpty();
    store.append(List.of(line("r-1", "a", LogLevel.INFO, "new", 200)));
    assertThat(messages(LogQuery.of("r-1"))).containsExactly("new");
  }

  @Test
  void resultsAreUnmodifiable() {
    sixLines();
    List<LogEntry> read = store.query(LogQuery.of("r-1"));
    assertThatThrownBy(read::clear)
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void concurrentAppendsLoseNothingAndKeepEachWritersOrder() throws Exception {
    int threads = 6;
    int batches = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String nodeId = "w" + t;
        String runId = t % 2 == 0 ? "shared" : "own-" + t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int b = 0; b < batches; b++) {
            store.append(List.of(line(runId, nodeId, LogLevel.INFO, nodeId + ":" + (2 * b), b),
                line(runId, nodeId, LogLevel.INFO, nodeId + ":" + (2 * b + 1), b)));
          }
          return null;
        }));
      }
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 50; i++) {
          store.purgeBefore(at(-1));
          store.query(LogQuery.of("shared"));
        }
        return null;
      }));
      start.countDown();
      for (Future<?> f : futures) {
        f.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
    for (int t = 0; t < threads; t++) {
      String runId = t % 2 == 0 ? "shared" : "own-" + t;
      List<String> seen = messages(LogQuery.of(runId).node("w" + t));
      assertThat(seen).hasSize(2 * batches);
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i)).isEqualTo("w" + t + ":" + i);
      }
    }
  }
}
