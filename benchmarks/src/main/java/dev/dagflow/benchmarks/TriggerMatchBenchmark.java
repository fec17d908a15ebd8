package dev.dagflow.benchmarks;

import dev.dagflow.trigger.Event;
import dev.dagflow.trigger.EventTrigger;
import dev.dagflow.trigger.TriggerMatcher;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Finding the triggers one event fires, among {@code n} triggers over 50 event types with
 * filters of 1 to 4 keys (exact and list values): {@link TriggerWorkload} describes the
 * triggers, the events and how {@link TriggerWorkload.Selectivity} sets how many each event
 * fires. Each operation matches the next of 1,024 pre-generated events, cycling.
 *
 * <p>Peers ({@link Impl}): {@code INDEXED} is {@link TriggerMatcher#indexed()}; {@code LINEAR}
 * checks every trigger with {@link EventTrigger#matches(Event)} (event type, project, then the
 * same compiled filter), in id order, so both return the same list. Targets: at most 1 µs per
 * event at 100,000 triggers, and at least 100 times faster than the linear scan.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xms3g", "-Xmx3g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class TriggerMatchBenchmark {
  private static final long SEED = 42;

  @Param({"1000", "10000", "100000"})
  int n;

  @Param
  TriggerWorkload.Selectivity selectivity;

  @Param
  Impl impl;

  private Peer peer;
  private Event[] events;
  private int next;

  @Setup(Level.Trial)
  public void setUp() {
    TriggerWorkload workload = TriggerWorkload.generate(n, selectivity, SEED);
    peer = impl.create(workload.triggers());
    events = workload.events();
  }

  @Benchmark
  public void match(Blackhole bh) {
    bh.consume(matchNext());
  }

  /** The measured body: the triggers the next event fires. */
  List<EventTrigger> matchNext() {
    Event event = events[next];
    next = (next + 1) % events.length;
    return peer.match(event);
  }

  /** A way of finding the triggers an event fires. */
  interface Peer {
    List<EventTrigger> match(Event event);
  }

  /** The peers. */
  public enum Impl {
    /** dagflow's default matcher, indexed by event type and exact-match keys. */
    INDEXED {
      @Override
      Peer create(List<EventTrigger> triggers) {
        TriggerMatcher matcher = TriggerMatcher.indexed();
        triggers.forEach(matcher::put);
        return matcher::match;
      }
    },
    /** Every trigger checked in turn, in id order. */
    LINEAR {
      @Override
      Peer create(List<EventTrigger> triggers) {
        EventTrigger[] all = triggers.stream()
            .sorted((a, b) -> a.id().compareTo(b.id())).toArray(EventTrigger[]::new);
        return event -> {
          List<EventTrigger> found = new ArrayList<>();
          for (EventTrigger t : all) {
            if (t.matches(event)) {
              found.add(t);
            }
          }
          return found;
        };
      }
    };

    abstract Peer create(List<EventTrigger> triggers);
  }
}
