package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dagflow.log.LogLevel;
import dev.dagflow.log.LogQuery;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Retention;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.Outcome;
import dev.dagflow.trigger.EventTrigger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Bounded growth: a {@link Retention} purges ended runs past their age (per project), their
 * logs, old log lines and old processed event ids, by hand or on the engine's timer, and never
 * an unfinished run.
 */
class RetentionTest {

  private static DagSpec logging(String id, String project) {
    DagSpec.Builder b = DagSpec.builder(id).node(NodeSpec.task("only", "log"));
    return project == null ? b.build() : b.scope(DagScope.project(project, true)).build();
  }

  private static Harness harness(Retention retention) {
    return new Harness(b -> {
      b.handler("log", ctx -> {
        ctx.log(LogLevel.INFO, "a line of " + ctx.runId());
        return null;
      });
      if (retention != null) {
        b.retention(retention);
      }
    }, "t");
  }

  @Test
  void aPurgeDeletesEndedRunsPastTheirAgeWithTheirLogsAndKeepsTheRest() {
    Retention retention = Retention.builder().endedRuns(Duration.ofDays(7))
        .endedRuns("audit", Duration.ofDays(365)).build();
    try (Harness h = harness(retention)) {
      h.executor.script("hang", Outcome.hang());
      List<String> old = new ArrayList<>();
      for (int i = 0; i < 60; i++) { // more than one chunk
        old.add(h.submit(logging("old-" + i, null)));
      }
      String audited = h.submit(logging("audited", "audit"));
      String running = h.submit(DagSpec.builder("running").node(NodeSpec.task("hang", "t"))
          .build());
      for (String run : old) {
        assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
      }
      assertThat(h.await(audited).state()).isEqualTo(RunState.COMPLETED);
      h.awaitCalls("hang", 1);
      h.clock.advance(Duration.ofDays(8));
      String recent = h.submit(logging("recent", null));
      assertThat(h.await(recent).state()).isEqualTo(RunState.COMPLETED);
      for (String run : old) { // logs() waits for the run's buffered lines: all are stored
        assertThat(h.engine.logs(LogQuery.of(run))).isNotEmpty();
      }

      Retention.PurgeReport purged = h.engine.purge();
      assertThat(purged.runs()).isEqualTo(60);
      assertThat(purged.logLines()).isGreaterThanOrEqualTo(60);
      for (String run : old) {
        assertThat(h.stores.runs().run(run)).isEmpty();
        assertThat(h.stores.logs().query(LogQuery.of(run))).isEmpty();
      }
      assertThat(h.stores.runs().run(audited)).isPresent();
      assertThat(h.stores.runs().run(running)).isPresent();
      assertThat(h.stores.runs().run(recent)).isPresent();
      assertThat(h.engine.purge().runs()).isZero();

      h.clock.advance(Duration.ofDays(365));
      assertThat(h.engine.purge().runs()).isEqualTo(2); // audited and recent; never running
      assertThat(h.stores.runs().list(RunQuery.all()).items()).singleElement()
          .satisfies(r -> assertThat(r.runId()).isEqualTo(running));
    }
  }

  @Test
  void processedEventIdsAreForgottenAfterTheirWindow() {
    try (Harness h = harness(null)) {
      Stores stores = h.stores;
      stores.triggers().save(EventTrigger.builder("tr").eventType("push")
          .template("none").enabled(false).build());
      stores.triggers().markProcessed("tr", "e-1");
      // the default window is 30 days; the store dated the mark on its own clock (now)
      assertThat(Retention.builder().build().purge(stores, Instant.now()).processedEvents())
          .isZero();
      assertThat(Retention.builder().build()
          .purge(stores, Instant.now().plus(Duration.ofDays(31))).processedEvents())
          .isEqualTo(1);
      assertThat(stores.triggers().isProcessed("tr", "e-1")).isFalse();
    }
  }

  @Test
  void anEngineWithARetentionPurgesOnItsTimer() throws Exception {
    Stores stores = Stores.inMemory();
    try (DagEngine engine = DagEngine.builder().stores(stores).handler("log", ctx -> null)
        .retention(Retention.builder().endedRuns(Duration.ofMillis(1))
            .every(Duration.ofSeconds(1)).build()).build()) {
      engine.start();
      String run = engine.submit(logging("soon-gone", null));
      assertThat(engine.await(run, Duration.ofSeconds(10)).state())
          .isEqualTo(RunState.COMPLETED);
      long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
      while (stores.runs().run(run).isPresent() && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(stores.runs().run(run)).as("purged within 10 s").isEmpty();
    }
  }

  @Test
  void theRetentionOfTheDocsPurgesOnlyWhatItNames() {
    // docs:start stores.md retention
    Retention retention = Retention.builder()
        .endedRuns(Duration.ofDays(30))           // completed, failed and stopped runs...
        .endedRuns("audit", Duration.ofDays(365)) // ...but this project's for a year
        .logs(Duration.ofDays(14))                // log lines, by the time they were written
        .processedEvents(Duration.ofDays(30))     // the default: triggers' processed event ids
        .build();
    DagEngine engine = DagEngine.builder().retention(retention).build();
    // docs:end
    try (engine) {
      assertThat(retention.endedRunsByProject()).containsEntry("audit", Duration.ofDays(365));
      assertThat(retention.logs()).contains(Duration.ofDays(14));
      engine.start();
      assertThat(engine.purge()).isEqualTo(new Retention.PurgeReport(0, 0, 0));
    }
  }

  @Test
  void badSettingsAreRefusedByName() {
    assertThatThrownBy(() -> Retention.builder().endedRuns(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("endedRuns");
    assertThatThrownBy(() -> Retention.builder().logs(Duration.ofDays(-1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logs");
    assertThatThrownBy(() -> Retention.builder().processedEvents(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("processedEvents");
    assertThatThrownBy(() -> Retention.builder().every(Duration.ofMillis(10)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("every");
    assertThatThrownBy(() -> Retention.builder().endedRuns(" ", Duration.ofDays(1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("project");
    assertThatThrownBy(() -> Retention.builder().endedRuns(Duration.ofDays(1))
        .endedRuns(Duration.ofDays(2))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("endedRuns");
    assertThatThrownBy(() -> Retention.builder().endedRuns("a", Duration.ofDays(1))
        .endedRuns("a", Duration.ofDays(2))).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("project a");
    Retention defaults = Retention.builder().build();
    assertThat(defaults.endedRuns()).isEmpty();
    assertThat(defaults.logs()).isEmpty();
    assertThat(defaults.processedEvents()).isEqualTo(Duration.ofDays(30));
    assertThat(defaults.every()).isEqualTo(Duration.ofHours(1));
    assertThat(Optional.of(defaults.toString())).hasValueSatisfying(s ->
        assertThat(s).contains("processedEvents=PT720H"));
  }
}
