package dev.dagflow.benchmarks;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerBuilder;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.jdbc.DefaultJdbcCustomization;
import com.github.kagkarlsson.scheduler.jdbc.MySQL8JdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;

/**
 * db-scheduler 16.7.1 executing {@code n} one-time no-op tasks: its table created from {@link
 * BenchDatabase#dbSchedulerDdl()}, a scheduler of {@value JdbcEngineBenchmark#WORKERS} threads
 * polling every {@value #POLLING_INTERVAL_MS} ms, {@code lock-and-fetch} (with the limits its
 * README gives for high throughput, 1.0 and 4.0 times the threads) on PostgreSQL and MariaDB and
 * its default {@code fetch-and-lock-on-execute} (0.5, 3.0) on H2, which has no lock-and-fetch
 * there.
 *
 * <p>On MariaDB db-scheduler 16.7.1 detects its MariaDB dialect, which turns lock-and-fetch off
 * (its SQL puts {@code SKIP LOCKED} before {@code LIMIT}, which MariaDB refuses); the peer passes
 * db-scheduler's MySQL 8 dialect instead, whose {@code … LIMIT n FOR UPDATE SKIP LOCKED} MariaDB
 * 10.6 and later accept, storing timestamps in UTC as db-scheduler advises for both.
 *
 * <p>{@link #run()} schedules every instance, due now, with one {@code scheduleBatch}, and returns
 * when every execution has completed: its completion handler (a one-time task's row deleted) has
 * run, as a scheduler listener reports. Not thread-safe; the scheduler is the peer's own.
 */
final class DbSchedulerPeer implements JdbcEngineBenchmark.Peer {
  static final long POLLING_INTERVAL_MS = 10;
  private static final Duration TIMEOUT = Duration.ofMinutes(10);

  private final DataSource dataSource;
  private final int n;
  private final List<TaskInstance<?>> instances;
  private final AtomicInteger executed = new AtomicInteger();
  private final AtomicInteger completed = new AtomicInteger();
  private final CountDownLatch done;
  private final Scheduler scheduler;

  DbSchedulerPeer(BenchDatabase database, DataSource dataSource, int n) {
    this.dataSource = dataSource;
    this.n = n;
    this.done = new CountDownLatch(n);
    createTable(database, dataSource);
    OneTimeTask<Void> task = Tasks.oneTime("noop").execute((instance, context) ->
        executed.incrementAndGet());
    instances = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      instances.add(task.instance("i" + i));
    }
    SchedulerBuilder builder = Scheduler.create(dataSource, task)
        .threads(JdbcEngineBenchmark.WORKERS)
        .pollingInterval(Duration.ofMillis(POLLING_INTERVAL_MS))
        .schedulerName(new SchedulerName.Fixed("bench"))
        .addSchedulerListener(new AbstractSchedulerListener() {
          @Override
          public void onExecutionComplete(ExecutionComplete complete) {
            if (complete.getResult() == ExecutionComplete.Result.OK) {
              completed.incrementAndGet();
              done.countDown();
            }
          }
        });
    switch (database) {
      case H2 -> builder.pollUsingFetchAndLockOnExecute(0.5, 3.0)
          .jdbcCustomization(new DefaultJdbcCustomization(false)); // what it detects on H2
      case POSTGRESQL -> builder.pollUsingLockAndFetch(1.0, 4.0);
      case MARIADB -> builder.pollUsingLockAndFetch(1.0, 4.0)
          .jdbcCustomization(new MySQL8JdbcCustomization(true));
    }
    scheduler = builder.build();
    scheduler.start();
  }

  private static void createTable(BenchDatabase database, DataSource dataSource) {
    String ddl;
    try (InputStream in = DbSchedulerPeer.class.getResourceAsStream(database.dbSchedulerDdl())) {
      if (in == null) {
        throw new IllegalStateException("no resource " + database.dbSchedulerDdl());
      }
      ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement()) {
      for (String statement : ddl.replaceAll("(?m)^--.*$", "").split(";")) {
        if (!statement.isBlank()) {
          st.execute(statement);
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create db-scheduler's table on " + database, e);
    }
  }

  @Override
  public int run() throws InterruptedException, TimeoutException {
    scheduler.scheduleBatch(instances, Instant.now());
    if (!done.await(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new TimeoutException("db-scheduler completed " + completed.get() + " of " + n
          + " executions in " + TIMEOUT);
    }
    return completed.get();
  }

  @Override
  public String verify(int result) {
    long left;
    try (Connection c = dataSource.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
      rs.next();
      left = rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot count db-scheduler's executions left", e);
    }
    if (result == n && executed.get() == n && left == 0) {
      return "";
    }
    return "completed " + result + ", executed " + executed.get() + " of " + n + " tasks, "
        + left + " left in scheduled_tasks";
  }

  @Override
  public void close() {
    scheduler.stop();
  }
}
