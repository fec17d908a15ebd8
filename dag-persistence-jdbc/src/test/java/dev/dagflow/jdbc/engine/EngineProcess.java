package dev.dagflow.jdbc.engine;

import com.zaxxer.hikari.HikariDataSource;
import dev.dagflow.engine.DagEngine;
import dev.dagflow.jdbc.JdbcStores;
import dev.dagflow.jdbc.testing.DatabaseSettings;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The main class of the child JVMs of the process tests: one engine on the JDBC stores of the
 * database named by the {@code db.*} arguments ({@link DatabaseSettings}), with the handlers of
 * {@link ProcessWorkload}, a HikariCP pool of {@value #POOL_SIZE}, run ids {@code
 * <instance>-r00001, -r00002, ...} in the order of submission, and these arguments:
 * {@code instance=<engine instance id>}, {@code lease=<lease time in ms>}, {@code
 * workers=<workers per scope>}, {@code seed=<seed of the layered DAGs>}.
 *
 * <p>It answers on stdout, on lines starting {@code @@ } among its log lines: {@code ready} once
 * the engine has started, {@code run <tag> <run id>} for each run it submitted, {@code
 * submitted} after a batch, {@code paused <ms>} when it notices it was paused, {@code closed}.
 * It reads commands on stdin: {@code layered <from> <to>} submits the layered runs of those
 * indexes (to exclusive), {@code held <tag>} and {@code until-paused <tag>} submit a chain whose
 * middle node holds, {@code close} closes the engine and ends the JVM. At the end of stdin (the
 * test JVM is gone) it closes and ends too.
 */
public final class EngineProcess {
  static final int POOL_SIZE = 10;

  private EngineProcess() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new HashMap<>();
    for (String arg : args) {
      int eq = arg.indexOf('=');
      if (eq < 0) {
        throw new IllegalArgumentException("not key=value: " + arg);
      }
      options.put(arg.substring(0, eq), arg.substring(eq + 1));
    }
    DatabaseSettings db = DatabaseSettings.fromArguments(args);
    String instance = required(options, "instance");
    Duration lease = Duration.ofMillis(Long.parseLong(required(options, "lease")));
    int workers = Integer.parseInt(required(options, "workers"));
    long seed = Long.parseLong(required(options, "seed"));
    CountDownLatch paused = new CountDownLatch(1);
    watchForPauses(lease, paused);
    AtomicInteger runs = new AtomicInteger(); // run ids in the order of submission

    try (HikariDataSource pool = db.pool(instance, POOL_SIZE)) {
      DagEngine engine = ProcessWorkload.handlers(DagEngine.builder(), pool, instance, paused)
          .stores(JdbcStores.builder(pool).build()).instanceId(instance).leaseTime(lease)
          .workersPerScope(workers).runIds(() -> String.format("%s-r%05d", instance,
              runs.incrementAndGet()))
          .build();
      engine.start();
      say("ready");
      BufferedReader in = new BufferedReader(new InputStreamReader(System.in,
          StandardCharsets.UTF_8));
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        String[] words = line.trim().split(" ");
        switch (words[0]) {
          case "layered" -> {
            int from = Integer.parseInt(words[1]);
            int to = Integer.parseInt(words[2]);
            for (int i = from; i < to; i++) {
              say("run " + i + " " + engine.submit(ProcessWorkload.layered(seed, i, 10, 10)));
            }
            say("submitted");
          }
          case "held", "until-paused" -> {
            String type = words[0].equals("held") ? ProcessWorkload.HOLD
                : ProcessWorkload.UNTIL_PAUSED;
            say("run " + words[1] + " " + engine.submit(ProcessWorkload.chain(words[1], type)));
          }
          case "close" -> {
            engine.close();
            say("closed");
            return;
          }
          default -> say("unknown command: " + line);
        }
      }
      engine.close(); // the test JVM is gone
    }
  }

  private static String required(Map<String, String> options, String key) {
    String value = options.get(key);
    if (value == null) {
      throw new IllegalArgumentException("missing argument " + key + "=...");
    }
    return value;
  }

  private static void say(String line) {
    System.out.println("@@ " + line);
    System.out.flush();
  }

  /**
   * Counts {@code paused} down once a thread that wakes every 10 ms finds more than {@code
   * lease} gone since it last woke: the JVM was stopped (SIGSTOP) and continued.
   */
  private static void watchForPauses(Duration lease, CountDownLatch paused) {
    Thread watch = new Thread(() -> {
      long last = System.nanoTime();
      while (true) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
        long now = System.nanoTime();
        if (now - last > lease.toNanos() && paused.getCount() > 0) {
          say("paused " + TimeUnit.NANOSECONDS.toMillis(now - last));
          paused.countDown();
        }
        last = now;
      }
    }, "pause-watch");
    watch.setDaemon(true);
    watch.start();
  }
}
