package dev.dagflow.benchmarks;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.eval.DependencyEvaluator;
import dev.dagflow.eval.RunEvaluation;
import dev.dagflow.eval.TransitionListener;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.RunState;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
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
 * A whole run of a {@link DagShape} through the run-state object of {@link
 * DependencyEvaluator#incremental()}: {@code newRun}, {@code start()}, then every node in index
 * order (a topological order) dispatched and completed, every node succeeding. Divide the time
 * per operation by {@code n} for the cost per node.
 *
 * <p>The listener counts transitions into a field, as cheap as the engine's recording of each
 * can be. The default evaluator caches a compiled plan per spec instance, so {@link PlanMode}
 * measures both the steady state of a template run many times ({@link PlanMode#CACHED}) and a
 * first run of a spec, plan compilation included ({@link PlanMode#FRESH}).
 *
 * <p>Targets: at most 150 ns per node at 100,000 nodes, and the cost per node at 1,000,000 at
 * most 1.5 times that at 1,000. After every iteration the last run must have completed with four
 * transitions per node (PENDING, WAITING, READY, RUNNING, COMPLETED), or the benchmark fails
 * rather than report numbers.
 *
 * <p>The heap is fixed and pre-touched, as in {@link SpecValidationBenchmark}. At a million nodes
 * a run allocates its state arrays (about 6 bytes per node for this spec). In {@link
 * PlanMode#FRESH} each new spec's plan is cached under a weak key and collected with its spec.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms6g", "-Xmx6g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class EvaluatorBenchmark {
  private static final Instant START = Instant.parse("2026-11-23T00:00:00Z");
  private static final int TRANSITIONS_PER_NODE = 4;

  @Param
  DagShape shape;

  @Param({"1000", "10000", "100000", "1000000"})
  int n;

  @Param
  PlanMode plan;

  private DagSpec template;
  private ObjectNode params;
  private DagSpec spec;
  private long transitions;
  private long runs;
  private Optional<RunState> lastOutcome = Optional.empty();
  private final TransitionListener listener =
      (node, from, to, trigger, reason) -> transitions++;

  @Setup(Level.Trial)
  public void setUp() {
    template = DagSpec.builder("bench").nodes(shape.of(n).nodeSpecs("noop")).build();
    params = JsonNodeFactory.instance.objectNode();
  }

  @Setup(Level.Invocation)
  public void prepareSpec() {
    spec = plan.specFor(template);
  }

  @Benchmark
  public void fullRun(Blackhole bh) {
    bh.consume(runAll());
  }

  /** The measured body: one run, every node dispatched and completed in index order. */
  Optional<RunState> runAll() {
    RunEvaluation run = DependencyEvaluator.incremental().newRun(spec, params, START, listener);
    run.start();
    for (int v = 0; v < n; v++) {
      run.dispatched(v);
      run.completed(v, NullNode.instance);
    }
    Optional<RunState> outcome = run.outcome();
    lastOutcome = outcome;
    runs++;
    return outcome;
  }

  /**
   * Fails the benchmark unless the last run completed and every run made four transitions per
   * node.
   *
   * @throws IllegalStateException if not
   */
  @TearDown(Level.Iteration)
  public void verify() {
    if (runs == 0 || !lastOutcome.equals(Optional.of(RunState.COMPLETED))) {
      throw new IllegalStateException("run did not complete: outcome " + lastOutcome
          + " after " + runs + " runs of " + n + " nodes " + shape);
    }
    long expected = (long) TRANSITIONS_PER_NODE * n * runs;
    if (transitions != expected) {
      throw new IllegalStateException("expected " + expected + " transitions in " + runs
          + " runs of " + n + " nodes, counted " + transitions);
    }
  }

  /** The spec each run gets, and so whether its plan is already compiled. */
  public enum PlanMode {
    /** The same spec instance every run: its plan is compiled once and then cached. */
    CACHED {
      @Override
      DagSpec specFor(DagSpec template) {
        return template;
      }
    },
    /** A new spec equal to the template every run, so the run compiles its plan. */
    FRESH {
      @Override
      DagSpec specFor(DagSpec template) {
        return template.toBuilder().build();
      }
    };

    abstract DagSpec specFor(DagSpec template);
  }
}
