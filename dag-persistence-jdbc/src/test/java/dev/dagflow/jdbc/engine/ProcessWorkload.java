package dev.dagflow.jdbc.engine;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import java.util.LinkedHashSet;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * The DAGs and task handlers of the process tests, the same in the test JVM and in its child
 * JVMs. Every handler first records its execution in {@link ExecutionTable}; then {@code work}
 * returns, {@code hold} waits until the test releases its run, and {@code until-paused} waits
 * until its JVM has been paused (stopped and continued) and records its return.
 */
final class ProcessWorkload {
  static final String WORK = "work";
  static final String HOLD = "hold";
  static final String UNTIL_PAUSED = "until-paused";
  /** How long a waiting handler waits at most before it fails. */
  private static final long MAX_WAIT_MILLIS = 60_000;

  private ProcessWorkload() {}

  /**
   * Run {@code index} of a test seeded {@code seed}: {@code layers} layers of {@code width}
   * {@code work} nodes {@code n<v>}, each after one to three nodes of the layer before, drawn from
   * the seed and the index (so that any JVM builds the same DAG).
   */
  static DagSpec layered(long seed, int index, int layers, int width) {
    Random random = new Random(seed * 1_000_003L + index);
    DagSpec.Builder b = DagSpec.builder("layered-" + index);
    for (int v = 0; v < layers * width; v++) {
      NodeSpec.Builder node = NodeSpec.task("n" + v, WORK);
      int layer = v / width;
      if (layer > 0) {
        Set<Integer> picked = new LinkedHashSet<>();
        int edges = 1 + random.nextInt(3);
        for (int e = 0; e < edges; e++) {
          picked.add((layer - 1) * width + random.nextInt(width));
        }
        for (int u : picked) {
          node.dependsOn("n" + u);
        }
      }
      b.node(node);
    }
    return b.build();
  }

  /** a, then b of task type {@code middle}, then c: a and c are {@code work}. */
  static DagSpec chain(String id, String middle) {
    return DagSpec.builder(id)
        .node(NodeSpec.task("a", WORK))
        .node(NodeSpec.task("b", middle).dependsOn("a"))
        .node(NodeSpec.task("c", WORK).dependsOn("b"))
        .build();
  }

  /**
   * Installs the handlers on {@code builder}, recording into {@code dataSource} as {@code
   * instance}; {@code paused} is counted down once this JVM has been paused.
   */
  static DagEngine.Builder handlers(DagEngine.Builder builder, DataSource dataSource,
      String instance, CountDownLatch paused) {
    return builder
        .handler(WORK, ctx -> {
          ExecutionTable.record(dataSource, instance, ctx, ExecutionTable.EXECUTED);
          return JsonNodeFactory.instance.objectNode().put("by", instance);
        })
        .handler(HOLD, ctx -> {
          ExecutionTable.record(dataSource, instance, ctx, ExecutionTable.EXECUTED);
          long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MAX_WAIT_MILLIS);
          while (!ExecutionTable.released(dataSource, ctx.runId())) {
            if (System.nanoTime() > deadline) {
              throw new IllegalStateException("run " + ctx.runId() + " was never released");
            }
            Thread.sleep(20); // polls the table; a stop interrupts it
          }
          return JsonNodeFactory.instance.objectNode().put("by", instance);
        })
        .handler(UNTIL_PAUSED, ctx -> {
          ExecutionTable.record(dataSource, instance, ctx, ExecutionTable.EXECUTED);
          if (!paused.await(MAX_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException(instance + " was never paused");
          }
          ExecutionTable.record(dataSource, instance, ctx, ExecutionTable.RETURNED);
          return JsonNodeFactory.instance.objectNode().put("by", instance);
        });
  }
}
