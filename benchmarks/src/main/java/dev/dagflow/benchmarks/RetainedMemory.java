package dev.dagflow.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;

/**
 * Heap kept per node by one finished run of a {@link LayeredDag}, the companion of {@link
 * EngineThroughputBenchmark} (the engine is built the same way, with in-memory stores). Not a JMH
 * benchmark: it measures the used heap after full collections, in steps, each step keeping
 * everything before it reachable:
 *
 * <ol>
 *   <li>the spec alone (its node specs and id strings);
 *   <li>the evaluator's compiled plan, which the default evaluator caches while the spec lives;
 *   <li>a started engine without runs;
 *   <li>one submitted and finished run, the {@link RunView} {@code await} returned dropped: what
 *       the engine and its stores keep of the run.
 * </ol>
 *
 * <p>Target: at most 300 bytes per node for the last step at 1,000,000 nodes. Run with a fixed
 * heap, e.g. {@code java -Xms8g -Xmx8g -cp benchmarks/target/benchmarks.jar
 * dev.dagflow.benchmarks.RetainedMemory [nodes]}.
 */
public final class RetainedMemory {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final long SETTLED = 256 * 1024;

  private RetainedMemory() {
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    long base = settledHeap();

    DagSpec spec = DagSpec.builder("layered").nodes(LayeredDag.of(n).nodeSpecs("noop")).build();
    long withSpec = settledHeap();

    DependencyEvaluator.incremental().newRun(spec, JsonNodeFactory.instance.objectNode(),
        Instant.EPOCH, (node, from, to, trigger, reason) -> { });
    long withPlan = settledHeap();

    DagEngine engine = EngineThroughputBenchmark.DagflowPeer.newEngine();
    engine.start();
    long withEngine = settledHeap();

    String runId = engine.submit(spec);
    RunState outcome = engine.await(runId, Duration.ofMinutes(30)).state();
    long withRun = settledHeap();

    System.out.printf("nodes: %,d; run %s%n", n, outcome);
    report("spec", withSpec - base, n);
    report("compiled plan (cached per spec)", withPlan - withSpec, n);
    report("started engine, no run", withEngine - withPlan, n);
    report("finished run, engine and stores", withRun - withEngine, n);

    Reference.reachabilityFence(spec);
    engine.close();
    Reference.reachabilityFence(engine);
    if (outcome != RunState.COMPLETED) {
      throw new IllegalStateException("the run ended " + outcome);
    }
  }

  private static void report(String what, long bytes, int n) {
    System.out.printf("%-34s %,15d bytes  %,8.1f bytes/node%n", what, bytes, (double) bytes / n);
  }

  /**
   * The used heap once full collections stop changing it. {@code System.gc()} is a full,
   * synchronous collection with G1's defaults, so nothing needs waiting for.
   */
  private static long settledHeap() {
    long previous = Long.MAX_VALUE;
    for (int i = 0; i < 10; i++) {
      System.gc();
      long used = MEMORY.getHeapMemoryUsage().getUsed();
      if (Math.abs(previous - used) < SETTLED) {
        return used;
      }
      previous = used;
    }
    return previous;
  }
}
