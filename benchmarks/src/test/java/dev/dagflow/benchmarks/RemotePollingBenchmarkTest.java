package dev.dagflow.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A small trial of {@link RemotePollingBenchmark} for each delivery (20 tasks, polled every
 * 20 ms), through the lifecycle JMH drives, so that the benchmark cannot rot: the load counts
 * polls, log reads and CPU, and each status change ends its node while new runs refill.
 */
class RemotePollingBenchmarkTest {

  @ParameterizedTest
  @EnumSource(RemotePollingBenchmark.Delivery.class)
  void theLoadIsCountedAndEachStatusChangeEndsItsNode(RemotePollingBenchmark.Delivery delivery)
      throws Exception {
    RemotePollingBenchmark bench = new RemotePollingBenchmark();
    RemotePollingBenchmark.Remote remote = new RemotePollingBenchmark.Remote();
    remote.tasks = 20;
    remote.pollMillis = 20;
    remote.delivery = delivery;
    remote.start();
    try {
      RemotePollingBenchmark.Load load = new RemotePollingBenchmark.Load();
      load.begin(remote);
      long polls = 0;
      while (polls < 40) { // two rounds of the 20 tasks
        polls += bench.pollRequests(remote, load);
      }
      load.end(remote);
      assertThat(load.polls).isGreaterThanOrEqualTo(40);
      assertThat(load.logReads).isPositive();
      assertThat(load.clientCpuNanos).isPositive();

      RemotePollingBenchmark.Refill refill = new RemotePollingBenchmark.Refill();
      for (int i = 0; i < 30; i++) { // more than the 20 first runs: refilled ones end too
        String run = bench.statusToTransition(remote, refill);
        assertThat(run).isNotNull();
        refill.refill(remote);
      }
      assertThat(remote.running).hasSize(20);
      for (String run : remote.running) { // each submit reaches the engine in its own time
        remote.fake.awaitTask(run + ":x:1", 30_000);
      }
      assertThat(remote.fake.created()).isEqualTo(50);
    } finally {
      remote.stop();
    }
  }
}
