package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/**
 * Log lines go to the log store in batches, off the threads that write them: far fewer appends
 * than lines, within a flush interval while the attempt runs, at once when it ends, before a
 * query of the owner and before close() releases the leases; a full buffer holds the writer
 * rather than drop lines; store failures are retried, in order, each line stored once; and
 * a run's lines are numbered from 1 without gaps, its own lines among its nodes'.
 */
class LogBatchingTest {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Stores memory = Stores.inMemory();
  private final WatchedLogStore logs = new WatchedLogStore(memory.logs());

  private DagEngine engine(Consumer<DagEngine.Builder> configure) {
    DagEngine.Builder b = DagEngine.builder()
        .stores(Stores.of(memory.runs(), logs, memory.policies(), memory.templates(),
            memory.triggers()));
    configure.accept(b);
    DagEngine engine = b.build();
    engine.start();
    return engine;
  }

  private static DagSpec oneNode(String id) {
    return DagSpec.builder("logs").node(NodeSpec.task(id, "t")).build();
  }

  private static List<Long> oneTo(long n) {
    return LongStream.rangeClosed(1, n).boxed().toList();
  }

  /** Every line of the run, read in pages through the cursor. */
  private static List<LogEntry> readAll(DagEngine engine, String run) {
    List<LogEntry> all = new ArrayList<>();
    long cursor = 0;
    List<LogEntry> page;
    while (!(page = engine.logs(LogQuery.of(run).afterSequence(cursor).limit(700))).isEmpty()) {
      all.addAll(page);
      cursor = page.get(page.size() - 1).seq();
    }
    return all;
  }

  @Test
  void aNodeWritingManyLinesCostsFarFewerAppendsThanLines() throws Exception {
    int lines = 5_000;
    TaskHandler chatty = ctx -> {
      for (int i = 1; i <= lines; i++) {
        ctx.log(LogLevel.INFO, "line {}", i);
      }
      return null;
    };
    try (DagEngine engine = engine(b -> b.handler("t", chatty))) {
      String run = engine.submit(oneNode("a"));
      assertThat(engine.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
      List<LogEntry> read = readAll(engine, run);
      assertThat(read).extracting(LogEntry::seq).containsExactlyElementsOf(oneTo(lines));
      assertThat(read.get(lines - 1).message()).isEqualTo("line " + lines);
      assertThat(read).allSatisfy(e -> assertThat(e.nodeId()).contains("a"));
      assertThat(logs.appends()).as("appends for %d lines: %s", lines, logs.sizes())
          .isPositive().isLessThanOrEqualTo(lines / 100);
      assertThat(logs.sizes()).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(1_000));
    }
  }

  @Test
  void aLineReachesTheStoreWithinAFlushIntervalWhileItsAttemptStillRuns() throws Exception {
    CompletableFuture<NodeResult> held = new CompletableFuture<>();
    CompletableFuture<Long> logged = new CompletableFuture<>();
    NodeExecutor holding = ctx -> {
      ctx.log(LogLevel.INFO, "early");
      logged.complete(System.nanoTime());
      return held;
    };
    try (DagEngine engine = engine(b -> b.executor("t", holding))) {
      engine.submit(oneNode("a"));
      long at = logged.get(10, TimeUnit.SECONDS);
      WatchedLogStore.Arrival arrival = logs.await(e -> e.message().equals("early"));
      assertThat(arrival).as("the line reached the store").isNotNull();
      assertThat(held).as("nothing but the interval wrote it: the attempt runs on").isNotDone();
      // the interval is 200 ms; a loaded machine may be late, a missing timer never comes
      assertThat(TimeUnit.NANOSECONDS.toMillis(arrival.nanos() - at)).isLessThan(2_000);
      held.complete(NodeResult.success());
    }
  }

  @Test
  void aQueryOfTheOwnerSeesTheLinesWrittenJustBeforeIt() throws Exception {
    CompletableFuture<NodeResult> held = new CompletableFuture<>();
    CountDownLatch logged = new CountDownLatch(1);
    NodeExecutor holding = ctx -> {
      ctx.log(LogLevel.INFO, "one");
      ctx.log(LogLevel.WARN, "two");
      logged.countDown();
      return held;
    };
    try (DagEngine engine = engine(b -> b.executor("t", holding))) {
      String run = engine.submit(oneNode("a"));
      assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(engine.logs(LogQuery.of(run))).extracting(LogEntry::seq, LogEntry::message)
          .containsExactly(tuple(1L, "one"), tuple(2L, "two"));
      held.complete(NodeResult.success());
    }
  }

