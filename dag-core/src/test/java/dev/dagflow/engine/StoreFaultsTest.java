package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.state.StateTransition;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.StoreException;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Store faults, injected by {@link FaultyRunStore} around the in-memory store: failed writes
 * are retried as the same batch, a run whose writes cannot be stored is dropped and finished
 * from the store (by another instance, or by the same one later), and listeners hear only of
 * what was stored, once and in order.
 */
class StoreFaultsTest {
  private static final Duration LEASE = Duration.ofMillis(300);

  private static DagSpec chain(int n) {
    DagSpec.Builder b = DagSpec.builder("chain");
    for (int v = 0; v < n; v++) {
      NodeSpec.Builder node = NodeSpec.task("n" + v, "t");
      if (v > 0) {
        node.dependsOn("n" + (v - 1));
      }
      b.node(node);
    }
    return b.build();
  }

  /** A transition as the store keeps it: its time to the millisecond. */
  private static String key(StateTransition t) {
    return t.time().truncatedTo(ChronoUnit.MILLIS) + " " + t.runId() + "/" + t.nodeId() + "#"
        + t.attempt() + " " + t.from() + " -> " + t.to() + " " + t.trigger() + " "
        + t.reason();
  }

  private static List<String> keys(List<StateTransition> transitions) {
    return transitions.stream().map(StoreFaultsTest::key).toList();
  }

  /**
   * A listener that checks, as it hears of each transition, that the store has it already,
   * and keeps what it heard.
   */
  private static final class StoredOnly implements EngineListener {
    final List<StateTransition> heard = new CopyOnWriteArrayList<>();
    final List<String> unstored = new CopyOnWriteArrayList<>();
    private final Stores shared;

    StoredOnly(Stores shared) {
      this.shared = shared;
    }

    @Override
    public void onTransition(StateTransition t) {
      heard.add(t);
      if (!keys(shared.runs().transitions(t.runId())).contains(key(t))) {
        unstored.add(t.toString());
      }
    }
  }

  private static DagEngine.Builder engine(String name, FaultyRunStore runs, Stores shared,
      EngineListener listener) {
    return DagEngine.builder().instanceId(name).leaseTime(LEASE)
        .stores(Stores.of(runs, shared.logs(), shared.policies(), shared.templates(),
            shared.triggers()))
        .storeRetry(3, Duration.ofMillis(1), Duration.ofMillis(4))
        .handler("t", ctx -> JsonNodeFactory.instance.objectNode().put("node", ctx.nodeId()))
        .listener(listener);
  }

  @Test
  void failedWritesAreRetriedAsTheSameBatchAndTheRunEndsAsIfNothingFailed() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore runs = new FaultyRunStore(shared.runs());
    StoredOnly listener = new StoredOnly(shared);
    try (DagEngine engine = engine("engine-a", runs, shared, listener).build()) {
      engine.start();
      String run = engine.submit(chain(6));
      RunView first = engine.await(run, Duration.ofSeconds(10));
      runs.failNextApplies(3); // within the three retries
      String second = engine.submit(chain(6));
      RunView view = engine.await(second, Duration.ofSeconds(10));

      assertThat(runs.failures()).isEqualTo(3);
      assertThat(first.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      List<StateTransition> stored = shared.runs().transitions(second);
      assertThat(stored).doesNotHaveDuplicates().hasSize(6 * 4);
      assertThat(keys(listener.heard.stream().filter(t -> t.runId().equals(second)).toList()))
          .containsExactlyElementsOf(keys(stored));
      assertThat(listener.unstored).isEmpty();
    }
  }

