package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogLevel;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node's log is the engine's log of its agent, exactly: pulled incrementally while the
 * engine answers with overlapping, repeated and shuffled lines, several on one timestamp (and
 * genuinely identical ones), the last lines written just before the task ends.
 */
class RemoteLogsTest {
  private static final Instant T0 = Instant.parse("2026-12-02T07:00:00.125Z");
  private static final long SEED = Long.getLong("dagflow.logs.seed", 7L);
  private static final String AGENT = "task-1-agent";

  private final FakeEngine fake;
  private RemoteHarness h;

  RemoteLogsTest() throws IOException {
    fake = new FakeEngine();
  }

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
    fake.close();
  }

  private static EngineLine at(int second, String level, String message) {
    return EngineLine.at(T0.plusSeconds(second), level, message);
  }

  private record Line(LogLevel level, String message) {}

  private List<Line> stored(String run) {
    return h.nodeLog(run, "x").stream().map(l -> new Line(l.level(), l.message())).toList();
  }

  private String runOne() throws Exception {
    String run = h.submit(DagSpec.builder("logs").node(NodeSpec.task("x", "sim")).build());
    assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
    return run;
  }

  @Test
  void overlappingAnswersWithSharedTimestampsGiveTheEnginesLogInOrder() throws Exception {
    h = new RemoteHarness(fake, c -> c, RemoteHarness::fast);
    fake.logFaults(null, 2, false);
    fake.script("task-1",
        Reply.running(10).withLines(at(0, "INFO", "boot"), at(1, "DEBUG", "step {}"),
            at(1, "INFO", "step 1b")),
        Reply.running(20).withLines(at(1, "WARNING", "step 1c, on the cursor's timestamp"),
            at(2, "INFO", "tick"), at(2, "INFO", "tick")),
        Reply.running(30),
        Reply.completed(null).withLines(at(3, "CRITICAL", "last words"), at(3, "info", "done")));

    String run = runOne();

    assertThat(stored(run)).containsExactly(
        new Line(LogLevel.INFO, "boot"), new Line(LogLevel.DEBUG, "step {}"),
        new Line(LogLevel.INFO, "step 1b"),
        new Line(LogLevel.WARN, "step 1c, on the cursor's timestamp"),
        new Line(LogLevel.INFO, "tick"), new Line(LogLevel.INFO, "tick"),
        new Line(LogLevel.ERROR, "last words"), new Line(LogLevel.INFO, "done"));
    assertThat(fake.requests("GET /engine/agent/" + AGENT + "/logs").get(0).query()).isNull();
  }

  @Test
  void shuffledAnswersRepeatingLinesWithIdsGiveEachLineOnceInTimestampOrder()
      throws Exception {
    h = new RemoteHarness(fake, c -> c, RemoteHarness::fast);
    Random random = new Random(SEED);
    fake.logFaults(random, 3, true);
    List<EngineLine> written = new ArrayList<>();
    List<Reply> script = new ArrayList<>();
    int id = 0;
    int second = 0;
    for (int poll = 0; poll < 8; poll++) {
      List<EngineLine> lines = new ArrayList<>();
      for (int i = random.nextInt(5); i > 0; i--) {
        second += random.nextInt(2); // often the same second as the line before
        lines.add(at(second, "INFO", "t" + second + " line " + id).inMillis()
            .withId("L" + id++));
      }
      written.addAll(lines);
      script.add(Reply.running(poll * 10).withLines(lines.toArray(EngineLine[]::new)));
    }
    script.add(Reply.completed(null).withLines(at(second, "INFO", "t" + second + " end")
        .inMillis().withId("L" + id)));
    written.add(at(second, "INFO", "t" + second + " end").withId("L" + id));
    fake.script("task-1", script.toArray(Reply[]::new));

    List<String> messages = stored(runOne()).stream().map(Line::message).toList();

    assertThat(messages).as("seed %d", SEED).containsExactlyInAnyOrderElementsOf(
        written.stream().map(EngineLine::message).toList());
    assertThat(messages).as("seed %d", SEED).isSortedAccordingTo(
        Comparator.comparingInt(m -> Integer.parseInt(m.substring(1, m.indexOf(' ')))));
  }

  @Test
  void eachAgentOfATaskIsReadFromItsOwnCursor() throws Exception {
    h = new RemoteHarness(fake, c -> c, RemoteHarness::fast);
    fake.logFaults(null, 1, false);
    fake.script("task-1",
        Reply.running(10).withLines(at(5, "INFO", "red 5")).withAgent("blue",
            at(1, "INFO", "blue 1")),
        Reply.running(20).withLines(at(6, "INFO", "red 6")).withAgent("blue",
            at(2, "INFO", "blue 2"), at(2, "INFO", "blue 2 again")),
        Reply.completed(null).withAgent("blue", at(9, "INFO", "blue 9")));

    List<String> messages = stored(runOne()).stream().map(Line::message).toList();

    assertThat(messages).containsExactlyInAnyOrder("red 5", "red 6", "blue 1", "blue 2",
        "blue 2 again", "blue 9");
    assertThat(messages.stream().filter(m -> m.startsWith("blue")))
        .containsExactly("blue 1", "blue 2", "blue 2 again", "blue 9");
    assertThat(fake.requests("GET /engine/agent/blue/logs")).extracting(FakeEngine.Request::query)
        .contains("since=2026-12-02T07%3A00%3A01.125Z", "since=2026-12-02T07%3A00%3A02.125Z");
  }

  @Test
  void aLookbackCatchesALineTheEngineStoredLateWithAnEarlierTimestamp() throws Exception {
    h = new RemoteHarness(fake, c -> c, e -> RemoteHarness.fast(e)
        .logLookback(Duration.ofSeconds(5)));
    fake.script("task-1",
        Reply.running(10).withLines(at(4, "INFO", "four"), at(5, "INFO", "five")),
        Reply.running(20).withLines(at(3, "INFO", "three, stored late"), at(6, "INFO", "six")),
        Reply.completed(null));

    String run = runOne();

    assertThat(stored(run)).extracting(Line::message)
        .containsExactly("four", "five", "three, stored late", "six");
    assertThat(fake.requests("GET /engine/agent/" + AGENT + "/logs")).extracting(
        FakeEngine.Request::query).contains("since=2026-12-02T07%3A00%3A00.125Z");
    assertThat(h.nodeLog(run, "x")).extracting(LogEntry::attempt).containsOnly(1);
  }
}
