package dev.dagflow.engine;

import static dev.dagflow.engine.EventTriggersTest.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Retention;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.StoreException;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.Outcome;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * A submit with an idempotency key starts at most one run per key and project: {@code
 * RETURN_EXISTING} answers with the key's run, {@code FAIL} refuses, {@code FAIL_ON_RUNNING}
 * refuses until the key's run has ended; a purged run frees its key; a bad key names its field.
 */
class IdempotentStartTest {
  private static final DagSpec SPEC = DagSpec.builder("d").node(NodeSpec.task("a", "t")).build();
  private static final DagSpec HANGS =
      DagSpec.builder("h").node(NodeSpec.task("hang", "t")).build();

  private static SubmitRequest keyed(DagSpec spec, String key, IdempotencyStrategy strategy) {
    return SubmitRequest.builder().spec(spec).idempotencyKey(key).idempotencyStrategy(strategy)
        .build();
  }

  private static Harness harness() {
    Harness h = new Harness("t");
    h.executor.defaultOutcome(Outcome.succeed());
    return h;
  }

  private static long runCount(Harness h) {
    return h.engine.list(RunQuery.all()).total();
  }

  private static void conflict(ThrowingCallable submit, String key, String existing,
      IdempotencyStrategy strategy) {
    assertThatThrownBy(submit).isInstanceOfSatisfying(IdempotencyConflictException.class, e -> {
      assertThat(e.idempotencyKey()).isEqualTo(key);
      assertThat(e.existingRunId()).isEqualTo(existing);
      assertThat(e.strategy()).isEqualTo(strategy);
    }).hasMessageContaining("'" + key + "'").hasMessageContaining(existing);
  }

  @Test
  void returnExistingIsTheDefaultAndAnswersWithTheKeysRunWhateverItsState() {
    try (Harness h = harness()) {
      DagEngine engine = h.engine;
      DagSpec spec = SPEC;
      // docs:start idempotent submit
      String runId = engine.submit(SubmitRequest.builder().spec(spec)
          .idempotencyKey("order-42")                 // once per key in the run's project
          .build());
      String again = engine.submit(SubmitRequest.builder().spec(spec)
          .params(json("{\"other\":true}"))           // the key decides, not the request
          .idempotencyKey("order-42")
          .build());                                  // again == runId: no second run
      // docs:end
      assertThat(again).isEqualTo(runId);
      RunView run = h.await(runId);
      assertThat(run.state()).isEqualTo(RunState.COMPLETED);
      assertThat(run.idempotencyKey()).contains("order-42");
      assertThat(run.params()).isEqualTo(json("{}"));

      assertThat(h.engine.submit(keyed(SPEC, "order-42", IdempotencyStrategy.RETURN_EXISTING)))
          .as("an ended run is returned too").isEqualTo(runId);
      assertThat(h.engine.list(RunQuery.all()).items()).singleElement()
          .extracting(RunSummary::idempotencyKey).isEqualTo(Optional.of("order-42"));
    }
  }

  @Test
  void failRefusesNamingTheKeyAndTheKeysRunAndStoresNothing() {
    try (Harness h = harness()) {
      String runId = h.engine.submit(keyed(SPEC, "k-1", IdempotencyStrategy.FAIL));
      conflict(() -> h.engine.submit(keyed(SPEC, "k-1", IdempotencyStrategy.FAIL)), "k-1", runId,
          IdempotencyStrategy.FAIL);
      h.await(runId);
      conflict(() -> h.engine.submit(keyed(SPEC, "k-1", IdempotencyStrategy.FAIL)), "k-1", runId,
          IdempotencyStrategy.FAIL);
      assertThat(runCount(h)).isEqualTo(1);
    }
  }

  @Test
  void failOnRunningRefusesWhileTheKeysRunIsUnfinishedAndStartsANewRunOnceItHasEnded() {
    try (Harness h = harness()) {
      h.executor.script("hang", Outcome.hang());
      IdempotencyStrategy strategy = IdempotencyStrategy.FAIL_ON_RUNNING;
      String first = h.engine.submit(keyed(HANGS, "nightly", strategy));
      h.awaitCalls("hang", 1);
      conflict(() -> h.engine.submit(keyed(HANGS, "nightly", strategy)), "nightly", first,
          strategy);
      assertThatThrownBy(() -> h.engine.submit(keyed(HANGS, "nightly", strategy)))
          .hasMessageContaining("has not ended");

      h.engine.stop(first, "ops");
      h.awaitRun(first, RunState.STOPPED);
      String second = h.engine.submit(keyed(SPEC, "nightly", strategy));

      assertThat(second).isNotEqualTo(first);
      assertThat(h.engine.submit(keyed(SPEC, "nightly", IdempotencyStrategy.RETURN_EXISTING)))
          .as("the key names the new run").isEqualTo(second);
      assertThat(h.await(second).state()).isEqualTo(RunState.COMPLETED);
      assertThat(h.engine.get(first).idempotencyKey()).contains("nightly");
      assertThat(runCount(h)).isEqualTo(2);
    }
  }

