package dev.dagflow.jdbc.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.testing.TestDatabase;
import dev.dagflow.schedule.Schedule;
import dev.dagflow.spec.DagSpec;
import dev.dagflow.spec.NodeSpec;
import dev.dagflow.store.RunQuery;
import dev.dagflow.store.RunStore;
import dev.dagflow.store.RunSummary;
import dev.dagflow.store.Stores;
import dev.dagflow.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two engines on one database, each with a pool and a manual clock of its own, fire a schedule of
 * every 5 minutes at the same moment for an hour: one run per fire time (the other engine's
 * create is refused by the run's start key {@code schedule:<id>/<millis>}), counted once. Both
 * stop for an hour; two new ones start at once and catch up ({@code RUN_ALL}): again one run per
 * missed fire time.
 */
abstract class ScheduleOncePerFireTimeTest {
  private static final Instant START = Instant.parse("2026-06-01T10:00:30Z");
  private static final Duration WAIT = Duration.ofSeconds(60);

  private final List<HikariDataSource> pools = new ArrayList<>();
  private final ExecutorService threads = Executors.newFixedThreadPool(2);

  abstract TestDatabase database();

  @AfterEach
  void closePools() {
    threads.shutdownNow();
    pools.forEach(HikariDataSource::close);
  }

  private DagEngine engine(String instance, ManualClock clock) {
    HikariDataSource pool = database().settings().pool(instance, 4);
    pools.add(pool);
    Stores stores = JdbcStores.builder(pool).build();
    return DagEngine.builder().stores(stores).instanceId(instance).timeSource(clock)
        .leaseTime(Duration.ofSeconds(2)).handler("t", ctx -> null).build();
  }

  /** Runs {@code a} and {@code b} at the same moment on two threads; waits for both. */
  private void atOnce(Callable<?> a, Callable<?> b) throws Exception {
    CyclicBarrier barrier = new CyclicBarrier(2);
    List<Future<?>> both = new ArrayList<>();
    for (Callable<?> work : List.of(a, b)) {
      both.add(threads.submit(() -> {
        barrier.await(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        return work.call();
      }));
    }
    for (Future<?> f : both) {
      f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private static List<String> startKeys(RunStore runs) {
    return runs.list(RunQuery.all().startKeyPrefix("schedule:every5/")
        .page(0, RunQuery.MAX_PAGE_SIZE)).items().stream()
        .map(RunSummary::startKey).map(Optional::orElseThrow).sorted().toList();
  }

  private static List<String> keys(Instant first, int count) {
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      keys.add("schedule:every5/" + first.plusSeconds(300L * i).toEpochMilli());
    }
    return keys.stream().sorted().toList();
  }

  @Test
  void twoEnginesFiringAtOnceStartOneRunPerFireTimeAndCatchUpOnceAfterDowntime()
      throws Exception {
    database().clear();
    RunStore runs = JdbcStores.builder(database().dataSource()).build().runs();
    ManualClock clockA = new ManualClock(START);
    ManualClock clockB = new ManualClock(START);
    try (DagEngine a = engine("schedule-a", clockA); DagEngine b = engine("schedule-b", clockB)) {
      a.templates().save("scan", Optional.empty(),
          DagSpec.builder("scan").node(NodeSpec.task("x", "t")).build());
      a.schedules().save(Schedule.builder("every5").template("scan").cron("*/5 * * * *")
          .misfireRunAll(20).build());
      atOnce(() -> {
        a.start();
        return null;
      }, () -> {
        b.start();
        return null;
      });
      for (int step = 0; step < 12; step++) {
        atOnce(() -> {
          clockA.advance(Duration.ofMinutes(5));
          return null;
        }, () -> {
          clockB.advance(Duration.ofMinutes(5));
          return null;
        });
      }
      assertThat(startKeys(runs)).isEqualTo(keys(Instant.parse("2026-06-01T10:05:00Z"), 12));
      assertThat(a.schedules().state("every5").fired()).isEqualTo(12);
    }

    // both down for an hour; two new engines start at once and catch up, each fire time once
    ManualClock clockC = new ManualClock(START.plus(Duration.ofHours(2)));
    ManualClock clockD = new ManualClock(START.plus(Duration.ofHours(2)));
    try (DagEngine c = engine("schedule-c", clockC); DagEngine d = engine("schedule-d", clockD)) {
      atOnce(() -> {
        c.start();
        return null;
      }, () -> {
        d.start();
        return null;
      });
      assertThat(startKeys(runs)).isEqualTo(keys(Instant.parse("2026-06-01T10:05:00Z"), 24));
      assertThat(d.schedules().state("every5").fired()).isEqualTo(24);
      assertThat(d.schedules().state("every5").nextFireTime())
          .contains(Instant.parse("2026-06-01T12:05:00Z"));
    }
  }
}
