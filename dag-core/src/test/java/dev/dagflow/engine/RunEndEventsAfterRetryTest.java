package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.dagflow.engine.GatedExecutor.Gate;
import dev.dagflow.engine.GatedExecutor.Then;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import dev.dagflow.trigger.Event;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Every stored ending of a run is announced once, as itself: a retry that re-opens the run while
 * the worker that ended it is still telling listeners (before it emits {@code run.failed})
 * changes neither what that announcement says nor how often the later ending is announced.
 */
class RunEndEventsAfterRetryTest {

  @Test
  void anEndStillBeingAnnouncedWhenTheRunIsRetriedGoesOutWithItsOwnOutcome()
      throws InterruptedException {
    GatedExecutor executor = new GatedExecutor().on("test", 1, Then.FAIL);
    Gate announcing = new Gate();
    AtomicBoolean held = new AtomicBoolean();
    List<Event> runEvents = new CopyOnWriteArrayList<>();
    EngineListener listener = new EngineListener() {
      @Override
      public void onRunStateChange(RunStateChange change) {
        if (change.to() == RunState.FAILED && held.compareAndSet(false, true)) {
          announcing.pass(); // on the worker that ended the run, once the end is stored
        }
      }

      @Override
      public void onEvent(Event event) {
        if (event.type().startsWith("run.")) {
          runEvents.add(event);
        }
      }
    };
    DagSpec spec = DagSpec.builder("announce")
        .node(NodeSpec.task("build", "t"))
        .node(NodeSpec.task("test", "t").dependsOn("build"))
        .build();
    try (Harness h = new Harness(b -> b.executor("t", executor).listener(listener))) {
      String run = h.submit(spec);
      announcing.awaitArrival();
      assertThat(h.engine.get(run).state()).isEqualTo(RunState.FAILED);

      h.engine.retry(run, "test", "ops");
      assertThat(h.await(run).state()).isEqualTo(RunState.COMPLETED);
      announcing.open();

      h.until("both ends announced", () -> runEvents.size() >= 2);
      assertThat(runEvents).extracting(Event::type, e -> e.payload().get("state").asText())
          .containsExactlyInAnyOrder(tuple("run.failed", "FAILED"),
              tuple("run.completed", "COMPLETED"));
    }
  }
}
