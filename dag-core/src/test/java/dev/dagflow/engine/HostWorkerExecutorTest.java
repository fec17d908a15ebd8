package dev.dagflow.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.dagflow.spec.DagScope;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.state.RunState;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * With the host's executor for workers, the engine keeps its per-key bounds and queues but runs
 * its loops on the host's threads, and never shuts down or interrupts what it did not create.
 */
class HostWorkerExecutorTest {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private final AtomicInteger threadNumber = new AtomicInteger();
  private final ExecutorService host = Executors.newFixedThreadPool(8, task -> {
    Thread t = new Thread(task, "host-" + threadNumber.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  @AfterEach
  void stopHost() {
    host.shutdownNow();
  }

  private static DagSpec wide(String id, DagScope scope, int nodes) {
    DagSpec.Builder b = DagSpec.builder(id).scope(scope);
    for (int i = 0; i < nodes; i++) {
      b.node(NodeSpec.task("n" + i, "t"));
    }
    return b.build();
  }

  private static ObjectNode key(String key) {
    return JsonNodeFactory.instance.objectNode().put("key", key);
  }

  @Test
  void nodesRunOnTheHostsThreadsWithinEachKeysBound() throws Exception {
    Map<String, Set<String>> threads = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> most = new ConcurrentHashMap<>();
    CountDownLatch bothFull = new CountDownLatch(4); // two keys, two workers each
    TaskHandler busy = ctx -> {
      String key = ctx.params().path("key").asText();
      threads.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet())
          .add(Thread.currentThread().getName());
      int now = running.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
      most.computeIfAbsent(key, k -> new AtomicInteger()).accumulateAndGet(now, Math::max);
      bothFull.countDown();
      bothFull.await(10, TimeUnit.SECONDS); // hold the worker until both keys are full
      running.get(key).decrementAndGet();
      return null;
    };
    try (DagEngine engine = DagEngine.builder().workerExecutor(host).workersPerScope(2)
        .handler("t", busy).build()) {
      engine.start();
      String a = engine.submit(wide("a", DagScope.project("acme", true), 6),
          key("acme"));
      String b = engine.submit(wide("b", DagScope.project("umbrella", true), 6),
          key("umbrella"));

      assertThat(engine.await(a, WAIT).state()).isEqualTo(RunState.COMPLETED);
      assertThat(engine.await(b, WAIT).state()).isEqualTo(RunState.COMPLETED);
      assertThat(bothFull.getCount()).as("both keys ran two nodes at once").isZero();
      assertThat(most.get("acme").get()).isEqualTo(2);
      assertThat(most.get("umbrella").get()).isEqualTo(2);
      assertThat(threads.values()).allSatisfy(names -> assertThat(names).isNotEmpty()
          .allMatch(n -> n.startsWith("host-")));
    }
    assertThat(host.isShutdown()).as("the engine shuts down only what it made").isFalse();
    Future<String> stillWorks = host.submit(() -> "yes");
    assertThat(stillWorks.get(10, TimeUnit.SECONDS)).isEqualTo("yes");
  }

  @Test
  void closeWaitsForLoopsOnTheHostsThreadsWithoutInterruptingThem() throws Exception {
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger interrupted = new AtomicInteger();
    TaskHandler slow = ctx -> {
      entered.countDown();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        interrupted.incrementAndGet();
      }
      return null;
    };
    DagEngine engine = DagEngine.builder().workerExecutor(host).handler("t", slow)
        .shutdownTimeout(Duration.ofMillis(200)).build();
    try (CapturedStderr stderr = new CapturedStderr()) {
      engine.start();
      engine.submit(wide("a", DagScope.global(), 1));
      assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();

      engine.close();

      // which of the host's threads runs the node depends on which loop was free to take it
      assertThat(stderr.text())
          .containsPattern("pool worker-global with threads \\[host-\\d+\\] still busy");
    } finally {
      release.countDown();
    }
    assertThat(interrupted.get()).as("the host's thread is not the engine's to interrupt")
        .isZero();
    assertThat(host.isShutdown()).isFalse();
  }

  @Test
  void anExecutorThatRunsTasksInsideExecuteIsRefusedLoudly() {
    try (DagEngine engine = DagEngine.builder().workerExecutor(Runnable::run)
        .handler("t", ctx -> null).build()) {
      engine.start();
      assertThatThrownBy(() -> engine.submit(wide("a", DagScope.global(), 1)))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("worker-global")
          .hasMessageContaining("inside execute()")
          .hasMessageContaining("ManualWorkers");
    }
  }

  @Test
  void aHostExecutorExcludesAThreadFactoryAndIsSetOnce() {
    assertThatThrownBy(() -> DagEngine.builder().threadFactory(Thread::new).workerExecutor(host))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("threadFactory");
    assertThatThrownBy(() -> DagEngine.builder().workerExecutor(host).threadFactory(Thread::new))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("workerExecutor");
    assertThatThrownBy(() -> DagEngine.builder().workerExecutor(host).workerExecutor(host))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("already set");
    assertThatThrownBy(() -> DagEngine.builder().workerExecutor(null))
        .isInstanceOf(NullPointerException.class).hasMessageContaining("workerExecutor");
  }
}