  @Test
  void aRunWhoseWritesFailForGoodIsDroppedAndFinishedByAnotherInstance() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore aRuns = new FaultyRunStore(shared.runs());
    FaultyRunStore bRuns = new FaultyRunStore(shared.runs());
    StoredOnly aHeard = new StoredOnly(shared);
    StoredOnly bHeard = new StoredOnly(shared);
    // n2 of the doomed run fails engine-a's writes from its first attempt on
    String doomed = "doomed-run";
    try (LogCapture logs = new LogCapture();
        DagEngine a = engine("engine-a", aRuns, shared, aHeard).runIds(() -> doomed)
            .handler("gate", ctx -> {
              aRuns.failAppliesOf(doomed);
              return null;
            }).build();
        DagEngine b = engine("engine-b", bRuns, shared, bHeard)
            .handler("gate", ctx -> null).build()) {
      a.start();
      b.start();
      DagSpec spec = DagSpec.builder("doomed")
          .node(NodeSpec.task("n0", "t"))
          .node(NodeSpec.task("n1", "gate").dependsOn("n0"))
          .node(NodeSpec.task("n2", "t").dependsOn("n1"))
          .build();
      String run = a.submit(spec);

      RunView view = b.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(logs.containing("could not be stored; dropped here")).isNotEmpty();
      assertThat(aHeard.heard).as("engine-a heard only what it stored")
          .noneMatch(t -> t.nodeId().equals("n1") && t.to() == NodeState.COMPLETED);
      assertThat(aHeard.unstored).isEmpty();
      assertThat(bHeard.unstored).isEmpty();
      List<StateTransition> stored = shared.runs().transitions(run);
      assertThat(stored).doesNotHaveDuplicates();
      assertThat(stored).filteredOn(t -> t.to() == NodeState.COMPLETED)
          .extracting(StateTransition::nodeId).containsExactly("n0", "n1", "n2");
      assertThat(bHeard.heard).filteredOn(t -> t.nodeId().equals("n2"))
          .extracting(StateTransition::to).contains(NodeState.COMPLETED);
    }
  }

  @Test
  void aRunDroppedByItsOnlyEngineIsTakenBackOnceTheStoreMends() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore runs = new FaultyRunStore(shared.runs());
    StoredOnly listener = new StoredOnly(shared);
    AtomicBoolean once = new AtomicBoolean();
    try (DagEngine engine = engine("engine-a", runs, shared, listener)
        .handler("gate", ctx -> {
          if (once.compareAndSet(false, true)) {
            runs.failNextApplies(4); // more than the three retries: the step is lost
          }
          return null;
        }).build()) {
      engine.start();
      DagSpec spec = DagSpec.builder("mends")
          .node(NodeSpec.task("n0", "t"))
          .node(NodeSpec.task("n1", "gate").dependsOn("n0"))
          .node(NodeSpec.task("n2", "t").dependsOn("n1"))
          .build();
      String run = engine.submit(spec);

      // dropped, its lease given up after a lease time, claimed back, n1 run again
      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(view.node("n1").orElseThrow().attempts()).hasSize(2);
      assertThat(listener.unstored).isEmpty();
      assertThat(shared.runs().transitions(run)).doesNotHaveDuplicates();
    }
  }

  @Test
  void aRunStoredWhoseCreationAnswerWasLostIsTakenBackByItsOwnEngine() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore runs = new FaultyRunStore(shared.runs()).loseNextCreateAnswers(1);
    StoredOnly listener = new StoredOnly(shared);
    try (DagEngine engine = engine("engine-a", runs, shared, listener)
        .runIds(() -> "lost-answer").build()) {
      engine.start();
      assertThatThrownBy(() -> engine.submit(chain(3))).isInstanceOf(StoreException.class);
      assertThat(shared.runs().run("lost-answer")).as("stored all the same").isPresent();

      // given up after a lease time, claimed back by the same engine, and run to its end
      RunView view = engine.await("lost-answer", Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(listener.unstored).isEmpty();
    }
  }

  @Test
  void aSubmitWhoseRecordOfTheOperatorIsLostStillReturnsTheRunWhichRunsLater() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore runs = new FaultyRunStore(shared.runs());
    StoredOnly listener = new StoredOnly(shared);
    try (DagEngine engine = engine("engine-a", runs, shared, listener).build()) {
      engine.start();
      runs.failNextApplies(4); // the run.submit entry, and its three retries
      String run = engine.submit(SubmitRequest.builder().spec(chain(2)).operator("dana")
          .build());

      RunView view = engine.await(run, Duration.ofSeconds(10));
      assertThat(view.state()).isEqualTo(RunState.COMPLETED);
      assertThat(shared.runs().list(RunQuery.all()).total()).isEqualTo(1);
      assertThat(listener.unstored).isEmpty();
    }
  }
}
