package dev.dagflow.benchmarks;

import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jgrapht.graph.DefaultEdge;
import org.jgrapht.graph.DirectedAcyclicGraph;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Validation of a whole spec — ids, duplicates, edge references, hierarchy, cycles and
 * topological order — on a {@link DagShape}, against building the same graph as
 * a JGraphT {@link DirectedAcyclicGraph}, which checks for cycles on every edge it adds.
 *
 * <p>Both sides start from inputs prepared in setup: dagflow from the already built
 * {@link NodeSpec}s, JGraphT from the same id strings and {@code (parent, child)} index pairs.
 * Target: dagflow at most half of JGraphT's time at every size.
 *
 * <p>The heap is fixed and pre-touched: at a million nodes one operation allocates from 0.15 GB
 * (dagflow) to 0.9 GB (JGraphT), and without pre-touching, first touches of heap pages showed up
 * as kernel time that doubled some iterations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpecValidationBenchmark {

  @Param
  DagShape shape;

  @Param({"1000", "10000", "100000", "1000000"})
  int n;

  @Param
  Impl impl;

  private Peer peer;

  @Setup(Level.Trial)
  public void setUp() {
    peer = impl.prepare(shape.of(n));
  }

  @Benchmark
  public void validate(Blackhole bh) {
    bh.consume(peer.build());
  }

  /** One side of the comparison, holding its inputs; {@link #build()} is what is measured. */
  interface Peer {
    /** Builds and checks the graph from the prepared inputs and returns the result. */
    Object build();
  }

  /** The implementations compared. */
  public enum Impl {
    /** {@code DagSpec.builder(…).nodes(…).build()}. */
    DAGFLOW {
      @Override
      Peer prepare(BenchDag dag) {
        List<NodeSpec> nodes = dag.nodeSpecs("noop");
        return () -> DagSpec.builder("bench").nodes(nodes).build();
      }
    },
    /** JGraphT's {@code DirectedAcyclicGraph}: every vertex, then every edge, in child order. */
    JGRAPHT {
      @Override
      Peer prepare(BenchDag dag) {
        String[] ids = dag.ids().toArray(new String[0]);
        int[] pairs = dag.edgePairs();
        return () -> {
          DirectedAcyclicGraph<String, DefaultEdge> graph =
              new DirectedAcyclicGraph<>(DefaultEdge.class);
          for (String id : ids) {
            graph.addVertex(id);
          }
          for (int k = 0; k < pairs.length; k += 2) {
            graph.addEdge(ids[pairs[k]], ids[pairs[k + 1]]);
          }
          return graph;
        };
      }
    };

    abstract Peer prepare(BenchDag dag);
  }
}
