package dev.dagflow.benchmarks;

import com.github.dexecutor.core.DefaultDexecutor;
import com.github.dexecutor.core.DexecutorConfig;
import com.github.dexecutor.core.ExecutionConfig;
import com.github.dexecutor.core.task.ExecutionResults;
import com.github.dexecutor.core.task.Task;
import com.github.dexecutor.core.task.TaskProvider;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import dev.dagflow.store.Stores;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Whole runs of a {@link DagShape} whose nodes do nothing, on two worker threads: what the
 * engine costs per node when the work is free. Each operation submits one run and waits for its
 * end; divide the time per operation by {@code n} for the cost per node.
 *
 * <p>The peers, behind {@link Peer} and chosen by {@link Impl}: dagflow's {@link DagEngine}
 * with a no-op {@code TaskHandler} and in-memory stores; Dexecutor 2.1.2 with no-op tasks on an
 * executor of two threads; {@link FloorDispatcher}, the least a dispatcher can do; and {@link
 * CompletableFutureGraph}, a future per node on a pool of two threads, what a developer writes
 * by hand. Dexecutor is too slow for large graphs, so the sizes come in two states with their
 * own {@code @Param} lists: {@link #scaling} runs dagflow, the floor and the futures from 1,000
 * to 1,000,000 nodes, and {@link #versusDexecutor} Dexecutor alone at 1,000 and 10,000 (its
 * figures are compared with {@link #scaling}'s of the same shape and size). Dexecutor cannot run
 * the chain or the fan-out/fan-in of 10,000 ({@link DexecutorPeer}).
 *
 * <p>Targets (issue 16): dagflow at most 3 times the floor on the layered-100 and chain shapes
 * at 100,000 and 1,000,000 nodes; at least 10 times faster than Dexecutor at 1,000 (layered-100)
 * and 50 times at 10,000; faster than the futures at every shape and size; the cost per node at
 * 1,000,000 at most 1.5 times that at 10,000 on every shape. After every iteration the last run
 * must have run every node, or the benchmark fails rather than report numbers.
 *
 * <p>The in-memory run store keeps every run (about 150 bytes a node, see {@link
 * RetainedMemory}), so dagflow gets a fresh engine and stores every iteration: an iteration then
 * keeps at most a few hundred MB. The fixed, pre-touched heap of 8 GB leaves room for that, for
 * the {@code RunView} of a million nodes that {@code await} returns, and for a young generation
 * large enough to keep collections rare. A Dexecutor instance runs once, so its graph is
 * built before each operation, outside the measured time ({@code Level.Invocation}); dagflow's
 * spec, the floor's arrays and the futures' parent rows are built once per trial.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms8g", "-Xmx8g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EngineThroughputBenchmark {
  /** The worker threads of every peer. */
  static final int WORKERS = 2;

  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);

  /** dagflow, the floor and the futures, from 1,000 to 1,000,000 nodes. */
  @Benchmark
  public void scaling(Scaling state, Blackhole bh) throws Exception {
    bh.consume(state.run());
  }

  /** Dexecutor at the sizes it can run in reasonable time. */
  @Benchmark
  public void versusDexecutor(VersusDexecutor state, Blackhole bh) throws Exception {
    bh.consume(state.run());
  }

  /** The sizes and peers of {@link #scaling}. */
  @State(Scope.Benchmark)
  public static class Scaling extends Trial {
    @Param
    DagShape shape;

    @Param({"1000", "10000", "100000", "1000000"})
    int n;

    @Param({"DAGFLOW", "FLOOR", "CF_GRAPH"})
    Impl impl;

    @Override
    DagShape shape() {
      return shape;
    }

    @Override
    int size() {
      return n;
    }

    @Override
    Impl impl() {
      return impl;
    }
  }

  /** The sizes and peers of {@link #versusDexecutor}. */
  @State(Scope.Benchmark)
  public static class VersusDexecutor extends Trial {
    @Param
    DagShape shape;

    @Param({"1000", "10000"})
    int n;

    @Param({"DEXECUTOR"})
    Impl impl;

    @Override
    DagShape shape() {
      return shape;
    }

    @Override
    int size() {
      return n;
    }

    @Override
    Impl impl() {
      return impl;
    }

    /** Dexecutor's graph for the next operation; nothing for the other peers. */
    @Setup(Level.Invocation)
    public void prepareRun() {
      peer.prepareRun();
    }
  }

  /** One trial's peer, and the checks after each iteration. */
  abstract static class Trial {
    Peer peer;
    private Object last;
    private long runs;

    abstract DagShape shape();

    abstract int size();

    abstract Impl impl();

    @Setup(Level.Trial)
    public void setUp() {
      peer = impl().create(shape().of(size()));
    }

    @Setup(Level.Iteration)
    public void startIteration() {
      peer.startIteration();
      last = null;
      runs = 0;
    }

    /** The measured body: one whole run. */
    Object run() throws Exception {
      Object result = peer.run();
      last = result;
      runs++;
      return result;
    }

    /**
     * Fails the benchmark unless the iteration's last run ran every node.
     *
     * @throws IllegalStateException if not
     */
    @TearDown(Level.Iteration)
    public void verify() {
      int executed = last == null ? 0 : peer.executed(last);
      last = null; // a million-node result is not kept into the next iteration
      peer.endIteration();
      if (runs == 0 || executed != size()) {
        throw new IllegalStateException(impl() + " ran " + executed + " of " + size() + " "
            + shape()
            + " nodes in the last of " + runs + " runs");
      }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
      peer.close();
    }
  }

  /** One side of the comparison; {@link #run()} is what is measured. */
  interface Peer extends AutoCloseable {
    /** Before each iteration. */
    default void startIteration() {
    }

    /** Before each operation, outside the measured time. */
    default void prepareRun() {
    }

    /** Runs the whole graph once and returns the peer's own account of the run. */
    Object run() throws Exception;

    /** How many nodes {@code result}, returned by {@link #run()}, says ran to completion. */
    int executed(Object result);

    /** After each iteration. */
    default void endIteration() {
    }

    @Override
    void close();
  }

  /** The implementations compared. */
  public enum Impl {
    /** A {@link DagEngine} with a no-op handler, {@code workersPerScope(2)}, in-memory stores. */
    DAGFLOW {
      @Override
      Peer create(BenchDag dag) {
        return new DagflowPeer(dag);
      }
    },
    /** Dexecutor 2.1.2: no-op tasks, an executor of two threads, terminating on error. */
    DEXECUTOR {
      @Override
      Peer create(BenchDag dag) {
        return new DexecutorPeer(dag);
      }
    },
    /** {@link FloorDispatcher}: in-degree counters and a pool of two threads. */
    FLOOR {
      @Override
      Peer create(BenchDag dag) {
        FloorDispatcher floor = new FloorDispatcher(dag, WORKERS);
        return new Peer() {
          @Override
          public Object run() throws InterruptedException {
            return floor.run();
          }

          @Override
          public int executed(Object result) {
            return marked((byte[]) result);
          }

          @Override
          public void close() {
            floor.close();
          }
        };
      }
    },
    /**
     * {@link CompletableFutureGraph}: {@code allOf(parents).thenRunAsync(task, pool)} per node on
     * a pool of two threads; the no-op task marks its node.
     */
    CF_GRAPH {
      @Override
      Peer create(BenchDag dag) {
        CompletableFutureGraph graph = new CompletableFutureGraph(dag, WORKERS);
        int size = dag.size();
        return new Peer() {
          @Override
          public Object run() {
            byte[] ran = new byte[size];
            graph.run(v -> ran[v] = 1); // read after the join, which follows every task
            return ran;
          }

          @Override
          public int executed(Object result) {
            return marked((byte[]) result);
          }

          @Override
          public void close() {
            graph.close();
          }
        };
      }
    };

    abstract Peer create(BenchDag dag);

    private static int marked(byte[] ran) {
      int count = 0;
      for (byte b : ran) {
        count += b;
      }
      return count;
    }
  }

  /** Submits and awaits runs of one spec on an engine that is new every iteration. */
  static final class DagflowPeer implements Peer {
    private final DagSpec spec;
    private DagEngine engine;

    DagflowPeer(BenchDag dag) {
      spec = DagSpec.builder("bench").nodes(dag.nodeSpecs("noop")).build();
    }

    /** A fresh engine, so the runs of earlier iterations are garbage. */
    @Override
    public void startIteration() {
      close();
      engine = newEngine();
      engine.start();
    }

    /**
     * The engine of every run: the pool's threads outlive the gap between two runs, as in a
     * host that runs a template again and again.
     */
    static DagEngine newEngine() {
      return DagEngine.builder()
          .handler("noop", context -> null)
          .workersPerScope(WORKERS)
          .poolIdleTimeout(Duration.ofHours(1))
          .stores(Stores.inMemory())
          .build();
    }

    @Override
    public Object run() throws Exception {
      return engine.await(engine.submit(spec), RUN_TIMEOUT);
    }

    @Override
    public int executed(Object result) {
      RunView view = (RunView) result;
      if (view.state() != RunState.COMPLETED) {
        return 0;
      }
      int completed = 0;
      for (NodeView node : view.nodes()) {
        completed += node.state() == NodeState.COMPLETED ? 1 : 0;
      }
      return completed;
    }

    @Override
    public void endIteration() {
      close();
    }

    @Override
    public void close() {
      if (engine != null) {
        engine.close();
        engine = null;
      }
    }
  }

  /**
   * A new {@link DefaultDexecutor} for every run, built before the run on a shared pool. Two
   * limits, found by running Dexecutor outside JMH on the shapes (OpenJDK 17, default 1 MB
   * thread stacks, as JMH's threads have), make it refuse some graphs at once rather than fail or
   * take minutes per operation: its cycle check at {@code execute} recurses once per node of a
   * path and threw {@code StackOverflowError} on a chain of 4,000 nodes (3,500 ran), hence
   * {@link #MAX_PATH}; and its run time grows about as the cube of a join's in-degree (one run of
   * the fan-out/fan-in took 0.27 s at 1,000 nodes, 1.5 s at 2,000, 5.8 s at 3,000 and 264 s at
   * 10,000), hence {@link #MAX_IN_DEGREE}.
   */
  static final class DexecutorPeer implements Peer {
    /** The most nodes on a path accepted, under the 4,000 at which Dexecutor overflowed. */
    static final int MAX_PATH = 3_000;

    /** The most parents of one node accepted, a run of a few seconds at most. */
    static final int MAX_IN_DEGREE = 2_000;

    private static final TaskProvider<Integer, Boolean> NO_OP = id -> new NoOpTask();

    private final Integer[] ids;
    private final int[] pairs;
    private final ExecutorService pool;
    private DefaultDexecutor<Integer, Boolean> next;

    /**
     * @throws IllegalArgumentException if {@code dag} exceeds {@link #MAX_PATH} or {@link
     *     #MAX_IN_DEGREE}
     */
    DexecutorPeer(BenchDag dag) {
      int path = dag.longestPath();
      if (path > MAX_PATH) {
        throw new IllegalArgumentException("Dexecutor's recursive cycle check overflows the"
            + " stack on a path of " + path + " nodes; at most " + MAX_PATH + " are run");
      }
      int inDegree = dag.maxInDegree();
      if (inDegree > MAX_IN_DEGREE) {
        throw new IllegalArgumentException("Dexecutor takes minutes on a node with " + inDegree
            + " parents; at most " + MAX_IN_DEGREE + " are run");
      }
      ids = new Integer[dag.size()];
      for (int i = 0; i < ids.length; i++) {
        ids[i] = i;
      }
      pairs = dag.edgePairs();
      AtomicInteger count = new AtomicInteger();
      ThreadFactory named = task -> {
        Thread t = new Thread(task, "dexecutor-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
      };
      pool = Executors.newFixedThreadPool(WORKERS, named);
    }

    @Override
    public void prepareRun() {
      DefaultDexecutor<Integer, Boolean> dexecutor =
          new DefaultDexecutor<>(new DexecutorConfig<>(pool, NO_OP));
      for (Integer id : ids) {
        dexecutor.addIndependent(id);
      }
      for (int k = 0; k < pairs.length; k += 2) {
        dexecutor.addDependency(ids[pairs[k]], ids[pairs[k + 1]]);
      }
      next = dexecutor;
    }

    @Override
    public Object run() {
      DefaultDexecutor<Integer, Boolean> dexecutor = next;
      next = null;
      if (dexecutor == null) {
        throw new IllegalStateException("prepareRun() must come before every run");
      }
      return dexecutor.execute(ExecutionConfig.TERMINATING);
    }

    @Override
    public int executed(Object result) {
      @SuppressWarnings("unchecked")
      ExecutionResults<Integer, Boolean> results = (ExecutionResults<Integer, Boolean>) result;
      return (int) results.getSuccess().stream().map(r -> r.getId()).distinct().count();
    }

    @Override
    public void close() {
      pool.shutdownNow();
    }
  }

  /** Dexecutor's task that does nothing. */
  static final class NoOpTask extends Task<Integer, Boolean> {
    private static final long serialVersionUID = 1L;

    @Override
    public Boolean execute() {
      return Boolean.TRUE;
    }
  }
}