  /**
   * Without the flush an attempt's end asks for, its last line would reach the store one
   * interval (200 ms) after it was written at the earliest; the quickest of five runs shows it
   * comes sooner.
   */
  @Test
  void theLinesOfAnAttemptAreWrittenWhenItEnds() throws Exception {
    AtomicLong loggedAt = new AtomicLong();
    TaskHandler lastWords = ctx -> {
      ctx.log(LogLevel.INFO, "last words of " + ctx.runId());
      loggedAt.set(System.nanoTime());
      return null;
    };
    long quickest = Long.MAX_VALUE;
    List<Long> delays = new ArrayList<>();
    try (DagEngine engine = engine(b -> b.handler("t", lastWords))) {
      for (int i = 0; i < 5; i++) {
        String run = engine.submit(oneNode("a"));
        WatchedLogStore.Arrival arrival =
            logs.await(e -> e.message().equals("last words of " + run));
        assertThat(arrival).isNotNull();
        long ms = TimeUnit.NANOSECONDS.toMillis(arrival.nanos() - loggedAt.get());
        delays.add(ms);
        quickest = Math.min(quickest, ms);
        engine.await(run, WAIT);
      }
    }
    assertThat(quickest).as("ms from the line to the store, in five runs: %s", delays)
        .isLessThan(150);
  }

  @Test
  void closeWritesTheBufferedLinesBeforeItReleasesTheLeases() throws Exception {
    CountDownLatch logged = new CountDownLatch(1);
    NodeExecutor hanging = ctx -> {
      for (int i = 1; i <= 50; i++) {
        ctx.log(LogLevel.INFO, "line {}", i);
      }
      logged.countDown();
      return new CompletableFuture<>();
    };
    FaultyRunStore runs = new FaultyRunStore(memory.runs());
    AtomicInteger storedAtRelease = new AtomicInteger(-1);
    String run;
    DagEngine engine = DagEngine.builder()
        .stores(Stores.of(runs, logs, memory.policies(), memory.templates(), memory.triggers()))
        .executor("t", hanging).build();
    try {
      engine.start();
      run = engine.submit(oneNode("a"));
      runs.onRelease(() -> storedAtRelease.set(memory.logs().query(LogQuery.of(run)).size()));
      assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      engine.close();
    }
    assertThat(storedAtRelease.get()).as("lines in the store when the lease went").isEqualTo(50);
    assertThat(memory.logs().query(LogQuery.of(run))).extracting(LogEntry::seq)
        .containsExactlyElementsOf(oneTo(50));
  }