  @Test
  void aKeyBelongsToTheRunsProjectAndRunsWithoutOneShareTheGlobalScope() {
    try (Harness h = harness()) {
      DagSpec acme = SPEC.toBuilder().scope(DagScope.project("acme", true)).build();
      DagSpec beta = SPEC.toBuilder().scope(DagScope.project("beta", true)).build();
      DagSpec alice = SPEC.toBuilder().scope(DagScope.user("alice")).build();
      IdempotencyStrategy fail = IdempotencyStrategy.FAIL;
      String inAcme = h.engine.submit(keyed(acme, "k", fail));
      String inBeta = h.engine.submit(keyed(beta, "k", fail));
      String global = h.engine.submit(keyed(SPEC, "k", fail));

      assertThat(Set.of(inAcme, inBeta, global)).hasSize(3);
      conflict(() -> h.engine.submit(keyed(alice, "k", fail)), "k", global, fail);
      assertThatThrownBy(() -> h.engine.submit(keyed(acme, "k", fail)))
          .isInstanceOfSatisfying(IdempotencyConflictException.class,
              e -> assertThat(e.project()).contains("acme"))
          .hasMessageContaining("project acme");
      assertThat(h.engine.get(inAcme).project()).contains("acme");
      assertThat(runCount(h)).isEqualTo(3);
    }
  }

  @Test
  void aPurgedRunFreesItsKeyAndAnUnfinishedRunKeepsIt() {
    Retention retention = Retention.builder().endedRuns(Duration.ofDays(7)).build();
    try (Harness h = new Harness(b -> b.retention(retention), "t")) {
      h.executor.script("hang", Outcome.hang()).defaultOutcome(Outcome.succeed());
      String ended = h.engine.submit(keyed(SPEC, "weekly", IdempotencyStrategy.FAIL));
      String hanging = h.engine.submit(keyed(HANGS, "held", IdempotencyStrategy.FAIL));
      h.await(ended);
      h.awaitCalls("hang", 1);
      h.clock.advance(Duration.ofDays(8));

      assertThat(h.engine.purge().runs()).isEqualTo(1);

      String next = h.engine.submit(keyed(SPEC, "weekly", IdempotencyStrategy.FAIL));
      assertThat(next).isNotEqualTo(ended);
      assertThat(h.engine.submit(keyed(HANGS, "held", IdempotencyStrategy.RETURN_EXISTING)))
          .isEqualTo(hanging);
    }
  }

  @Test
  void aSubmitSentAgainAfterItsAnswerWasLostGetsTheRunStoredTheFirstTime() throws Exception {
    Stores shared = Stores.inMemory();
    FaultyRunStore runs = new FaultyRunStore(shared.runs()).loseNextCreateAnswers(1);
    try (DagEngine engine = DagEngine.builder().leaseTime(Duration.ofMillis(300))
        .stores(Stores.of(runs, shared.logs(), shared.policies(), shared.templates(),
            shared.triggers()))
        .handler("t", ctx -> null).build()) {
      engine.start();
      SubmitRequest request = SubmitRequest.builder().spec(SPEC).idempotencyKey("pay-9").build();
      assertThatThrownBy(() -> engine.submit(request)).isInstanceOf(StoreException.class);
      String stored = shared.runs().list(RunQuery.all()).items().get(0).runId();

      // the client's retry: the run the lost answer was about, not a second one
      assertThat(engine.submit(request)).isEqualTo(stored);
      assertThat(engine.await(stored, Duration.ofSeconds(10)).state())
          .isEqualTo(RunState.COMPLETED);
      assertThat(shared.runs().list(RunQuery.all()).total()).isEqualTo(1);
    }
  }

  private static void refused(ThrowingCallable call, String field) {
    assertThatThrownBy(call).isInstanceOfSatisfying(InvalidSubmitRequestException.class,
        e -> assertThat(e.field()).isEqualTo(field)).hasMessageStartingWith(field + ": ");
  }

  @Test
  void aBadKeyOrAStrategyWithoutAKeyNamesItsField() {
    SubmitRequest.Builder b = SubmitRequest.builder().spec(SPEC);
    refused(() -> b.idempotencyKey(""), "idempotencyKey");
    refused(() -> b.idempotencyKey("has space"), "idempotencyKey");
    refused(() -> b.idempotencyKey("tab\there"), "idempotencyKey");
    refused(() -> b.idempotencyKey("caf\u00e9"), "idempotencyKey");
    refused(() -> b.idempotencyKey("k".repeat(256)), "idempotencyKey");
    assertThatThrownBy(() -> b.idempotencyKey("has space"))
        .hasMessageContaining("U+0020 at index 3");
    assertThatThrownBy(() -> b.idempotencyKey(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("idempotencyKey");
    refused(() -> SubmitRequest.builder().spec(SPEC)
        .idempotencyStrategy(IdempotencyStrategy.FAIL).build(), "idempotencyStrategy");

    String longest = "k".repeat(255);
    SubmitRequest request = b.idempotencyKey(longest)
        .idempotencyStrategy(IdempotencyStrategy.FAIL_ON_RUNNING).build();
    assertThat(request.idempotencyKey()).contains(longest);
    assertThat(request.idempotencyStrategy()).isEqualTo(IdempotencyStrategy.FAIL_ON_RUNNING);
    assertThat(request.toBuilder().build()).isEqualTo(request);
    assertThat(SubmitRequest.of(SPEC, json("{}")).idempotencyStrategy())
        .isEqualTo(IdempotencyStrategy.RETURN_EXISTING);
    assertThat(SubmitRequest.builder().spec(SPEC).idempotencyKey("a:b/c-1_{x}~!").build()
        .idempotencyKey()).contains("a:b/c-1_{x}~!");
  }
}
