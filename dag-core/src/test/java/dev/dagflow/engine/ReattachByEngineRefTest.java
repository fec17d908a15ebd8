package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.log.LogEntry;
import dev.dagflow.log.LogQuery;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.AttemptOutcome;
import dev.dagflow.store.AttemptRecord;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An executor that starts remote work reports the remote task's id as its engine reference;
 * the engine that runs it is then lost (closed, or cut off from the store as a crash would), and
 * a second engine on the same stores offers the attempt to its executor's {@code reattach} with
 * the old idempotency key and the stored reference. The executor finds the remote work by the
 * reference (or by the key, if the reference was never stored) and the same attempt completes:
 * no new attempt, no second submission, the attempt's record keeping its reference.
 */
class ReattachByEngineRefTest {
  private static final Duration LEASE = Duration.ofMillis(300);
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final Stores shared = Stores.inMemory();
  private final Remote remote = new Remote();

  /** A stand-in for a remote engine: tasks by id, a submission idempotent by its key. */
  private static final class Remote {
    final Map<String, String> idByKey = new ConcurrentHashMap<>();
    final Map<String, CompletableFuture<NodeResult>> tasks = new ConcurrentHashMap<>();
    final AtomicInteger submissions = new AtomicInteger();

    String submit(String key) {
      return idByKey.computeIfAbsent(key, k -> {
        String id = "task-" + submissions.incrementAndGet();
        tasks.put(id, new CompletableFuture<>());
        return id;
      });
    }

    /** The task submitted under {@code key}: what an idempotent re-submission answers. */
    Optional<String> byKey(String key) {
      return Optional.ofNullable(idByKey.get(key));
    }

    /** The remote engine forgets a task, as one that lost its own state would. */
    void forget(String id) {
      tasks.remove(id);
    }

    void finish(String id) {
      tasks.get(id).complete(NodeResult.success(JsonNodeFactory.instance.objectNode()
          .put("task", id)));
    }
  }

  /** What {@code reattach} was given. */
  private record Offered(String key, int attempt, Optional<String> engineRef) {}

  /** Runs nodes on {@link #remote}; one per engine. */
  private final class RemoteExecutor implements NodeExecutor {
    final boolean reports;
    final List<String> executed = new CopyOnWriteArrayList<>();
    final List<Offered> offered = new CopyOnWriteArrayList<>();
    final List<Optional<String>> freshRefs = new CopyOnWriteArrayList<>();
    final CountDownLatch submitted = new CountDownLatch(1);

    /** {@code reports}: false for an engine that crashes between the submit and its report. */
    RemoteExecutor(boolean reports) {
      this.reports = reports;
    }

    @Override
    public CompletionStage<NodeResult> execute(NodeContext ctx) {
      executed.add(ctx.idempotencyKey());
      freshRefs.add(ctx.engineRef());
      String id = remote.submit(ctx.idempotencyKey());
      if (reports) {
        ctx.reportEngineRef(id); // stored when it returns
      }
      submitted.countDown();
      return remote.tasks.get(id);
    }

    @Override
    public Optional<CompletionStage<NodeResult>> reattach(NodeContext ctx) {
      offered.add(new Offered(ctx.idempotencyKey(), ctx.attempt(), ctx.engineRef()));
      Optional<String> id = ctx.engineRef().or(() -> {
        Optional<String> found = remote.byKey(ctx.idempotencyKey());
        found.ifPresent(ctx::reportEngineRef); // found again: stored now, with the attempt
        return found;
      });
      return id.map(remote.tasks::get);
    }
  }

  private static DagSpec spec() {
    return DagSpec.builder("remote")
        .node(NodeSpec.task("a", "local"))
        .node(NodeSpec.task("b", "remote").dependsOn("a"))
        .node(NodeSpec.task("c", "local").dependsOn("b"))
        .build();
  }

  private DagEngine engine(String name, Stores stores, RemoteExecutor executor) {
    DagEngine engine = DagEngine.builder().instanceId(name).leaseTime(LEASE).stores(stores)
        .handler("local", ctx -> null).executor("remote", executor).build();
    engine.start();
    return engine;
  }

  /** Engine-a submits the run and is closed once 'b' is submitted remotely. */
  private String runUntilBIsSubmittedThenClose(RemoteExecutor first) throws Exception {
    DagEngine a = engine("engine-a", shared, first);
    String run = a.submit(spec());
    assertThat(first.submitted.await(10, TimeUnit.SECONDS)).isTrue();
    a.close(); // nothing more is written; its lease is released
    return run;
  }

  private AttemptRecord onlyAttemptOfB(RunView view) {
    List<AttemptRecord> attempts = view.node("b").orElseThrow().attempts();
    assertThat(attempts).hasSize(1);
    return attempts.get(0);
  }

