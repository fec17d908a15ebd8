package dev.dagflow.benchmarks;

import com.sun.management.OperatingSystemMXBean;
import com.sun.net.httpserver.HttpServer;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.engine.EngineListener;
import dev.dagflow.http.engine.EngineClient;
import dev.dagflow.http.engine.HttpEngineExecutor;
import dev.dagflow.http.engine.WebhookConfig;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.NodeState;
import dev.dagflow.state.StateTransition;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
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

/**
 * Following {@code tasks} (1,000) remote tasks at once: a started {@link DagEngine} (in-memory
 * stores) whose task type {@code sim} runs on a {@link LoopbackEngine} on 127.0.0.1 through an
 * {@link HttpEngineExecutor} polling every {@code pollMillis} (1,000 ms), with {@code delivery}
 * {@code POLLING} (status changes seen by polls only) or {@code WEBHOOK} (the engine also POSTs
 * each end as a signed callback to the executor's receiver, on a JDK {@code HttpServer}; polls
 * go on as the safety net). Each run is one node; before the trial {@code tasks} runs are
 * submitted and the benchmark waits until the engine has been asked for every task's status.
 *
 * <ul>
 *   <li>{@link #pollRequests}: the steady load of 1,000 running tasks. Each call waits for the
 *       next status request(s) at the engine; the auxiliary counters, rates per second, are
 *       {@code polls} (status requests), {@code logReads} (the logs request each poll makes
 *       for the task's one agent) and {@code clientCpuNanos}: the process's CPU time less that
 *       of the loopback engine's threads and of the benchmark thread, i.e. the executor, the
 *       client's {@code HttpClient}, the engine and the JVM's GC and JIT. CPU per poll is
 *       {@code clientCpuNanos / polls}; each iteration also prints it.
 *   <li>{@link #statusToTransition}: the delay from a status change on the engine (the oldest
 *       running task set {@code completed}) to its node's COMPLETED transition, sampled; after
 *       each call a new run replaces the ended one, so {@code tasks} stay running.
 * </ul>
 *
 * <p>The fork runs with {@code -Dsun.net.httpserver.nodelay=true}, as a host serving HTTP from
 * the JDK's {@code HttpServer} should: without it that server leaves Nagle's algorithm on and
 * each small answer on a kept-alive connection waits some 40 ms for a delayed ACK, so the
 * loopback engine, not the client, would set the pace.
 */
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g", "-Dsun.net.httpserver.nodelay=true",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 10)
public class RemotePollingBenchmark {
  private static final long WAIT_MILLIS = 120_000;
  private static final byte[] SECRET = "the benchmark's shared secret, 32"
      .getBytes(StandardCharsets.UTF_8);
  private static final DagSpec SPEC = DagSpec.builder("remote")
      .node(NodeSpec.task("x", "sim")).build();

  /** How the executor learns of a status change. */
  public enum Delivery {
    /** Polls only. */
    POLLING,
    /** Signed webhooks, polls as a safety net. */
    WEBHOOK
  }

  /** The engine, the executor and the loopback engine, with {@code tasks} tasks running. */
  @State(Scope.Benchmark)
  public static class Remote {
    @Param({"1000"})
    int tasks;

    @Param({"1000"})
    long pollMillis;

    @Param({"POLLING", "WEBHOOK"})
    Delivery delivery;

    LoopbackEngine fake;
    final ConcurrentLinkedDeque<String> running = new ConcurrentLinkedDeque<>();
    final Map<String, CountDownLatch> completions = new ConcurrentHashMap<>();
    private HttpServer callbacks;
    private ExecutorService callbackThreads;
    private EngineClient client;
    private HttpEngineExecutor executor;
    private DagEngine engine;

