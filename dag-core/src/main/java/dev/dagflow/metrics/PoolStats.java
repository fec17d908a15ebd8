package dev.dagflow.metrics;

/**
 * The figures of one worker pool as they stand, read by a metrics system's gauges. Each read
 * takes the pool's lock briefly; thread-safe. After the pool closed, every figure is 0.
 */
public interface PoolStats {

  /** The pool's worker key, such as {@code worker-project-shop}. */
  String workerKey();

  /** How many workers the pool may run at once. */
  int workers();

  /** How many workers are running now (taking nodes from the queue, or running one). */
  int busyWorkers();

  /** How many ready nodes wait in the queue for a worker. */
  int queuedNodes();

  /** How many attempts of the pool's runs are in flight (started and not ended). */
  int runningNodes();

  /** How many runs of the pool are running here (admitted, not ended). */
  int activeRuns();

  /** How many runs wait for a place among the pool's running runs. */
  int waitingRuns();
}
