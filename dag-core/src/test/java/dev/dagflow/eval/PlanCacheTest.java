package dev.dagflow.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import java.lang.ref.WeakReference;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The evaluator caches compiled plans per spec, but must not keep a spec nobody else holds. */
class PlanCacheTest {

  @Test
  void aSpecNoLongerUsedIsNotKeptByTheCache() {
    WeakReference<DagSpec> ref = runOnce();

    long deadline = System.nanoTime() + 10_000_000_000L;
    while (ref.get() != null && System.nanoTime() < deadline) {
      System.gc();
    }

    assertThat(ref.get()).as("spec still reachable after its run").isNull();
  }

  private static WeakReference<DagSpec> runOnce() {
    DagSpec spec = DagSpec.builder("once")
        .node(NodeSpec.task("a", "t"))
        .node(NodeSpec.task("b", "t").dependsOn("a"))
        .build();
    RunEvaluation run = DependencyEvaluator.incremental().newRun(spec,
        JsonNodeFactory.instance.objectNode(), Instant.EPOCH, TransitionListener.NONE);
    run.start();
    for (int v = 0; v < 2; v++) {
      run.dispatched(v);
      run.completed(v, JsonNodeFactory.instance.nullNode());
    }
    assertThat(run.outcome()).contains(RunState.COMPLETED);
    return new WeakReference<>(spec);
  }
}