    /** Starts everything and {@code tasks} runs; returns once each task was polled once. */
    @Setup(Level.Trial)
    public void start() throws IOException, InterruptedException {
      URI callbackUri = null;
      if (delivery == Delivery.WEBHOOK) {
        callbacks = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(),
            0), 0);
        callbackUri = URI.create("http://127.0.0.1:" + callbacks.getAddress().getPort()
            + "/callbacks");
      }
      fake = new LoopbackEngine(callbackUri, delivery == Delivery.WEBHOOK ? SECRET : null);
      client = EngineClient.builder(fake.uri()).build();
      HttpEngineExecutor.Builder b = HttpEngineExecutor.builder().client(client)
          .pollInterval(Duration.ofMillis(pollMillis));
      if (delivery == Delivery.WEBHOOK) {
        b.webhooks(WebhookConfig.builder(SECRET).build());
      }
      executor = b.build();
      if (callbacks != null) {
        callbackThreads = Executors.newFixedThreadPool(2);
        callbacks.setExecutor(callbackThreads);
        callbacks.createContext("/callbacks", executor.webhookReceiver().orElseThrow()
            .httpHandler());
        callbacks.start();
      }
      engine = DagEngine.builder().executor("sim", executor)
          .listener(new EngineListener() {
            @Override
            public void onTransition(StateTransition t) {
              if (t.to() == NodeState.COMPLETED) {
                CountDownLatch done = completions.remove(t.runId());
                if (done != null) {
                  done.countDown();
                }
              }
            }
          }).build();
      engine.start();
      for (int i = 0; i < tasks; i++) {
        submit();
      }
      fake.awaitPolledTasks(tasks, WAIT_MILLIS);
    }

    void submit() {
      running.add(engine.submit(SPEC));
    }

    /** Closes the engine, then the executor, the client and the servers. */
    @TearDown(Level.Trial)
    public void stop() {
      if (engine != null) {
        engine.close();
      }
      if (executor != null) {
        executor.close();
      }
      if (client != null) {
        client.close();
      }
      if (callbacks != null) {
        callbacks.stop(0);
        callbackThreads.shutdownNow();
      }
      if (fake != null) {
        fake.close();
      }
    }
  }

  /** One iteration's counts of {@link #pollRequests}, normalised per second by JMH. */
  @State(Scope.Thread)
  @AuxCounters(AuxCounters.Type.OPERATIONS)
  public static class Load {
    /** Status requests. */
    public long polls;
    /** Logs requests. */
    public long logReads;
    /** CPU time of everything but the loopback engine and the benchmark thread, in ns. */
    public long clientCpuNanos;

    private long statusAtStart;
    private long logsAtStart;
    private long cpuAtStart;
    long seen;

    /** The counts at the iteration's start. */
    @Setup(Level.Iteration)
    public void begin(Remote r) {
      statusAtStart = r.fake.statusRequests.sum();
      logsAtStart = r.fake.logRequests.sum();
      cpuAtStart = clientCpu(r);
      seen = statusAtStart;
    }

    /** The counts of the iteration (JMH zeroes the counters after {@link #begin}). */
    @TearDown(Level.Iteration)
    public void end(Remote r) {
      polls = r.fake.statusRequests.sum() - statusAtStart;
      logReads = r.fake.logRequests.sum() - logsAtStart;
      clientCpuNanos = clientCpu(r) - cpuAtStart;
      System.out.printf("%n%s: %d polls, %d log reads, %.1f µs of client CPU per poll%n",
          r.delivery, polls, logReads, polls == 0 ? Double.NaN
              : clientCpuNanos / 1000.0 / polls);
    }

    private static long clientCpu(Remote r) {
      OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory
          .getOperatingSystemMXBean();
      ThreadMXBean threads = ManagementFactory.getThreadMXBean();
      return os.getProcessCpuTime() - r.fake.cpuNanos() - threads.getCurrentThreadCpuTime();
    }
  }

  /** Waits for the next status request(s) at the engine; returns how many there were. */
  @Benchmark
  @BenchmarkMode(Mode.Throughput)
  @OutputTimeUnit(TimeUnit.SECONDS)
  public long pollRequests(Remote r, Load load) throws InterruptedException {
    long now = r.fake.awaitStatusRequestsAfter(load.seen, WAIT_MILLIS);
    long n = now - load.seen;
    load.seen = now;
    return n;
  }

  /**
   * Sets the oldest running task {@code completed} and waits for its node's transition; {@code
   * refill} then submits a new run, outside the measured time.
   */
  @Benchmark
  @BenchmarkMode(Mode.SampleTime)
  @OutputTimeUnit(TimeUnit.MILLISECONDS)
  public String statusToTransition(Remote r, Refill refill) throws InterruptedException {
    String run = r.running.poll();
    String task = r.fake.awaitTask(run + ":x:1", WAIT_MILLIS);
    CountDownLatch done = new CountDownLatch(1);
    r.completions.put(run, done);
    r.fake.complete(task);
    if (!done.await(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException("run " + run + " did not complete within "
          + WAIT_MILLIS + " ms of its task's end");
    }
    return run;
  }

  /** A new run for the one {@link #statusToTransition} ended. */
  @State(Scope.Thread)
  public static class Refill {
    /** Submits it, outside the measured time. */
    @TearDown(Level.Invocation)
    public void refill(Remote r) {
      r.submit();
    }
  }
}
