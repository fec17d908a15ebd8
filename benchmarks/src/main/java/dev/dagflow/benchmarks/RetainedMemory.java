package dev.dagflow.benchmarks;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.RunView;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Heap kept per node by one finished run of a {@link DagShape}, the companion of {@link
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
 * <p>Targets: at most 300 bytes per node for the last step at 1,000,000 nodes (issue 9); at most
 * 300 bytes per node for all four together (issue 16). Run with a fixed heap, e.g. {@code java
 * -Xms8g -Xmx8g -cp benchmarks/target/benchmarks.jar dev.dagflow.benchmarks.RetainedMemory
 * [nodes [shape [json-file]]]} (defaults 1,000,000 and {@code LAYERED_1000}); with a file it also
 * writes the four figures there as JSON, which {@code benchmarks/run.sh} summarises.
 */
public final class RetainedMemory {
  private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
  private static final long SETTLED = 256 * 1024;

  private RetainedMemory() {
  }

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
    DagShape shape = args.length > 1 ? DagShape.valueOf(args[1]) : DagShape.LAYERED_1000;
    Path json = args.length > 2 ? Path.of(args[2]) : null;
    long base = settledHeap();

    // the spec keeps the generator's id strings, so they count as the spec's
    DagSpec spec = DagSpec.builder("bench").nodes(shape.of(n).nodeSpecs("noop")).build();
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

    System.out.printf("nodes: %,d, %s; run %s%n", n, shape, outcome);
    report("spec", withSpec - base, n);
    report("compiled plan (cached per spec)", withPlan - withSpec, n);
    report("started engine, no run", withEngine - withPlan, n);
    report("finished run, engine and stores", withRun - withEngine, n);
    if (json != null) {
      ObjectNode out = JsonNodeFactory.instance.objectNode()
          .put("shape", shape.name())
          .put("n", n)
          .put("outcome", outcome.name())
          .put("specBytes", withSpec - base)
          .put("planBytes", withPlan - withSpec)
          .put("engineBytes", withEngine - withPlan)
          .put("runBytes", withRun - withEngine);
      Files.writeString(json, new ObjectMapper().writerWithDefaultPrettyPrinter()
          .writeValueAsString(out) + "\n");
    }

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
