package dev.dagflow.store.contract;

import static dev.dagflow.store.contract.StoreFixtures.at;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.store.Fence;
import dev.dagflow.store.LogBatch;
import dev.dagflow.store.LogStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract of {@link LogStore}: implementations subclass it with a factory of empty stores. */
public abstract class LogStoreContract {
  private static final Fence OWNER = new Fence("engine-a", 1);

  protected LogStore store;

  /** A new, empty store. */
  protected abstract LogStore newStore();

  @BeforeEach
  void createStore() {
    store = newStore();
  }

  private static LogEntry line(String runId, long seq, String nodeId, LogLevel level,
      String message, long millis) {
    return new LogEntry(runId, seq, Optional.ofNullable(nodeId), nodeId == null ? 0 : 1, level,
        message, at(millis));
  }

  private static LogEntry line(String runId, long seq, String message) {
    return line(runId, seq, "a", LogLevel.INFO, message, seq);
  }

  private static LogBatch batch(Fence fence, LogEntry... lines) {
    return new LogBatch(lines[0].runId(), fence, List.of(lines));
  }

  /** Appends {@code lines}, one run's, under the first owner's fence; none may be refused. */
  private void append(LogEntry... lines) {
    assertThat(store.append(List.of(batch(OWNER, lines)))).isEmpty();
  }

  /** r-1: engine INFO@0, a DEBUG@10, a WARN@20, b ERROR@30, a INFO@40, b DEBUG@50; seq 1 to 6. */
  private List<LogEntry> sixLines() {
    List<LogEntry> lines = List.of(
        line("r-1", 1, null, LogLevel.INFO, "run started", 0),
        line("r-1", 2, "a", LogLevel.DEBUG, "a: connecting", 10),
        line("r-1", 3, "a", LogLevel.WARN, "a: slow", 20),
        line("r-1", 4, "b", LogLevel.ERROR, "b: failed", 30),
        line("r-1", 5, "a", LogLevel.INFO, "a: done", 40),
        line("r-1", 6, "b", LogLevel.DEBUG, "b: cleanup", 50));
    append(lines.subList(0, 2).toArray(LogEntry[]::new));
    append(lines.subList(2, 6).toArray(LogEntry[]::new));
    return lines;
  }

  private List<String> messages(LogQuery query) {
    return store.query(query).stream().map(LogEntry::message).toList();
  }

  private List<Long> seqs(LogQuery query) {
    return store.query(query).stream().map(LogEntry::seq).toList();
  }

  // ---- reading back ------------------------------------------------------------------------

  @Test
  void linesReadBackEqualInNumberOrderAcrossBatches() {
    List<LogEntry> lines = sixLines();
    assertThat(store.query(LogQuery.of("r-1"))).containsExactlyElementsOf(lines);
  }

  @Test
  void linesAreReadInNumberOrderWhateverTheirTimes() {
    LogEntry late = line("r-1", 1, "a", LogLevel.INFO, "first written", 500);
    LogEntry early = line("r-1", 2, "a", LogLevel.INFO, "second written", 100);
    append(late, early);
    assertThat(store.query(LogQuery.of("r-1"))).containsExactly(late, early);
  }

