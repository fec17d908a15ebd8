package dev.dagflow.testing;

import dev.dagflow.engine.TimeSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.PriorityQueue;

/**
 * A {@link TimeSource} whose time moves only when told: {@link #advance} runs every task that
 * comes due, in time order, on the calling thread. Thread-safe.
 *
 * <pre>{@code
 * ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
 * DagEngine engine = DagEngine.builder().timeSource(clock)...build();
 * clock.advance(Duration.ofSeconds(30)); // backoffs and timeouts due by then fire now
 * }</pre>
 */
public final class ManualClock implements TimeSource {
  private final PriorityQueue<Task> tasks = new PriorityQueue<>();
  private Instant now;
  private long seq;

  /** A clock at {@code start}. */
  public ManualClock(Instant start) {
    this.now = Objects.requireNonNull(start, "start");
  }

  @Override
  public synchronized Instant now() {
    return now;
  }

  @Override
  public Cancellable schedule(Instant at, Runnable task) {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(task, "task");
    Task t;
    synchronized (this) {
      t = new Task(at, seq++, task);
      tasks.add(t);
    }
    return () -> {
      synchronized (this) {
        tasks.remove(t);
      }
    };
  }

  /**
   * Moves time forward by {@code duration}, running each task as its time comes, with the
   * clock showing that time. Tasks scheduled by tasks run too if they come due.
   *
   * @throws IllegalArgumentException if {@code duration} is negative
   */
  public void advance(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative()) {
      throw new IllegalArgumentException("cannot move time back: " + duration);
    }
    Instant target;
    synchronized (this) {
      target = now.plus(duration);
    }
    while (true) {
      Task next;
      synchronized (this) {
        next = tasks.peek();
        if (next == null || next.at.isAfter(target)) {
          if (now.isBefore(target)) {
            now = target;
          }
          return;
        }
        tasks.poll();
        if (next.at.isAfter(now)) {
          now = next.at;
        }
      }
      next.task.run();
    }
  }

  /** The times of the tasks still to run, earliest first. */
  public synchronized List<Instant> pending() {
    List<Task> sorted = new ArrayList<>(tasks);
    sorted.sort(null);
    List<Instant> times = new ArrayList<>(sorted.size());
    sorted.forEach(t -> times.add(t.at));
    return times;
  }

  private record Task(Instant at, long seq, Runnable task) implements Comparable<Task> {
    @Override
    public int compareTo(Task o) {
      int c = at.compareTo(o.at);
      return c != 0 ? c : Long.compare(seq, o.seq);
    }
  }
}