  /**
   * The store holds the first append; the buffer (100 lines) fills and the writing thread
   * waits inside {@code log} until the store takes the batch; then every line is stored, in
   * order.
   */
  @Test
  void aFullBufferHoldsTheWriterUntilThereIsRoomAndDropsNothing() throws Exception {
    int lines = 1_000;
    int buffer = 100;
    AtomicInteger returned = new AtomicInteger();
    Object progress = new Object();
    CompletableFuture<Void> wrote = new CompletableFuture<>();
    TaskHandler chatty = ctx -> {
      for (int i = 1; i <= lines; i++) {
        ctx.log(LogLevel.INFO, "line {}", i);
        returned.incrementAndGet();
        synchronized (progress) {
          progress.notifyAll();
        }
      }
      wrote.complete(null);
      return null;
    };
    logs.hold();
    try (DagEngine engine = engine(b -> b.handler("t", chatty).logBuffer(buffer))) {
      String run = engine.submit(oneNode("a"));
      assertThat(logs.awaitHeld(10)).as("the first append reached the store").isTrue();
      int first = logs.sizes().get(0);
      int blockedAt = first + buffer; // the batch held in the store, and a full buffer
      long deadline = System.nanoTime() + WAIT.toNanos();
      synchronized (progress) {
        while (returned.get() < blockedAt && deadline - System.nanoTime() > 0) {
          TimeUnit.NANOSECONDS.timedWait(progress, deadline - System.nanoTime());
        }
      }
      assertThat(returned.get()).isEqualTo(blockedAt);
      assertThatThrownBy(() -> wrote.get(300, TimeUnit.MILLISECONDS))
          .as("the writer waits for room").isInstanceOf(TimeoutException.class);
      assertThat(returned.get()).isEqualTo(blockedAt);
      assertThat(logs.sizes()).as("nothing else reached the store meanwhile").hasSize(1);

      logs.open();
      wrote.get(10, TimeUnit.SECONDS);
      assertThat(engine.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
      List<LogEntry> read = readAll(engine, run);
      assertThat(read).extracting(LogEntry::seq).containsExactlyElementsOf(oneTo(lines));
      assertThat(read).extracting(LogEntry::message).endsWith("line " + lines);
    }
  }

  @Test
  void failedAppendsAreRetriedInOrderAndEveryLineIsStoredOnce() throws Exception {
    TaskHandler chatty = ctx -> {
      for (int i = 1; i <= 300; i++) {
        ctx.log(LogLevel.INFO, "line {}", i);
      }
      return null;
    };
    // two appends fail, the third stores its lines and fails all the same: it is sent again
    logs.failNext(2).failNextAfterStoring(1);
    try (LogCapture captured = new LogCapture();
        DagEngine engine = engine(b -> b.handler("t", chatty)
            .storeRetry(5, Duration.ofMillis(1), Duration.ofMillis(5)))) {
      String run = engine.submit(oneNode("a"));
      assertThat(engine.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
      List<LogEntry> read = readAll(engine, run);
      assertThat(read).extracting(LogEntry::seq).containsExactlyElementsOf(oneTo(300));
      for (int i = 0; i < 300; i++) {
        assertThat(read.get(i).message()).isEqualTo("line " + (i + 1));
      }
      assertThat(captured.containing("log lines failed (try")).hasSize(3);
      assertThat(logs.appends()).isGreaterThanOrEqualTo(4);
    }
  }

  @Test
  void theLinesOfParallelNodesShareOneNumberingWithoutGaps() throws Exception {
    int perNode = 400;
    TaskHandler chatty = ctx -> {
      for (int i = 1; i <= perNode; i++) {
        ctx.log(LogLevel.INFO, "{} {}", ctx.nodeId(), i);
      }
      return null;
    };
    DagSpec spec = DagSpec.builder("parallel").node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t")).node(NodeSpec.task("c", "t")).node(NodeSpec.task("d", "t"))
        .build();
    try (DagEngine engine = engine(b -> b.handler("t", chatty).workersPerScope(4))) {
      String run = engine.submit(spec);
      assertThat(engine.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
      List<LogEntry> read = readAll(engine, run);
      assertThat(read).extracting(LogEntry::seq).containsExactlyElementsOf(oneTo(4L * perNode));
      for (String node : List.of("a", "b", "c", "d")) {
        List<String> own = read.stream().filter(e -> e.nodeId().equals(Optional.of(node)))
            .map(LogEntry::message).toList();
        assertThat(own).hasSize(perNode).startsWith(node + " 1").endsWith(node + " " + perNode);
        for (int i = 0; i < perNode; i++) {
          assertThat(own.get(i)).isEqualTo(node + " " + (i + 1));
        }
      }
    }
  }

  /**
   * The engine's own note on a run is written inside the run's step, under its lock: it never
   * waits for room, even with the buffer full and the store stuck, so the step ends.
   */
  @Test
  void aNoteOfTheEngineInsideAStepNeverWaitsForRoom() throws Exception {
    CompletableFuture<NodeResult> held = new CompletableFuture<>();
    CountDownLatch logged = new CountDownLatch(1);
    NodeExecutor slow = ctx -> {
      ctx.log(LogLevel.INFO, "one"); // taken by the flusher, held in the store
      ctx.log(LogLevel.INFO, "two"); // fills the buffer of one line
      logged.countDown();
      return held;
    };
    logs.hold();
    try (DagEngine engine = engine(b -> b.executor("t", slow).logBuffer(1))) {
      String run = engine.submit(DagSpec.builder("late")
          .node(NodeSpec.task("a", "t").timeout(Duration.ofMillis(50))).build());
      assertThat(logs.awaitHeld(10)).isTrue();
      assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
      assertThat(engine.await(run, WAIT).state()).isEqualTo(RunState.FAILED);
      // the late completion is applied in a step that notes it is ignored
      CompletableFuture<Void> applied = CompletableFuture.runAsync(
          () -> held.complete(NodeResult.success()));
      applied.get(10, TimeUnit.SECONDS);
      logs.open();
      assertThat(engine.logs(LogQuery.of(run))).extracting(LogEntry::seq, LogEntry::message)
          .satisfiesExactly(
              l -> assertThat(l.toList()).containsExactly(1L, "one"),
              l -> assertThat(l.toList()).containsExactly(2L, "two"),
              l -> assertThat(l.toList().get(1).toString()).contains("ignored a completion"));
    }
  }

  @Test
  void closeGivesUpOnAFailingLogStoreAtItsDeadlineAndSaysHowManyLines() throws Exception {
    CountDownLatch logged = new CountDownLatch(1);
    NodeExecutor hanging = ctx -> {
      for (int i = 1; i <= 10; i++) {
        ctx.log(LogLevel.INFO, "line {}", i);
      }
      logged.countDown();
      return new CompletableFuture<>();
    };
    logs.failNext(Integer.MAX_VALUE);
    try (LogCapture captured = new LogCapture()) {
      DagEngine engine = engine(b -> b.executor("t", hanging)
          .shutdownTimeout(Duration.ofMillis(300))
          .storeRetry(5, Duration.ofMillis(10), Duration.ofMillis(50)));
      engine.submit(oneNode("a"));
      assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
      long start = System.nanoTime();
      engine.close();
      long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(ms).as("close() took %d ms", ms).isLessThan(5_000);
      assertThat(captured.containing("close() gave up after")).singleElement()
          .satisfies(e -> assertThat(e.getFormattedMessage())
              .contains("10 log lines, which the log store did not take in time"));
      assertThat(logs.appends()).isGreaterThan(1);
    }
  }

  @Test
  void aLogBufferOutOfRangeIsRefusedNamingIt() {
    assertThatThrownBy(() -> DagEngine.builder().logBuffer(0))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logBuffer");
    assertThatThrownBy(() -> DagEngine.builder().logBuffer(1_000_001))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logBuffer");
  }
}
