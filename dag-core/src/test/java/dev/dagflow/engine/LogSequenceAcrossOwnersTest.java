package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.Stores;
import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A run's log is numbered by whoever owns it, and a new owner goes on after the last line
 * stored: after a close and a takeover, after a former owner is cut off (its late lines are
 * refused, never mixed in), after a retry re-opens an ended run, and for the run's own lines
 * written after its end.
 */
class LogSequenceAcrossOwnersTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final Duration LEASE = Duration.ofMillis(600);

  private static DagSpec oneNode(String id) {
    return DagSpec.builder("seq").node(NodeSpec.task(id, "t")).build();
  }

  private static List<String> messages(List<LogEntry> lines) {
    return lines.stream().map(LogEntry::message).toList();
  }

  @Test
  void aRunTakenOverAfterACloseNumbersOnWithoutGapsOrDuplicates() throws Exception {
    Stores shared = Stores.inMemory();
    CountDownLatch logged = new CountDownLatch(1);
    NodeExecutor firstOwner = ctx -> {
      ctx.log(LogLevel.INFO, "a: attempt {} begins", ctx.attempt());
      ctx.log(LogLevel.INFO, "a: attempt {} works", ctx.attempt());
      logged.countDown();
      return new CompletableFuture<>(); // still running when its engine closes
    };
    String run;
    try (DagEngine a = DagEngine.builder().instanceId("engine-a").stores(shared)
        .executor("t", firstOwner).build()) {
      a.start();
      run = a.submit(oneNode("a"));
      assertThat(logged.await(10, TimeUnit.SECONDS)).isTrue();
    } // close() writes both lines, then releases the lease

    TaskHandler secondOwner = ctx -> {
      for (int i = 1; i <= 3; i++) {
        ctx.log(LogLevel.INFO, "a: attempt {} line {}", ctx.attempt(), i);
      }
      return null;
    };
    try (DagEngine b = DagEngine.builder().instanceId("engine-b").stores(shared)
        .handler("t", secondOwner).build()) {
      b.start(); // claims the run: attempt 1 is abandoned, attempt 2 runs here
      assertThat(b.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
      assertThat(b.logs(LogQuery.of(run))).extracting(LogEntry::seq, LogEntry::attempt,
          LogEntry::message).containsExactly(
              tuple(1L, 1, "a: attempt 1 begins"),
              tuple(2L, 1, "a: attempt 1 works"),
              tuple(3L, 2, "a: attempt 2 line 1"),
              tuple(4L, 2, "a: attempt 2 line 2"),
              tuple(5L, 2, "a: attempt 2 line 3"));
      assertThat(b.logs(LogQuery.of(run).afterSequence(2))).extracting(LogEntry::seq)
          .as("a reader's cursor from the first owner resumes on the second")
          .containsExactly(3L, 4L, 5L);
    }
  }

  /**
   * engine-a's renewals fail, so it works on past its lease without knowing; engine-b claims
   * the run and finishes it. The lines engine-a writes after that are refused by the store:
   * they would have taken numbers engine-b's lines have.
   */
  @Test
  void aCutOffFormerOwnersLateLinesAreRefusedAndTheNewOwnersNumberOn() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore aRuns = new FaultyRunStore(shared.runs());
    CompletableFuture<NodeContext> aContext = new CompletableFuture<>();
    CompletableFuture<NodeResult> aResult = new CompletableFuture<>();
    NodeExecutor firstOwner = ctx -> {
      ctx.log(LogLevel.INFO, "old 1");
      ctx.log(LogLevel.INFO, "old 2");
      aContext.complete(ctx);
      return aResult;
    };
    TaskHandler secondOwner = ctx -> {
      ctx.log(LogLevel.INFO, "new 1");
      ctx.log(LogLevel.INFO, "new 2");
      return null;
    };
    try (LogCapture captured = new LogCapture();
        DagEngine a = DagEngine.builder().instanceId("engine-a").leaseTime(LEASE)
            .stores(Stores.of(aRuns, shared.logs(), shared.policies(), shared.templates(),
                shared.triggers()))
            .executor("t", firstOwner).build()) {
      a.start();
      aRuns.failRenewals();
      String run = a.submit(oneNode("a"));
      NodeContext late = aContext.get(10, TimeUnit.SECONDS);
      assertThat(messages(a.logs(LogQuery.of(run)))).as("written before the takeover")
          .containsExactly("old 1", "old 2");

      try (DagEngine b = DagEngine.builder().instanceId("engine-b").leaseTime(LEASE)
          .stores(shared).handler("t", secondOwner).build()) {
        b.start();
        assertThat(b.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);

        CountDownLatch refused = new CountDownLatch(1);
        captured.onMessage("were refused", refused::countDown);
        late.log(LogLevel.WARN, "late 1"); // numbered 3 and 4 by engine-a, as engine-b's are
        late.log(LogLevel.WARN, "late 2");
        assertThat(refused.await(10, TimeUnit.SECONDS)).as("the refusal is logged").isTrue();
        assertThat(captured.containing("were refused")).singleElement().satisfies(e ->
            assertThat(e.getFormattedMessage()).contains(run).contains("2 log lines (3 to 4)")
                .contains("epoch 1"));

        List<LogEntry> log = shared.logs().query(LogQuery.of(run));
        assertThat(log).extracting(LogEntry::seq, LogEntry::message).containsExactly(
            tuple(1L, "old 1"), tuple(2L, "old 2"), tuple(3L, "new 1"), tuple(4L, "new 2"));
        assertThat(b.logs(LogQuery.of(run))).isEqualTo(log);
        aResult.complete(NodeResult.success()); // engine-a's late write: refused, run dropped
      }
    }
  }

  @Test
  void aRetryOfAnEndedRunNumbersOnAfterEveryLineItsEndLeftBehind() throws Exception {
    CompletableFuture<NodeContext> first = new CompletableFuture<>();
    NodeExecutor failingOnce = ctx -> {
      ctx.log(LogLevel.INFO, "attempt {}", ctx.attempt());
      if (ctx.attempt() == 1) {
        first.complete(ctx);
        return CompletableFuture.completedFuture(NodeResult.permanentFailure("E", "no"));
      }
      return CompletableFuture.completedFuture(NodeResult.success());
    };
    try (LogCapture captured = new LogCapture();
        DagEngine engine = DagEngine.builder().executor("t", failingOnce).build()) {
      engine.start();
      String run = engine.submit(oneNode("a"));
      assertThat(engine.await(run, WAIT).state()).isEqualTo(RunState.FAILED);
      // a line of the ended attempt, still in the buffer when the retry takes the run over
      first.get(10, TimeUnit.SECONDS).log(LogLevel.INFO, "after the end");
      engine.retry(run, "a", "ops");
      assertThat(engine.await(run, WAIT).state()).isEqualTo(RunState.COMPLETED);
      assertThat(engine.logs(LogQuery.of(run))).extracting(LogEntry::seq, LogEntry::message)
          .containsExactly(tuple(1L, "attempt 1"), tuple(2L, "after the end"),
              tuple(3L, "attempt 2"));
      assertThat(captured.containing("were refused")).isEmpty();
    }
  }

  @Test
  void aLineOfTheRunItselfAfterItsEndTakesTheNextNumber() throws Exception {
    CompletableFuture<Event> limit = new CompletableFuture<>();
    EngineListener listener = new EngineListener() {
      @Override
      public void onEvent(Event event) {
        if (event.type().equals("chain.limit_reached")) {
          limit.complete(event);
        }
      }
    };
    TaskHandler twoLines = ctx -> {
      ctx.log(LogLevel.INFO, "one");
      ctx.log(LogLevel.INFO, "two");
      return null;
    };
    try (DagEngine engine = DagEngine.builder().handler("t", twoLines).maxChainDepth(1)
        .listener(listener).build()) {
      engine.start();
      engine.templates().save("x", Optional.empty(), oneNode("a"));
      // x's completion starts x again: once, as the second run is at the depth limit
      engine.triggers().save(EventTrigger.builder("x-again").eventType("run.completed")
          .filter("{\"payload.template\": \"x\"}").template("x").build());
      engine.submit("x", JsonNodeFactory.instance.objectNode());
      limit.get(10, TimeUnit.SECONDS);
      RunSummary second = engine.list(RunQuery.all()).items().stream()
          .filter(r -> r.chainDepth() == 1).findFirst().orElseThrow();
      List<LogEntry> log = engine.logs(LogQuery.of(second.runId()));
      assertThat(log).extracting(LogEntry::seq, LogEntry::nodeId).containsExactly(
          tuple(1L, Optional.of("a")), tuple(2L, Optional.of("a")), tuple(3L, Optional.empty()));
      assertThat(log.get(2).level()).isEqualTo(LogLevel.WARN);
      assertThat(log.get(2).message()).contains("chain depth 2").contains("limit is 1");
    }
  }
}
