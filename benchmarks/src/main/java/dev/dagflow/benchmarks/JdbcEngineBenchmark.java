package dev.dagflow.benchmarks;

import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.NodeView;
import dev.dagflow.engine.RunView;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.RunState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * Durable throughput: {@code runs} (100) runs of a layered {@link BenchDag} of {@value
 * #NODES_PER_RUN} no-op nodes in layers of {@value #WIDTH}, 10,000 nodes in all, through a
 * started {@link DagEngine} on the JDBC stores ({@code JdbcStores.builder(pool).build()}, {@code
 * workersPerScope(8)}, every other setting the default), against db-scheduler 16.7.1 executing as
 * many one-time no-op tasks with 8 threads ({@link DbSchedulerPeer}). Both peers get a HikariCP
 * pool of {@value BenchDatabase#POOL_SIZE} connections on the same database: file-based H2,
 * PostgreSQL or MariaDB ({@link BenchDatabase}).
 *
 * <p>One operation is the whole workload: dagflow submits every run and then awaits each (the
 * {@code RunView} of a COMPLETED run); db-scheduler schedules every instance in one batch and
 * waits until every execution has completed. The mode is a single shot: each iteration is one
 * operation, so the score is the time of the 10,000 nodes or executions, and the rate is {@code
 * runs * 100 / time}. Everything is new in every iteration and made before it, outside the
 * measured time: an empty place in the database ({@link BenchDatabase#newSpace()}), its pool
 * with all its connections open, the peer's tables and the started engine or scheduler. After
 * the operation, still outside the measured time, the iteration fails unless all the work was
 * done (dagflow: every run COMPLETED with every node COMPLETED and the handler called once per
 * node; db-scheduler: every execution completed and its row gone), then everything is closed
 * and dropped.
 *
 * <p>Commits: on PostgreSQL the counter {@code commits} is the rise of {@code
 * pg_stat_database.xact_commit} for the benchmark's database over the operation, every
 * transaction of either peer counted: reads, polls, lease renewals, validation queries (see
 * {@link PgCommitCounter} for how the counts are made current before each reading). It is NaN
 * on H2 and MariaDB, whose server-wide counters would include other programs' statements. The
 * counter {@code units} is the nodes or executions of the operation; JMH sums both over the
 * measured iterations, so commits per node is {@code commits / units}. Each iteration prints its
 * own figures too.
 *
 * <p>Targets (issue 12): dagflow at least twice db-scheduler's rate, at most 0.25 commits per
 * node.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class JdbcEngineBenchmark {
  /** The worker threads of each peer. */
  static final int WORKERS = 8;

  /** The nodes of each run. */
  static final int NODES_PER_RUN = 100;

  /**
   * The width of each run's layers. Not a {@link DagShape} {@code @Param}: a run of 100 nodes is
   * the durable workload of issue 12, and four shapes would quadruple the class's 10 minutes.
   */
  static final int WIDTH = 10;

  /** The whole workload once: every run, or every execution, to its end. */
  @Benchmark
  public void workload(Trial trial, Blackhole bh) throws Exception {
    bh.consume(trial.run());
  }

  /**
   * One trial's database and peer, made anew for every iteration, and the iteration's counters:
   * {@code commits} and {@code units} (public fields, read by JMH as auxiliary counters).
   */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.EVENTS)
  public static class Trial {
    @Param({"H2", "POSTGRESQL", "MARIADB"})
    BenchDatabase database;

    @Param({"DAGFLOW", "DB_SCHEDULER"})
    Impl impl;

    @Param({"100"})
    int runs;

    /** The transactions committed over the operation (PostgreSQL), else NaN. */
    public double commits;

    /** The nodes or executions the operation ran to completion. */
    public long units;

    private BenchDatabase.Space space;
    private Peer peer;
    private OptionalLong before = OptionalLong.empty();
    private int result;

    /** Fails the trial at once if its database server does not answer. */
    @Setup(Level.Trial)
    public void checkServer() {
      String problem = database.problem();
      if (!problem.isEmpty()) {
        throw new IllegalStateException(database + " at " + database.url()
            + " does not answer (" + problem + "); point the benchmark at a server with "
            + database.propertyName("url").toUpperCase(Locale.ROOT).replace('.', '_'));
      }
    }

    /** A fresh database space and peer; the commit count before the operation. */
    @Setup(Level.Iteration)
    public void prepare() {
      result = -1;
      space = database.newSpace();
      try {
        space.checkCommitCounter();
        peer = impl.create(database, space.pool(), runs);
        before = space.commits();
      } catch (RuntimeException | Error e) {
        close();
        throw e;
      }
    }

    /** The measured operation: the peer's whole workload. */
    int run() throws Exception {
      result = peer.run();
      return result;
    }

    /**
     * Counts the commits, then fails the iteration unless the operation did all its work; in
     * any case closes the peer and drops the space.
     *
     * @throws IllegalStateException if work is missing
     */
    @TearDown(Level.Iteration)
    public void finish() {
      try {
        OptionalLong after = space.commits();
        int expected = runs * NODES_PER_RUN;
        String problem = result < 0 ? "no operation ran" : peer.verify(result);
        if (!problem.isEmpty()) {
          throw new IllegalStateException(impl + " on " + database + ": " + problem);
        }
        units = result;
        // JMH zeroes the counters after prepare(): set both here
        commits = before.isPresent() && after.isPresent()
            ? after.getAsLong() - before.getAsLong() - space.commitsOfACount() : Double.NaN;
        System.out.printf("%n%s on %s: %d %s%s%n", impl, database, expected, impl.units,
            Double.isNaN(commits) ? "" : String.format(", %.0f commits, %.3f per %s", commits,
                commits / expected, impl.units.substring(0, impl.units.length() - 1)));
      } finally {
        close();
      }
    }

    private void close() {
      try {
        if (peer != null) {
          peer.close();
        }
      } finally {
        peer = null;
        if (space != null) {
          space.close();
          space = null;
        }
      }
    }
  }

  /** One side of the comparison, made for one operation on a fresh database space. */
  interface Peer extends AutoCloseable {
    /** The whole workload, measured; returns how many nodes or executions completed. */
    int run() throws Exception;

    /** What is wrong with the work done, {@code result} being what {@link #run()} returned. */
    String verify(int result);

    @Override
    void close();
  }

  /** The implementations compared. */
  public enum Impl {
    /** A {@link DagEngine} on {@code JdbcStores}, {@code workersPerScope(8)}. */
    DAGFLOW("nodes") {
      @Override
      Peer create(BenchDatabase database, DataSource dataSource, int runs) {
        return new DagflowPeer(dataSource, runs);
      }
    },
    /** db-scheduler 16.7.1, one-time no-op tasks: see {@link DbSchedulerPeer}. */
    DB_SCHEDULER("executions") {
      @Override
      Peer create(BenchDatabase database, DataSource dataSource, int runs) {
        return new DbSchedulerPeer(database, dataSource, runs * NODES_PER_RUN);
      }
    };

    private final String units;

    Impl(String units) {
      this.units = units;
    }

    abstract Peer create(BenchDatabase database, DataSource dataSource, int runs);
  }

  /** Submits {@code runs} runs of one layered spec to a started engine and awaits them. */
  static final class DagflowPeer implements Peer {
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final DagSpec SPEC = DagSpec.builder("layered")
        .nodes(BenchDag.layered(NODES_PER_RUN, WIDTH, BenchDag.DEFAULT_SEED).nodeSpecs("noop"))
        .build();

    private final int runs;
    private final AtomicInteger executed = new AtomicInteger();
    private final DagEngine engine;
    private final List<RunView> views = new ArrayList<>();

    DagflowPeer(DataSource dataSource, int runs) {
      this.runs = runs;
      engine = DagEngine.builder()
          .stores(JdbcStores.builder(dataSource).build())
          .workersPerScope(WORKERS)
          .handler("noop", context -> {
            executed.incrementAndGet();
            return null;
          })
          .build();
      engine.start();
    }

    @Override
    public int run() throws Exception {
      List<String> ids = new ArrayList<>(runs);
      for (int i = 0; i < runs; i++) {
        ids.add(engine.submit(SPEC));
      }
      int completed = 0;
      for (String id : ids) {
        RunView view = engine.await(id, TIMEOUT);
        views.add(view);
        if (view.state() == RunState.COMPLETED) {
          for (NodeView node : view.nodes()) {
            completed += node.state() == NodeState.COMPLETED ? 1 : 0;
          }
        }
      }
      return completed;
    }

    @Override
    public String verify(int result) {
      int expected = runs * NODES_PER_RUN;
      long ended = views.stream().filter(v -> v.state() == RunState.COMPLETED).count();
      if (result == expected && executed.get() == expected && ended == runs) {
        return "";
      }
      return ended + " of " + runs + " runs COMPLETED, " + result + " of " + expected
          + " nodes COMPLETED, the handler called " + executed.get() + " times";
    }

    @Override
    public void close() {
      engine.close();
    }
  }
}
