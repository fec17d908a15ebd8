package dev.dagflow.testing;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.Executor;

/**
 * Worker threads moved by hand, as {@link ManualClock} is time moved by hand: an {@link Executor}
 * for {@code DagEngine.Builder.workerExecutor} that runs nothing by itself. The engine's worker
 * loops wait in a queue until a test runs them on its own thread with {@link #runPending} or
 * {@link #runUntilEnded}, which also advances the clock to each next timer when nothing else can
 * run. With both, a whole workflow (retries with backoff, timeouts, not-before times) runs on the
 * test's thread, deterministically, with no engine thread and no polling; executors must then
 * complete on the calling thread or through the clock, as a {@link ScriptedExecutor} on the same
 * clock does.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
 * ManualWorkers workers = new ManualWorkers(clock);
 * DagEngine engine = DagEngine.builder().timeSource(clock).workerExecutor(workers)...build();
 * engine.start();
 * RunView done = workers.runUntilEnded(engine, engine.submit(spec));
 * }</pre>
 *
 * <p>Thread-safe: {@link #execute} may be called from any thread; run the queue from one thread
 * at a time, the test's.
 */
public final class ManualWorkers implements Executor {
  /** At most this many tasks and clock moves in one {@link #runUntilEnded}, against loops. */
  private static final int MAX_STEPS = 100_000;

  private final ManualClock clock;
  private final Queue<Runnable> queue = new ArrayDeque<>();

  /** Workers driven together with {@code clock}, which must be the engine's time source. */
  public ManualWorkers(ManualClock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Queues {@code task}; it runs at the next {@link #runPending}. */
  @Override
  public void execute(Runnable task) {
    Objects.requireNonNull(task, "task");
    synchronized (queue) {
      queue.add(task);
    }
  }

  /**
   * Runs the queued tasks on the calling thread, and those they queue, until the queue is empty.
   * Does not move the clock. A task that throws propagates, the rest stay queued.
   *
   * @return how many tasks ran
   */
  public int runPending() {
    int ran = 0;
    Runnable next;
    while ((next = poll()) != null) {
      next.run();
      ran++;
    }
    return ran;
  }

  /** The number of tasks queued now. */
  public int queued() {
    synchronized (queue) {
      return queue.size();
    }
  }

  /**
   * Runs {@code runId} of {@code engine} to its end on the calling thread: runs what is queued,
   * and when nothing is left moves the clock to the next pending timer (whoever set it), until
   * the run has ended. Equivalent to {@link #runUntilEnded(DagEngine, String, Duration)} with no
   * bound on the clock.
   *
   * @throws RunNotEndedException if the run cannot end: nothing is queued and no timer is
   *     pending (a paused run, an executor that never completes), or it took over 100,000 steps
   * @throws dev.dagflow.engine.UnknownRunException if there is no such run
   */
  public RunView runUntilEnded(DagEngine engine, String runId) {
    return runUntilEnded(engine, runId, null);
  }

  /**
   * Runs {@code runId} to its end as {@link #runUntilEnded(DagEngine, String)} does, moving the
   * clock at most {@code within} past its time now.
   *
   * @return the ended run
   * @throws RunNotEndedException if the run cannot end, or only after {@code within}
   * @throws IllegalArgumentException if {@code within} is negative
   */
  public RunView runUntilEnded(DagEngine engine, String runId, Duration within) {
    Objects.requireNonNull(engine, "engine");
    Objects.requireNonNull(runId, "runId");
    if (within != null && within.isNegative()) {
      throw new IllegalArgumentException("within must not be negative, got " + within);
    }
    Instant limit = within == null ? null : clock.now().plus(within);
    int steps = 0;
    while (true) {
      steps += runPending();
      RunView run = engine.get(runId);
      if (run.state().isTerminal()) {
        return run;
      }
      List<Instant> timers = clock.pending();
      if (timers.isEmpty()) {
        throw stuck(engine, run, "nothing is left to run and no timer is pending");
      }
      Instant next = timers.get(0);
      if (limit != null && next.isAfter(limit)) {
        throw stuck(engine, run, "the next timer, at " + next + ", is past the limit " + limit);
      }
      if (++steps > MAX_STEPS) {
        throw stuck(engine, run, "it took more than " + MAX_STEPS + " steps");
      }
      Instant now = clock.now();
      clock.advance(next.isAfter(now) ? Duration.between(now, next) : Duration.ZERO);
    }
  }

  private Runnable poll() {
    synchronized (queue) {
      return queue.poll();
    }
  }

  private RunNotEndedException stuck(DagEngine engine, RunView run, String why) {
    StringBuilder s = new StringBuilder("run ").append(run.runId()).append(" (spec ")
        .append(run.spec().id()).append(") is ").append(run.state()).append(" at ")
        .append(clock.now()).append(" and cannot end: ").append(why).append(". Its nodes:");
    for (NodeView node : run.nodes()) {
      if (!node.state().isTerminal()) {
        s.append("\n  ").append(engine.explain(run.runId(), node.id()));
      }
    }
    return new RunNotEndedException(run, s.toString());
  }
}