  @Test
  void everyFieldRoundTrips() {
    LogEntry entry = new LogEntry("r-9", 41, Optional.of("node.x:1"), 7, LogLevel.WARN,
        "multi\nline ünïcode ✓ \"quoted\"", at(123));
    LogEntry engine = new LogEntry("r-9", Long.MAX_VALUE - 1, Optional.empty(), 0,
        LogLevel.ERROR, "", at(124));
    append(entry, engine);
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
  void limitKeepsTheLowestNumberedMatches() {
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
    assertThat(messages(LogQuery.of("r-1").node("a").minLevel(LogLevel.INFO)
        .afterSequence(3))).containsExactly("a: done");
  }

  // ---- the cursor --------------------------------------------------------------------------

  @Test
  void theCursorReadsOnlyLinesNumberedAboveIt() {
    sixLines();
    assertThat(seqs(LogQuery.of("r-1").afterSequence(0))).containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
    assertThat(seqs(LogQuery.of("r-1").afterSequence(4))).containsExactly(5L, 6L);
    assertThat(seqs(LogQuery.of("r-1").afterSequence(6))).isEmpty();
    assertThat(seqs(LogQuery.of("r-1").afterSequence(Long.MAX_VALUE))).isEmpty();
  }

  @Test
  void pagesReadWithTheCursorMissNothingAndRepeatNothingWhileTheLogGrows() {
    List<Long> read = new ArrayList<>();
    long cursor = 0;
    long next = 1;
    for (int round = 0; round < 10; round++) {
      List<LogEntry> written = new ArrayList<>();
      for (int i = 0; i < 7; i++, next++) {
        written.add(line("r-1", next, "line " + next));
      }
      append(written.toArray(LogEntry[]::new));
      List<LogEntry> page = store.query(LogQuery.of("r-1").afterSequence(cursor).limit(5));
      for (LogEntry e : page) {
        read.add(e.seq());
      }
      cursor = page.get(page.size() - 1).seq();
    }
    List<LogEntry> page;
    while (!(page = store.query(LogQuery.of("r-1").afterSequence(cursor).limit(5))).isEmpty()) {
      page.forEach(e -> read.add(e.seq()));
      cursor = page.get(page.size() - 1).seq();
    }
    assertThat(read).hasSize(70).isSorted().doesNotHaveDuplicates();
    assertThat(read.get(69)).isEqualTo(70);
  }

  @Test
  void numbersNeedNotStartAtOneNorBeContiguousAcrossOwners() {
    append(line("r-1", 3, "three"), line("r-1", 10, "ten"));
    assertThat(seqs(LogQuery.of("r-1"))).containsExactly(3L, 10L);
    assertThat(seqs(LogQuery.of("r-1").afterSequence(3))).containsExactly(10L);
  }

  // ---- duplicates and fencing ---------------------------------------------------------------

  @Test
  void aBatchAppendedAgainIsStoredOnce() {
    LogBatch first = batch(OWNER, line("r-1", 1, "one"), line("r-1", 2, "two"));
    assertThat(store.append(List.of(first))).isEmpty();
    assertThat(store.append(List.of(first))).isEmpty();
    LogBatch overlapping = batch(OWNER, line("r-1", 2, "two again"), line("r-1", 3, "three"));
    assertThat(store.append(List.of(overlapping))).isEmpty();
    assertThat(messages(LogQuery.of("r-1"))).containsExactly("one", "two", "three");
  }

  @Test
  void aFenceReturnsTheHighestNumberStoredAndZeroForAnUnknownRun() {
    assertThat(store.fence("nothing", new Fence("engine-b", 2))).isZero();
    sixLines();
    assertThat(store.fence("r-1", new Fence("engine-b", 2))).isEqualTo(6);
    assertThat(store.fence("r-1", new Fence("engine-c", 3))).isEqualTo(6);
  }

  @Test
  void afterAFenceTheFormerOwnersBatchesAreRefusedWholeAndTheNewOwnersTaken() {
    append(line("r-1", 1, "a1"), line("r-1", 2, "a2"));
    Fence b = new Fence("engine-b", 2);
    assertThat(store.fence("r-1", b)).isEqualTo(2);
    LogBatch late = batch(OWNER, line("r-1", 3, "a3, late"), line("r-1", 4, "a4, late"));
    LogBatch own = batch(b, line("r-1", 3, "b3"), line("r-1", 4, "b4"));
    List<LogBatch> refused = store.append(List.of(late, own));
    assertThat(refused).containsExactly(late);
    assertThat(messages(LogQuery.of("r-1"))).containsExactly("a1", "a2", "b3", "b4");
    assertThat(store.append(List.of(batch(OWNER, line("r-1", 5, "a5, later")))))
        .as("the fence stays").hasSize(1);
    assertThat(store.fence("r-1", new Fence("engine-c", 3))).isEqualTo(4);
  }

  @Test
  void aFenceNeverLowersTheEpoch() {
    store.fence("r-1", new Fence("engine-c", 5));
    assertThat(store.fence("r-1", new Fence("engine-b", 2))).isZero();
    LogBatch atTwo = batch(new Fence("engine-b", 2), line("r-1", 1, "b1"));
    assertThat(store.append(List.of(atTwo))).containsExactly(atTwo);
    LogBatch atFive = batch(new Fence("engine-c", 5), line("r-1", 1, "c1"));
    LogBatch atSix = batch(new Fence("engine-d", 6), line("r-1", 2, "d2"));
    assertThat(store.append(List.of(atFive, atSix))).as("an epoch at or above the fence")
        .isEmpty();
    assertThat(messages(LogQuery.of("r-1"))).containsExactly("c1", "d2");
  }

  @Test
  void aFenceOfOneRunLeavesTheOthersAlone() {
    store.fence("r-1", new Fence("engine-b", 4));
    LogBatch other = batch(OWNER, line("r-2", 1, "other run"));
    LogBatch fenced = batch(OWNER, line("r-1", 1, "fenced off"));
    assertThat(store.append(List.of(other, fenced))).containsExactly(fenced);
    assertThat(messages(LogQuery.of("r-2"))).containsExactly("other run");
    assertThat(store.query(LogQuery.of("r-1"))).isEmpty();
  }

  @Test
  void theNumberingAndTheFenceSurviveAPurgeOfEveryLine() {
    append(line("r-1", 1, "old"), line("r-1", 2, "old too"));
    store.fence("r-1", new Fence("engine-b", 2));
    assertThat(store.purgeBefore(at(1_000))).isEqualTo(2);
    assertThat(store.query(LogQuery.of("r-1"))).isEmpty();
    assertThat(store.fence("r-1", new Fence("engine-b", 2))).isEqualTo(2);
    assertThat(store.append(List.of(batch(OWNER, line("r-1", 3, "late"))))).hasSize(1);
  }

  // ---- runs, batches, purges ----------------------------------------------------------------

  @Test
  void runsAreKeptApart() {
    sixLines();
    LogEntry other = line("r-2", 1, "a", LogLevel.ERROR, "other run", 5);
    append(other);
    assertThat(store.query(LogQuery.of("r-2"))).containsExactly(other);
    assertThat(store.query(LogQuery.of("r-1"))).hasSize(6);
    assertThat(store.query(LogQuery.of("unknown"))).isEmpty();
  }

  @Test
  void oneCallMayHoldSeveralRunsAndSeveralBatchesOfOneRun() {
    LogEntry one = line("r-1", 1, "one");
    LogEntry two = line("r-2", 1, "two");
    LogEntry three = line("r-1", 2, "three");
    assertThat(store.append(List.of(batch(OWNER, one), batch(OWNER, two),
        batch(OWNER, three)))).isEmpty();
    assertThat(store.query(LogQuery.of("r-1"))).containsExactly(one, three);
    assertThat(store.query(LogQuery.of("r-2"))).containsExactly(two);
  }

  @Test
  void appendingNothingChangesNothing() {
    assertThat(store.append(List.of())).isEmpty();
    assertThat(store.query(LogQuery.of("r-1"))).isEmpty();
    assertThat(store.purgeBefore(at(1_000_000))).isZero();
  }

  @Test
  void purgeDeletesOlderLinesOfEveryRunAndCountsThem() {
    sixLines();
    append(line("r-2", 1, null, LogLevel.INFO, "old", 5),
        line("r-2", 2, null, LogLevel.INFO, "new", 35));
    assertThat(store.purgeBefore(at(30))).isEqualTo(4);
    assertThat(messages(LogQuery.of("r-1"))).containsExactly("b: failed", "a: done", "b: cleanup");
    assertThat(messages(LogQuery.of("r-2"))).containsExactly("new");
    assertThat(store.purgeBefore(at(30))).isZero();
  }

  @Test
  void aRunPurgedEmptyTakesNewLines() {
    append(line("r-1", 1, "a", LogLevel.INFO, "old", 1));
    assertThat(store.purgeBefore(at(100))).isEqualTo(1);
    assertThat(store.query(LogQuery.of("r-1"))).isEmpty();
    append(line("r-1", 2, "a", LogLevel.INFO, "new", 200));
    assertThat(messages(LogQuery.of("r-1"))).containsExactly("new");
  }

  @Test
  void resultsAreUnmodifiable() {
    sixLines();
    List<LogEntry> read = store.query(LogQuery.of("r-1"));
    assertThatThrownBy(read::clear).isInstanceOf(UnsupportedOperationException.class);
    store.fence("r-1", new Fence("engine-b", 2));
    List<LogBatch> refused = store.append(List.of(batch(OWNER, line("r-1", 7, "late"))));
    assertThatThrownBy(refused::clear).isInstanceOf(UnsupportedOperationException.class);
  }

  // ---- concurrency ---------------------------------------------------------------------------

  @Test
  void concurrentAppendsLoseNothingAndKeepEachRunsOrder() throws Exception {
    int threads = 6;
    int batches = 100;
    ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        String runId = "run-" + t;
        futures.add(pool.submit(() -> {
          start.await();
          for (int b = 0; b < batches; b++) {
            append(line(runId, 2L * b + 1, runId + ":" + (2 * b)),
                line(runId, 2L * b + 2, runId + ":" + (2 * b + 1)));
          }
          return null;
        }));
      }
      futures.add(pool.submit(() -> {
        start.await();
        for (int i = 0; i < 50; i++) {
          store.purgeBefore(at(-1));
          store.query(LogQuery.of("run-0"));
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
      String runId = "run-" + t;
      List<LogEntry> seen = store.query(LogQuery.of(runId));
      assertThat(seen).hasSize(2 * batches);
      for (int i = 0; i < seen.size(); i++) {
        assertThat(seen.get(i).seq()).isEqualTo(i + 1);
        assertThat(seen.get(i).message()).isEqualTo(runId + ":" + i);
      }
    }
  }

  /**
   * A former owner appends line after line while a new owner fences the log and then writes
   * from the number the fence returned: every former line is either counted by the fence or
   * refused, so the log holds the former owner's lines up to that number and then the new
   * owner's, each number once.
   */
  @Test
  void aFenceRacingAFormerOwnersAppendsSplitsTheLogCleanly() throws Exception {
    int rounds = 20;
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      for (int round = 0; round < rounds; round++) {
        String runId = "race-" + round;
        int formerLines = 400;
        CountDownLatch started = new CountDownLatch(1);
        AtomicLong lastTaken = new AtomicLong();
        Future<?> former = pool.submit(() -> {
          for (long seq = 1; seq <= formerLines; seq++) {
            if (seq == 20) {
              started.countDown();
            }
            if (store.append(List.of(batch(OWNER, line(runId, seq, "old " + seq)))).isEmpty()) {
              lastTaken.set(seq);
            }
          }
          return null;
        });
        assertThat(started.await(10, TimeUnit.SECONDS)).isTrue();
        long from = store.fence(runId, new Fence("engine-b", 2));
        Future<?> next = pool.submit(() -> {
          for (long seq = from + 1; seq <= from + 50; seq++) {
            assertThat(store.append(List.of(batch(new Fence("engine-b", 2),
                line(runId, seq, "new " + seq))))).isEmpty();
          }
          return null;
        });
        former.get(60, TimeUnit.SECONDS);
        next.get(60, TimeUnit.SECONDS);
        assertThat(lastTaken.get()).as("round %d", round).isEqualTo(from);
        List<LogEntry> log = store.query(LogQuery.of(runId));
        assertThat(log).extracting(LogEntry::seq).as("round %d", round)
            .containsExactlyElementsOf(numbers(1, from + 50));
        assertThat(log).allSatisfy(e -> assertThat(e.message())
            .startsWith(e.seq() <= from ? "old " : "new "));
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }

  private static List<Long> numbers(long from, long to) {
    List<Long> out = new ArrayList<>();
    for (long i = from; i <= to; i++) {
      out.add(i);
    }
    return out;
  }

  @Test
  void deletingRunsDropsTheirLinesAndNumberingAndNothingElse() {
    sixLines();
    LogEntry other = line("r-2", 1, "a", LogLevel.ERROR, "other run", 5);
    append(other);
    assertThat(store.deleteRuns(List.of("r-1", "unknown"))).isEqualTo(6);
    assertThat(store.query(LogQuery.of("r-1"))).isEmpty();
    assertThat(store.query(LogQuery.of("r-2"))).containsExactly(other);
    // a run's numbering goes with it: fenced again, it starts from nothing
    assertThat(store.fence("r-1", new Fence("engine-b", 1))).isZero();
    assertThat(store.deleteRuns(List.of())).isZero();
  }
}
