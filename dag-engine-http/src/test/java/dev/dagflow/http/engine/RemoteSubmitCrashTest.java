package dev.dagflow.http.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import dev.dagflow.engine.RunView;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.engine.ChildJvm;
import dev.dagflow.jdbc.engine.ChildJvms;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real crash between the submit and the store: a child JVM runs an engine on a file H2
 * database whose node {@code b} runs on the {@link FakeEngine} served by this JVM. The fake
 * engine makes the task and holds the submit's answer; the child is killed (SIGKILL) while it
 * waits, so the task's id never reaches the database. An engine in this JVM on the same
 * database takes the run over: it submits again under the attempt's old idempotency key, the
 * fake engine answers with the task it already has, and the same attempt completes. The fake
 * engine made exactly one task. The child's output is under {@code target/child-jvms} and in
 * the failure.
 */
class RemoteSubmitCrashTest {
  private static final String SUBMIT = "POST /engine/task/submit";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Duration CHILD_LEASE = Duration.ofSeconds(1);

  @RegisterExtension
  final ChildJvms children = new ChildJvms();

  @TempDir
  Path directory;

  private final FakeEngine fake;
  private Connection open;

  RemoteSubmitCrashTest() throws Exception {
    fake = new FakeEngine();
  }

  @AfterEach
  void close() throws SQLException {
    fake.close();
    if (open != null) {
      open.close();
    }
  }

  @Test
  void aChildKilledBeforeTheReferenceWasStoredIsTakenOverWithOneTaskOnTheEngine()
      throws Exception {
    // as H2FileCrashRecoveryTest: each commit on the file at once, so the kill loses none
    String url = "jdbc:h2:file:" + directory.resolve("dagflow") + ";WRITE_DELAY=0";
    CountDownLatch answer = new CountDownLatch(1);
    fake.holdSubmits(answer); // the task is made, its id not yet back
    ChildJvm child = children.start("crashing", RemoteEngineProcess.class, List.of(
        "url=" + url, "engine=" + fake.uri(), "instance=crashing",
        "lease=" + CHILD_LEASE.toMillis()));
    String run = child.await(a -> a.startsWith("run "), "its run", WAIT).substring(4);
    fake.await(r -> !r.stream().filter(x -> (x.method() + " " + x.path()).equals(SUBMIT))
        .toList().isEmpty(), WAIT);
    child.kill(); // while the fake engine holds the submit's answer
    answer.countDown();

    JdbcDataSource db = new JdbcDataSource();
    db.setURL(url);
    open = db.getConnection(); // keeps the database open between the engine's connections
    Stores stores = JdbcStores.builder(db).build();
    assertThat(stores.runs().attempts(run)).filteredOn(a -> a.nodeId().equals("b"))
        .extracting(AttemptRecord::outcome, AttemptRecord::engineRef)
        .containsExactly(tuple(AttemptOutcome.RUNNING, Optional.empty()));
    fake.script("task-1", Reply.running(50), Reply.completed(Reply.JSON.createObjectNode()
        .put("by", "the one task")));

    try (RemoteHarness restarted = new RemoteHarness(fake, stores, "restarted", c -> c,
        RemoteHarness::fast)) {
      RunView done = restarted.engine.await(run, WAIT);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(done.node("b").orElseThrow().result().orElseThrow().get("by").asText())
          .isEqualTo("the one task");
      assertThat(done.node("b").orElseThrow().attempts())
          .extracting(AttemptRecord::attempt, AttemptRecord::outcome, AttemptRecord::engineRef)
          .containsExactly(tuple(1, AttemptOutcome.COMPLETED, Optional.of("task-1")));
    }
    assertThat(fake.created).as("tasks the remote engine made").hasValue(1);
    assertThat(fake.requests(SUBMIT)).hasSize(2).extracting(r -> r.header("Idempotency-Key"))
        .containsOnly(run + ":b:1");
    assertThat(fake.violations).isEmpty();
  }
}