  @Test
  void afterARestartReattachFindsTheRemoteWorkByItsReference() throws Exception {
    RemoteExecutor first = new RemoteExecutor(true);
    String run = runUntilBIsSubmittedThenClose(first);
    assertThat(shared.runs().attempts(run)).filteredOn(x -> x.nodeId().equals("b"))
        .extracting(AttemptRecord::outcome, AttemptRecord::engineRef)
        .containsExactly(tuple(AttemptOutcome.RUNNING, Optional.of("task-1")));

    RemoteExecutor second = new RemoteExecutor(true);
    try (DagEngine b = engine("engine-b", shared, second)) {
      assertThat(second.offered).containsExactly(
          new Offered(run + ":b:1", 1, Optional.of("task-1")));
      remote.finish("task-1");
      RunView done = b.await(run, WAIT);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      AttemptRecord attempt = onlyAttemptOfB(done);
      assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
      assertThat(attempt.engineRef()).contains("task-1");
      assertThat(attempt.idempotencyKey()).isEqualTo(run + ":b:1");
      assertThat(done.node("b").orElseThrow().result().orElseThrow().get("task").asText())
          .isEqualTo("task-1");
      assertThat(second.executed).isEmpty();
      assertThat(remote.submissions).hasValue(1);
      assertThat(b.logs(LogQuery.of(run).node("b"))).extracting(LogEntry::message)
          .contains("re-attached to attempt 1 (engine reference 'task-1') after an engine "
              + "restart");
    }
  }

  @Test
  void afterATakeoverReattachFindsTheRemoteWorkByItsReference() throws Exception {
    FaultyRunStore aRuns = new FaultyRunStore(shared.runs());
    RemoteExecutor first = new RemoteExecutor(true);
    DagEngine a = engine("engine-a", Stores.of(aRuns, shared.logs(), shared.policies(),
        shared.templates(), shared.triggers()), first);
    String run = a.submit(spec());
    assertThat(first.submitted.await(10, TimeUnit.SECONDS)).isTrue();
    aRuns.cutOff(); // engine-a is gone, as far as the store can tell: its lease is not released
    a.close();

    RemoteExecutor second = new RemoteExecutor(true);
    try (DagEngine b = engine("engine-b", shared, second)) {
      remote.finish("task-1"); // before or after the takeover: the stage tells it either way
      RunView done = b.await(run, WAIT); // claimed once engine-a's lease has expired

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(second.offered).containsExactly(
          new Offered(run + ":b:1", 1, Optional.of("task-1")));
      AttemptRecord attempt = onlyAttemptOfB(done);
      assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
      assertThat(attempt.engineRef()).contains("task-1");
      assertThat(second.executed).isEmpty();
      assertThat(remote.submissions).hasValue(1);
      assertThat(shared.runs().lease(run)).as("an ended run is nobody's").isEmpty();
    }
  }

  @Test
  void aReferenceNeverStoredIsFoundAgainByTheOldKeyAndStoredAtReattach() throws Exception {
    RemoteExecutor first = new RemoteExecutor(false); // submitted, then lost before reporting
    String run = runUntilBIsSubmittedThenClose(first);
    assertThat(shared.runs().attempts(run)).filteredOn(x -> x.nodeId().equals("b"))
        .extracting(AttemptRecord::outcome, AttemptRecord::engineRef)
        .containsExactly(tuple(AttemptOutcome.RUNNING, Optional.empty()));

    RemoteExecutor second = new RemoteExecutor(true);
    try (DagEngine b = engine("engine-b", shared, second)) {
      assertThat(second.offered).containsExactly(new Offered(run + ":b:1", 1, Optional.empty()));
      assertThat(shared.runs().attempts(run)).filteredOn(x -> x.nodeId().equals("b"))
          .extracting(AttemptRecord::outcome, AttemptRecord::engineRef)
          .as("reported during reattach: stored with the restored run")
          .containsExactly(tuple(AttemptOutcome.RUNNING, Optional.of("task-1")));
      remote.finish("task-1");
      RunView done = b.await(run, WAIT);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      AttemptRecord attempt = onlyAttemptOfB(done);
      assertThat(attempt.outcome()).isEqualTo(AttemptOutcome.COMPLETED);
      assertThat(attempt.engineRef()).contains("task-1");
      assertThat(second.executed).isEmpty();
      assertThat(remote.submissions).hasValue(1);
    }
  }

  @Test
  void remoteWorkThatIsGoneIsAbandonedWithItsReferenceAndANewAttemptGetsNone() throws Exception {
    RemoteExecutor first = new RemoteExecutor(true);
    String run = runUntilBIsSubmittedThenClose(first);
    remote.forget("task-1"); // the remote engine lost it: reattach cannot find it

    RemoteExecutor second = new RemoteExecutor(true);
    try (DagEngine b = engine("engine-b", shared, second)) {
      assertThat(second.submitted.await(10, TimeUnit.SECONDS)).isTrue();
      remote.finish("task-2");
      RunView done = b.await(run, WAIT);

      assertThat(done.state()).isEqualTo(RunState.COMPLETED);
      assertThat(second.offered).containsExactly(
          new Offered(run + ":b:1", 1, Optional.of("task-1")));
      assertThat(second.executed).containsExactly(run + ":b:2");
      assertThat(second.freshRefs).containsExactly(Optional.empty());
      assertThat(done.node("b").orElseThrow().attempts())
          .extracting(AttemptRecord::attempt, AttemptRecord::outcome, AttemptRecord::engineRef)
          .containsExactly(tuple(1, AttemptOutcome.ABANDONED, Optional.of("task-1")),
              tuple(2, AttemptOutcome.COMPLETED, Optional.of("task-2")));
    }
  }
}
